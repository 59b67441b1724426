"""Flask-Login wiring: users come from the session cookie or a bearer token.

The cookie alone is not enough: it must carry the key of a sign-in session that still
exists on the server (``UserSession``), so signing out, a new password or deactivation
end it even where the cookie has been copied.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, g, session
from flask.sessions import SecureCookieSessionInterface

from supportdesk.core.auth import Unauthenticated
from supportdesk.extensions import db, login_manager
from supportdesk.users import service
from supportdesk.users.models import User
from supportdesk.users.service import TOKEN_PREFIX

#: the Flask session's entry holding the sign-in session's key
SESSION_KEY = "login_key"


@login_manager.user_loader
def load_session_user(user_id: str) -> User | None:
    key = session.get(SESSION_KEY)
    if not user_id.isdigit() or not isinstance(key, str):
        return None
    user = service.user_for_session(db.session, int(user_id), key)
    if user is not None:
        g.auth_method = "session"
    return user


@login_manager.request_loader
def load_token_user(request: Request) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    # Not one of ours (the inbound mail hook's secret, say): no need to ask the database.
    user = service.user_for_token(db.session, token) if token.startswith(TOKEN_PREFIX) else None
    if user is None:
        raise Unauthenticated("That API token is not valid.")
    if db.session.dirty:  # the token's last_used_at moved: keep it, even on a GET
        db.session.commit()
    g.auth_method = "token"
    return user


@login_manager.unauthorized_handler
def unauthorized() -> Any:
    raise Unauthenticated("Sign in, or send Authorization: Bearer <token>.")


class ApiSessionInterface(SecureCookieSessionInterface):
    """Token-authenticated calls never get a session cookie."""

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if g.get("auth_method") == "token":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.session_interface = ApiSessionInterface()
