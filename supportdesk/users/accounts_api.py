"""Agent accounts: list, create (admins), change."""

from __future__ import annotations

from typing import Any

from flask import session
from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import admin_required, agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.users import service
from supportdesk.users.auth import SESSION_KEY
from supportdesk.users.models import User
from supportdesk.users.schemas import (
    UserCreateSchema,
    UserPageSchema,
    UserSchema,
    UserUpdateSchema,
)

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Agent accounts")


@blp.route("", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, UserPageSchema)
@paged
def list_users(_: dict[str, Any], page: PageRequest) -> Page[User]:
    """List the agent accounts, oldest first."""
    return service.users_page(db.session, page)


@blp.route("", methods=["POST"])
@admin_required
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(fields: dict[str, str]) -> User:
    """Create an agent account (admins only)."""
    user = service.create_user(db.session, **fields)
    db.session.commit()
    return user


@blp.route("/<id:user_id>", methods=["PATCH"])
@agent_required
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(changes: dict[str, Any], user_id: int) -> User:
    """Change an agent account.

    Admins change anyone; agents their own name and password (with the current one).
    `active: false` ends the user's sessions and revokes their tokens at once; a new
    password ends the user's other sessions.
    """
    current_password = changes.pop("current_password", None)
    user = service.update_user(
        db.session,
        service.get_user(db.session, user_id),
        changes,
        actor=current_user._get_current_object(),
        current_password=current_password,
        current_session_key=session.get(SESSION_KEY),
    )
    db.session.commit()
    return user
