"""The worker's side of mail to an address: sent with retries, off the request."""

from __future__ import annotations

from supportdesk.channels.email.addresses import support_address
from supportdesk.channels.email.mail_policy import new_mail
from supportdesk.channels.email.outbound import address_header, send_mail
from supportdesk.core.settings import settings
from supportdesk.core.tasks import task


@task(retries=5, retry_delay=60)
def send_notice(to_name: str, to_address: str, subject: str, body: str) -> None:
    """One rendered notice, marked ``Auto-Submitted: auto-generated`` (RFC 3834) so
    robots do not answer it."""
    mail = new_mail()
    mail["From"] = address_header(settings().desk_name, support_address())
    mail["To"] = address_header(to_name, to_address)
    mail["Subject"] = subject
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body, cte="quoted-printable")
    send_mail(mail)
