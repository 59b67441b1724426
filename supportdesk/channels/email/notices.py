"""Mail to an address rather than on a ticket: verification codes, chat transcripts.

Queued as a task after the caller's commit, sent by the worker with retries; it
carries ``Auto-Submitted: auto-generated`` (RFC 3834) so robots do not answer it.
"""

from __future__ import annotations

from email.message import EmailMessage

from flask import current_app

from supportdesk.channels.email.addresses import support_address
from supportdesk.channels.email.outbound import address_header, send_mail
from supportdesk.channels.email.templates import Wording
from supportdesk.core.models import DbSession
from supportdesk.core.tasks import task
from supportdesk.core.transaction import after_commit


def queue_notice(session: DbSession, to_name: str, to_address: str, wording: Wording) -> None:
    after_commit(session, send_notice, to_name, to_address, wording.subject, wording.body)


@task(retries=5, retry_delay=60)
def send_notice(to_name: str, to_address: str, subject: str, body: str) -> None:
    mail = EmailMessage()
    mail["From"] = address_header(str(current_app.config["DESK_NAME"]), support_address())
    mail["To"] = address_header(to_name, to_address)
    mail["Subject"] = subject
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body, cte="quoted-printable")
    send_mail(mail)
