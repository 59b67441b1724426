"""Who may post raw mail to the inbound hook: the mail provider holding the desk's token."""

from __future__ import annotations

import hmac

from supportdesk.core.auth import Unauthenticated
from supportdesk.core.errors import DomainError

#: what a provider's "raw MIME" forwarding may call the message it posts
RAW_TYPES = {"message/rfc822", "text/plain", "application/octet-stream"}


class UnsupportedMediaType(DomainError):
    status = 415


def check_inbound_token(authorization: str, expected: str | None) -> None:
    """``authorization`` (the request's header) must be ``Bearer <expected>``; with no
    token configured the hook is shut."""
    scheme, _, token = authorization.partition(" ")
    if not expected or scheme.lower() != "bearer":
        raise Unauthenticated("Send Authorization: Bearer $SUPPORTDESK_INBOUND_EMAIL_TOKEN.")
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthenticated("That inbound e-mail token is not valid.")


def check_raw_type(mimetype: str) -> None:
    if mimetype not in RAW_TYPES:
        raise UnsupportedMediaType("Send the raw message as Content-Type: message/rfc822.")
