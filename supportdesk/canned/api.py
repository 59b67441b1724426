"""Canned responses: admins keep them, every agent lists them and fills them in on a ticket."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.canned import service
from supportdesk.canned.models import CannedResponse
from supportdesk.canned.schemas import (
    CannedResponseCreateSchema,
    CannedResponsePageSchema,
    CannedResponseQuerySchema,
    CannedResponseSchema,
    CannedResponseUpdateSchema,
    RenderedSchema,
    RenderSchema,
)
from supportdesk.core.auth import admin_required, agent_required
from supportdesk.core.pagination import Page, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.tickets.service import get_ticket

blp = Blueprint("canned_responses", __name__, url_prefix="/api/v1", description="Canned responses")


@blp.route("/canned-responses", methods=["GET"])
@agent_required
@blp.arguments(CannedResponseQuerySchema, location="query")
@blp.response(200, CannedResponsePageSchema)
@paged
def list_canned_responses(filters: dict[str, Any], page: PageRequest) -> Page[CannedResponse]:
    """List the canned responses, oldest first; q finds words of the title."""
    return service.canned_responses_page(db.session, page, **filters)


@blp.route("/canned-responses", methods=["POST"])
@admin_required
@blp.arguments(CannedResponseCreateSchema)
@blp.response(201, CannedResponseSchema)
def create_canned_response(fields: dict[str, Any]) -> CannedResponse:
    """Create a canned response (admins only).

    An unknown placeholder, or Jinja beyond placeholders, filters and ``{% if %}``,
    answers 422 naming the locale's body (``bodies.zh-CN``).
    """
    row = service.create_canned_response(db.session, **fields)
    db.session.commit()
    return row


@blp.route("/canned-responses/<id:canned_response_id>", methods=["PATCH"])
@admin_required
@blp.arguments(CannedResponseUpdateSchema)
@blp.response(200, CannedResponseSchema)
def update_canned_response(changes: dict[str, Any], canned_response_id: int) -> CannedResponse:
    """Change a canned response's title or bodies (admins only).

    ``bodies`` replaces them all: a locale left out is removed.
    """
    row = service.get_canned_response(db.session, canned_response_id)
    service.update_canned_response(db.session, row, changes)
    db.session.commit()
    return row


@blp.route("/canned-responses/<id:canned_response_id>", methods=["DELETE"])
@admin_required
@blp.response(204)
def delete_canned_response(canned_response_id: int) -> None:
    """Delete a canned response (admins only)."""
    service.delete_canned_response(
        db.session, service.get_canned_response(db.session, canned_response_id)
    )
    db.session.commit()


@blp.route(
    "/tickets/<id:ticket_id>/canned-responses/<id:canned_response_id>/render", methods=["POST"]
)
@agent_required
@blp.arguments(RenderSchema, required=False)
@blp.response(200, RenderedSchema)
def render_canned_response(
    args: dict[str, str], ticket_id: int, canned_response_id: int
) -> service.Rendered:
    """Fill a canned response in for a ticket, as the caller would send it.

    Without ``locale``: the customer's locale if the response is written in it, else the
    caller's, else English, else the one it is written in. A ``locale`` it is not written
    in answers 422. Nothing is stored or sent.
    """
    return service.render(
        db.session,
        service.get_canned_response(db.session, canned_response_id),
        get_ticket(db.session, ticket_id),
        current_user._get_current_object(),
        args.get("locale"),
    )
