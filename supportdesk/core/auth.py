"""Who is calling: an agent's cookie session (with a CSRF header) or a bearer token.

``agent_required`` guards every agent endpoint. Cookie sessions must send
``X-CSRF-Token`` on unsafe methods; bearer-token calls carry no ambient authority,
so they need none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from supportdesk.core.errors import DomainError, Forbidden

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: checks the ``X-CSRF-Token`` of cookie sessions (bound to the app in ``create_app``)
csrf = CSRFProtect()


class Unauthenticated(DomainError):
    status = 401


def require_agent(*, admin: bool = False) -> None:
    if not current_user.is_authenticated:
        raise Unauthenticated("Sign in, or send Authorization: Bearer <token>.")
    if g.get("auth_method") == "session" and request.method not in SAFE_METHODS:
        try:
            csrf.protect()
        except CSRFError:
            raise Forbidden("Send the X-CSRF-Token header you got at sign-in.") from None
    if admin and not current_user.is_admin:
        raise Forbidden("Only admins may do this.")


def agent_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_agent()
        return view(*args, **kwargs)

    return cast(F, wrapper)


def admin_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_agent(admin=True)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def is_agent() -> bool:
    """Whether an agent (or an admin) calls a route open to everyone: such routes show
    agents more (drafts, internal figures) and count only readers' use."""
    return bool(current_user.is_authenticated)
