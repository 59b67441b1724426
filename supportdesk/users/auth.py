"""Flask-Login wiring: users come from the session cookie or a bearer token."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, g
from flask.sessions import SecureCookieSessionInterface

from supportdesk.core.auth import Unauthenticated
from supportdesk.extensions import db, login_manager
from supportdesk.users import service
from supportdesk.users.models import User


@login_manager.user_loader
def load_session_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is not None:
        g.auth_method = "session"
        g.rate_limit_principal = f"user:{user.id}"
    return user


@login_manager.request_loader
def load_token_user(request: Request) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = service.user_for_token(db.session, token.strip())
    if user is None:
        raise Unauthenticated("That API token is not valid.")
    g.auth_method = "token"
    g.rate_limit_principal = f"user:{user.id}"
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
