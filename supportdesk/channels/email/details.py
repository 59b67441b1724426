"""The e-mail side of a message as agents read it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from supportdesk.channels.email.models import EmailDetails
from supportdesk.core.errors import NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.text import hold_remote_images


def email_view(session: DbSession, message_id: int, *, show_images: bool) -> dict[str, Any]:
    """The stored details, with the HTML's images from the web held back unless
    ``show_images`` (``remote_images`` says there were some): loading one tells its
    sender that, and when, the mail was read."""
    details = session.get(EmailDetails, message_id)
    if details is None:
        raise NotFound(f"Message {message_id} is not an e-mail.")
    view = {
        column.key: getattr(details, column.key) for column in inspect(EmailDetails).column_attrs
    }
    held, remote = hold_remote_images(details.html) if details.html else (details.html, False)
    view.update(remote_images=remote, html=details.html if show_images else held)
    return view
