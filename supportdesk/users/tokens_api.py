"""API tokens: one's own (admins: everyone's), issued and revoked over the API."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.users import service
from supportdesk.users.models import ApiToken
from supportdesk.users.schemas import NewTokenSchema, TokenCreateSchema, TokenPageSchema

blp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens", description="API tokens")


@blp.route("", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, TokenPageSchema)
@paged
def list_tokens(_: dict[str, Any], page: PageRequest) -> Page[ApiToken]:
    """List the caller's live API tokens, newest first; an admin sees all, with ``user_id``."""
    return service.tokens_page(db.session, current_user._get_current_object(), page)


@blp.route("", methods=["POST"])
@agent_required
@blp.arguments(TokenCreateSchema)
@blp.response(201, NewTokenSchema)
def create_token(fields: dict[str, str]) -> dict[str, Any]:
    """Create an API token acting as the caller.

    ``token`` is in this answer only; keep it safe.
    """
    row, token = service.issue_token(db.session, current_user._get_current_object(), fields["name"])
    db.session.commit()
    return {"id": row.id, "name": row.name, "token": token, "created_at": row.created_at}


@blp.route("/<id:token_id>", methods=["DELETE"])
@agent_required
@blp.response(204)
def revoke_token(token_id: int) -> None:
    """Revoke an API token: it stops working at once (its owner or an admin may)."""
    service.revoke_token(db.session, token_id, actor=current_user._get_current_object())
    db.session.commit()
