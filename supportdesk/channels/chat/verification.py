"""Proving an e-mail address from the widget with a one-time 6-digit code.

A code lives 10 minutes, works once and allows 5 attempts; a new request
replaces the old code. Only an HMAC of the code is stored. The caller commits, a
refused code too: the attempt it spent must count.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from supportdesk.channels.chat.identity import adopt, customer_for, locale_of, require_email
from supportdesk.channels.chat.models import VerificationCode, Visitor
from supportdesk.channels.email import send_desk_mail
from supportdesk.core.errors import DomainError, InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind

LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5


class CodeRefused(DomainError):
    status = 422


def _digest(code: str) -> str:
    return hmac.new(settings().secret_key, code.encode(), hashlib.sha256).hexdigest()


def start(session: DbSession, visitor: Visitor, email: object) -> None:
    """Mail a fresh code to ``email``; any earlier code of this visitor stops working."""
    address = require_email(email)
    now = utcnow()
    session.execute(
        update(VerificationCode)
        .where(VerificationCode.visitor_id == visitor.id, VerificationCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(
        VerificationCode(
            visitor_id=visitor.id,
            email=address,
            code_hash=_digest(code),
            expires_at=now + LIFETIME,
        )
    )
    _send_code(session, locale_of(visitor), address, code)


def _send_code(session: DbSession, locale: str | None, address: str, code: str) -> None:
    """The code goes to an address nobody has proven yet, so nothing the visitor chose
    (their name) goes with it: the greeting names the address itself."""
    send_desk_mail(
        session,
        template="chat_verification_code",
        locale=locale,
        to_name="",
        to_address=address,
        customer_name=address,
        code=code,
    )


def check(session: DbSession, visitor: Visitor, code: object) -> None:
    """Link the visitor to the owner of the proven address, or raise ``CodeRefused``
    (after counting the attempt: commit it before answering the refusal)."""
    if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) != 6:
        raise InvalidInput.field("code", "Enter the 6 digits from the e-mail.")
    pending = session.scalar(
        select(VerificationCode)
        .where(VerificationCode.visitor_id == visitor.id, VerificationCode.used_at.is_(None))
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
    now = utcnow()
    if pending is None or pending.expires_at <= now or pending.attempts >= MAX_ATTEMPTS:
        raise CodeRefused("This code has expired or was used up. Ask for a new one.")
    pending.attempts += 1
    if not hmac.compare_digest(pending.code_hash, _digest(code.strip())):
        left = MAX_ATTEMPTS - pending.attempts
        raise CodeRefused(
            "That code is not right." if left else "That code is not right. Ask for a new one.",
            attempts_left=left,
        )
    pending.used_at = now
    owner = customers.find_by_identity(session, IdentityKind.EMAIL, pending.email)
    if owner is None:  # proven by this visitor: now, and only now, an identity of theirs
        owner = customer_for(session, visitor)
        customers.update_customer(session, owner, emails=[*owner.emails, pending.email])
    for identity in owner.identities:
        if identity.kind is IdentityKind.EMAIL and identity.value == pending.email:
            identity.verified = True
    adopt(session, visitor, owner)
