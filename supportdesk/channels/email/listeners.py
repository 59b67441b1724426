"""How the e-mail channel reacts to tickets: replies that must go out by e-mail are
queued for the worker, which sends them once the reply's transaction commits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from supportdesk.core.channels import Channel
from supportdesk.core.database import session_of
from supportdesk.core.transaction import after_commit
from supportdesk.tickets.signals import message_created, reply_needs_email

if TYPE_CHECKING:
    from supportdesk.tickets.models import Message


@message_created.connect
def queue_reply(message: Message, *, imported: bool = False, **_: Any) -> None:
    """An outbound message on the e-mail channel is queued for sending; an agent's is
    refused (422, rolling back what the reply wrote) when no mail can be sent."""
    from supportdesk.channels.email.outbound import require_outgoing_mail
    from supportdesk.tickets.models import AuthorKind, Direction

    if message.channel is not Channel.EMAIL or message.direction is not Direction.OUTBOUND:
        return
    if imported:
        return
    if message.author_kind is AuthorKind.AGENT:
        require_outgoing_mail()
    _send(message)


@reply_needs_email.connect
def send_reply_by_email(message: Message, *, to: tuple[str, str], **_: Any) -> None:
    """A reply its own channel cannot deliver (the chat's visitor left) goes to ``to``."""
    _send(message, to)


def _send(message: Message, to: tuple[str, str] | None = None) -> None:
    from supportdesk.channels.email.models import DeliveryStatus
    from supportdesk.channels.email.outbound import queue_email
    from supportdesk.channels.email.tasks import deliver_task

    details = queue_email(message, to)
    if details.delivery_status is DeliveryStatus.QUEUED:
        after_commit(session_of(message), deliver_task, message.id)
