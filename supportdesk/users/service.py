"""Agent accounts: creation, changes, password checks, sign-in sessions, API tokens.

``actor`` is who asks: a signed-in user, or ``None`` for the operator at the console
(the CLI), who may do anything an admin may.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select, update

from supportdesk.core.auth import Unauthenticated
from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.time import utcnow
from supportdesk.customers.identities import normalize_email
from supportdesk.users.models import ApiToken, Role, User, UserSession
from supportdesk.users.signals import access_ended

TOKEN_PREFIX = "sd_"
MIN_PASSWORD_LENGTH = 8
#: a token's last_used_at is written at most this often, not on every call
LAST_USED_RESOLUTION = timedelta(minutes=1)
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so both paths cost one argon2 check.
    Made on the first sign-in, not on import: a hash costs 60 MB and 0.15 s, which every
    console command paid before it started."""
    return _hasher.hash("not a real password")


def _check_password_policy(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.field(field, f"Use at least {MIN_PASSWORD_LENGTH} characters.")


def _role(value: str) -> Role:
    if value not in {r.value for r in Role}:
        raise InvalidInput.field("role", "Must be admin or agent.")
    return Role(value)


def create_user(session: DbSession, *, email: str, name: str, password: str, role: str) -> User:
    address = normalize_email(email)
    _check_password_policy(password)
    if session.scalar(select(User.id).where(User.email == address)):
        raise Conflict(
            f"A user with the e-mail {address} exists already.",
            errors={"email": ["A user with this e-mail exists already."]},
        )
    user = User(email=address, name=name, role=_role(role), password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def users_page(session: DbSession, page: PageRequest) -> Page[User]:
    """Everyone, oldest account first."""
    return keyset_page(session, select(User), (User.id,), page, descending=False)


def get_user(session: DbSession, user_id: int) -> User:
    return get_or_not_found(session, User, user_id, "user")


def user_by_email(session: DbSession, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"No user with the e-mail {email}.")
    return user


def update_user(
    session: DbSession,
    user: User,
    changes: dict[str, Any],
    *,
    actor: User | None,
    current_password: str | None = None,
    current_session_key: str | None = None,
) -> User:
    """Change a user's name, role, active flag or password, by the rules an admin desk has.

    Admins (and the console) change anyone; an agent changes only their own name and
    password. Changing one's own password needs the current one. The last active admin
    cannot be demoted or deactivated. A new password ends the user's other sessions
    (``current_session_key``, the caller's own, survives); deactivation ends all of them
    and revokes the user's tokens, so re-activation never revives a forgotten integration.
    """
    admin = actor is None or actor.is_admin
    if not admin:
        if actor is not user:
            raise Forbidden("Only admins may change other users.")
        if {"role", "active"} & changes.keys():
            raise Forbidden("Only admins may change roles or deactivate users.")
    if "name" in changes:
        user.name = changes["name"]
    if "password" in changes:
        _check_password_policy(changes["password"])
        if actor is user and not _password_matches(user, current_password):
            raise InvalidInput.field("current_password", "Give your current password.")
        user.password_hash = _hasher.hash(changes["password"])
        _end_sessions(session, user, keep=current_session_key if actor is user else None)
    role = _role(changes["role"]) if "role" in changes else user.role
    active = changes.get("active", user.active)
    if user.is_admin and user.active and (role is not Role.ADMIN or not active):
        _keep_an_admin(session, user)
    user.role = role
    if user.active and not active:
        _end_sessions(session, user)
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    user.active = active
    session.flush()
    return user


def _keep_an_admin(session: DbSession, leaving: User) -> None:
    """Refuse to lose the last active admin. The other admins' rows are locked (on
    PostgreSQL) so two admins demoting each other at once cannot both succeed."""
    others = session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != leaving.id)
        .with_for_update()
    ).all()
    if not others:
        raise Conflict("This is the last active admin: make another admin first.")


def _password_matches(user: User, password: str | None) -> bool:
    try:
        return _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    try:
        address = normalize_email(email)
    except InvalidInput:
        address = None
    user = session.scalar(select(User).where(User.email == address)) if address else None
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(session: DbSession, user: User, *, lifetime: timedelta) -> str:
    """Record a signed-in browser and return the key its cookie carries.

    The user's sessions older than ``lifetime`` (the cookie's own, past which its
    signature is refused anyway) are forgotten here, so abandoned ones do not pile up.
    """
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.created_at < utcnow() - lifetime
        )
    )
    key = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, key_hash=_secret_hash(key)))
    session.flush()
    return key


def sign_in(
    session: DbSession, email: str, password: str, *, lifetime: timedelta
) -> tuple[User, str]:
    """The user these credentials are, and the key of their new sign-in session.

    An unknown e-mail, a wrong password and a deactivated account are one answer, so
    it tells nobody which addresses have accounts.
    """
    user = authenticate(session, email, password)
    if user is None:
        raise Unauthenticated("Wrong e-mail or password.")
    return user, start_session(session, user, lifetime=lifetime)


def user_for_session(session: DbSession, user_id: int, key: str) -> User | None:
    """The active user whose session this key is, or None once it has ended."""
    return session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.key_hash == _secret_hash(key), User.id == user_id, User.active)
    )


def end_session(session: DbSession, user: User, key: str) -> None:
    session.execute(delete(UserSession).where(UserSession.key_hash == _secret_hash(key)))
    access_ended.send(user, session=session)


def _end_sessions(session: DbSession, user: User, keep: str | None = None) -> None:
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.key_hash != _secret_hash(keep))
    session.execute(stmt)
    access_ended.send(user, session=session)


def issue_token(session: DbSession, user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """Make a token; the clear text returned here is the only copy there will ever be."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=name, token_hash=_secret_hash(token))
    session.add(row)
    session.flush()
    return row, token


def create_token(session: DbSession, user: User, name: str = "API token") -> str:
    return issue_token(session, user, name)[1]


def session_credential(key: str) -> str:
    """How a live connection made with this sign-in session names it (``credential_is_live``)."""
    return f"session:{_secret_hash(key)}"


def token_credential(token: str) -> str:
    """How a live connection made with this API token names it (``credential_is_live``)."""
    return f"token:{_secret_hash(token)}"


def credential_is_live(session: DbSession, user: User, credential: str | None) -> bool:
    """Whether the sign-in session or token a connection was made with still admits
    ``user``: not signed out, not revoked, the user not deactivated."""
    kind, _, digest = (credential or "").partition(":")
    if not user.active:
        return False
    if kind == "session":
        stmt = select(UserSession.id).where(UserSession.key_hash == digest)
    elif kind == "token":
        stmt = select(ApiToken.id).where(
            ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)
        )
    else:
        return False
    return session.scalar(stmt) is not None


#: Every API call asks it, so it is built once, and the user comes in the same
#: query: a SELECT of its own for the user would be one more statement on every call.
_LIVE_TOKEN = (
    select(ApiToken, User)
    .join(ApiToken.user)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)


def user_for_token(session: DbSession, token: str) -> User | None:
    """The active user a live token acts as; notes the token's use (to the minute)."""
    found = session.execute(_LIVE_TOKEN, {"token_hash": _secret_hash(token)}).first()
    if found is None:
        return None
    row, user = found
    if not user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
    return user


def tokens_page(session: DbSession, actor: User, page: PageRequest) -> Page[ApiToken]:
    """Live tokens, newest first: one's own, or everyone's for an admin."""
    stmt = select(ApiToken).where(ApiToken.revoked_at.is_(None))
    if not actor.is_admin:
        stmt = stmt.where(ApiToken.user_id == actor.id)
    return keyset_page(session, stmt, (ApiToken.id,), page, descending=True)


def revoke_token(session: DbSession, token_id: int, *, actor: User | None) -> None:
    """Revoke a token at once. Someone else's token is "not found" unless one is an admin."""
    row = session.get(ApiToken, token_id)
    if (
        row is None
        or row.revoked_at is not None
        or (actor is not None and not actor.is_admin and row.user_id != actor.id)
    ):
        raise NotFound(f"No token {token_id}.")
    row.revoked_at = utcnow()
    session.flush()
    access_ended.send(row.user, session=session)
