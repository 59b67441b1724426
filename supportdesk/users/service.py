"""Agent accounts: creation, password checks, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from supportdesk.core.errors import Conflict, InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.customers.identities import normalize_email
from supportdesk.users.models import ApiToken, Role, User

TOKEN_PREFIX = "sd_"
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both paths cost one argon2 check.
_DUMMY_HASH = _hasher.hash("not a real password")


def create_user(session: DbSession, *, email: str, name: str, password: str, role: str) -> User:
    address = normalize_email(email)
    if len(password) < 8:
        raise InvalidInput.field("password", "Use at least 8 characters.")
    if role not in {r.value for r in Role}:
        raise InvalidInput.field("role", "Must be admin or agent.")
    if session.scalar(select(User.id).where(User.email == address)):
        raise Conflict(f"A user with the e-mail {address} exists already.")
    user = User(email=address, name=name, role=Role(role), password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    try:
        address = normalize_email(email)
    except InvalidInput:
        address = None
    user = session.scalar(select(User).where(User.email == address)) if address else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def user_by_email(session: DbSession, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"No user with the e-mail {email}.")
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: DbSession, user: User, name: str = "API token") -> str:
    """Make a token and return it: the only time it exists in clear."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, name=name, token_hash=_token_hash(token)))
    session.flush()
    return token


def user_for_token(session: DbSession, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    return row.user
