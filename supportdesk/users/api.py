"""Sign in and out, and who am I."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_login import current_user, login_user, logout_user
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf

from supportdesk.core.auth import agent_required
from supportdesk.core.settings import settings
from supportdesk.extensions import db, limiter
from supportdesk.users import preferences, service
from supportdesk.users.auth import SESSION_KEY
from supportdesk.users.schemas import LoginSchema, MeSchema, PreferencesUpdateSchema, SessionSchema

blp = Blueprint("session", __name__, url_prefix="/api/v1", description="Agent sign-in")


@blp.route("/session", methods=["POST"])
@blp.doc(security=[])
@limiter.limit(lambda: settings().login_rate_limit, methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
def sign_in(credentials: dict[str, str]) -> dict[str, Any]:
    """Sign in with a cookie session.

    Send the returned ``csrf_token`` as ``X-CSRF-Token`` on writes.
    """
    user, key = service.sign_in(
        db.session,
        credentials["email"],
        credentials["password"],
        lifetime=current_app.permanent_session_lifetime,
    )
    db.session.commit()
    session.clear()  # a fresh session at sign-in: no fixation
    session[SESSION_KEY] = key
    login_user(user)
    return {"user": user, "csrf_token": generate_csrf()}


@blp.route("/session", methods=["GET"])
@agent_required
@blp.response(200, SessionSchema)
def current_session() -> dict[str, Any]:
    """Get the signed-in agent and this session's CSRF token.

    A page that was reloaded learns here who is signed in and which ``X-CSRF-Token`` to send.
    """
    return {"user": current_user._get_current_object(), "csrf_token": generate_csrf()}


@blp.route("/session", methods=["DELETE"])
@agent_required
@blp.response(204)
def sign_out() -> None:
    """Sign out this browser.

    Its session ends on the server; the agent's other signed-in browsers stay signed in.
    """
    if key := session.get(SESSION_KEY):
        service.end_session(db.session, current_user._get_current_object(), key)
        db.session.commit()
    logout_user()
    session.clear()


@blp.route("/me", methods=["GET"])
@agent_required
@blp.response(200, MeSchema)
def me() -> Any:
    """Get the caller's own account (the signed-in agent, or the token's owner)."""
    return current_user._get_current_object()


@blp.route("/me", methods=["PATCH"])
@agent_required
@blp.arguments(PreferencesUpdateSchema)
@blp.response(200, MeSchema)
def update_my_preferences(changes: dict[str, Any]) -> Any:
    """Change the caller's preferences: locale, time zone, ring on incoming chats."""
    user = preferences.update_preferences(db.session, current_user._get_current_object(), changes)
    db.session.commit()
    return user
