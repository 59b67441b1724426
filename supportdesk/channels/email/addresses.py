"""The ticket's reply address: ``support+SD-1042.k3j9x2m4qa@desk.example``.

The token is the ticket's ref plus an HMAC of it, so a reply can be traced to its
ticket without a lookup table, and nobody can aim mail at a ticket by guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from base64 import b32encode

from supportdesk.core.settings import settings
from supportdesk.tickets.refs import REF

_TOKEN = re.compile(rf"\+({REF})\.([a-z2-7]{{10}})@", re.IGNORECASE)


def _signature(ref: str) -> str:
    digest = hmac.new(settings().secret_key, ref.upper().encode(), hashlib.sha256).digest()
    return b32encode(digest).decode().lower()[:10]


def support_address() -> str:
    return settings().support_address


def reply_address(ref: str) -> str:
    local, _, domain = support_address().partition("@")
    return f"{local}+{ref}.{_signature(ref)}@{domain}"


def ref_from_reply_address(address: str) -> str | None:
    """The ref an address of ours carries, if its signature is right."""
    match = _TOKEN.search(address)
    if not match:
        return None
    ref, signature = match.groups()
    return ref.upper() if hmac.compare_digest(signature.lower(), _signature(ref)) else None
