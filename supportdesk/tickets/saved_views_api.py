"""Saved views: each agent's own named inbox filters."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.fields import text
from supportdesk.extensions import db
from supportdesk.tickets import saved_views
from supportdesk.tickets.saved_views import SavedView
from supportdesk.tickets.schemas import TicketQuerySchema

#: where a view sits in the sidebar; room to insert between without renumbering
MAX_POSITION = 10_000


class SavedViewFiltersSchema(TicketQuerySchema):
    """The filters of ``GET /tickets``, the list's own fields and rules, as JSON: only
    ``unassigned`` differs, a JSON boolean where the query string spells ``true``/``false``."""

    class Meta:
        exclude = ("limit", "cursor")

    unassigned = ma.fields.Boolean(
        metadata={"description": "true: nobody is assigned; false: somebody is"}
    )


class SavedViewSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    filters = ma.fields.Nested(SavedViewFiltersSchema)
    position = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class SavedViewListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SavedViewSchema), required=True)


def _position(**kwargs: Any) -> ma.fields.Integer:
    return ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(min=0, max=MAX_POSITION),
        metadata={"description": "lowest first; default: after the caller's last view"},
        **kwargs,
    )


class SavedViewCreateSchema(ma.Schema):
    name = text(required=True, min_length=1, max_length=100)
    filters = ma.fields.Nested(SavedViewFiltersSchema, required=True)
    position = _position()


class SavedViewUpdateSchema(ma.Schema):
    name = text(min_length=1, max_length=100)
    filters = ma.fields.Nested(
        SavedViewFiltersSchema, metadata={"description": "replaces the filters whole"}
    )
    position = _position()


blp = Blueprint(
    "saved_views", __name__, url_prefix="/api/v1/saved-views", description="Saved views"
)


@blp.route("", methods=["GET"])
@agent_required
@blp.response(200, SavedViewListSchema)
def list_saved_views() -> dict[str, list[SavedView]]:
    """List the caller's saved views, in their order (by position, then age)."""
    return {"items": saved_views.saved_views(db.session, current_user.id)}


@blp.route("", methods=["POST"])
@agent_required
@blp.arguments(SavedViewCreateSchema)
@blp.response(201, SavedViewSchema)
def create_saved_view(fields: dict[str, Any]) -> SavedView:
    """Save an inbox filter as a view of the caller's own.

    ``filters`` takes what ``GET /tickets`` takes, as JSON. An agent keeps up to 50
    views: one more answers 409.
    """
    view = saved_views.create_saved_view(db.session, current_user.id, **fields)
    db.session.commit()
    return view


@blp.route("/<id:saved_view_id>", methods=["PATCH"])
@agent_required
@blp.arguments(SavedViewUpdateSchema)
@blp.response(200, SavedViewSchema)
def update_saved_view(changes: dict[str, Any], saved_view_id: int) -> SavedView:
    """Rename, move or refilter one of the caller's saved views."""
    view = saved_views.get_saved_view(db.session, saved_view_id, current_user.id)
    saved_views.update_saved_view(db.session, view, changes)
    db.session.commit()
    return view


@blp.route("/<id:saved_view_id>", methods=["DELETE"])
@agent_required
@blp.response(204)
def delete_saved_view(saved_view_id: int) -> None:
    """Delete one of the caller's saved views."""
    saved_views.delete_saved_view(
        db.session, saved_views.get_saved_view(db.session, saved_view_id, current_user.id)
    )
    db.session.commit()
