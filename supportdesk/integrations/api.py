"""Integrations: admins set them up; agents see what they know about a customer."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from supportdesk.core.auth import admin_required, agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.integrations import service
from supportdesk.integrations.models import Integration
from supportdesk.integrations.schemas import (
    CustomerContextSchema,
    IntegrationCreateSchema,
    IntegrationPageSchema,
    IntegrationSchema,
    IntegrationUpdateSchema,
)

blp = Blueprint("integrations", __name__, url_prefix="/api/v1", description="Context integrations")


@blp.route("/integrations", methods=["GET"])
@admin_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, IntegrationPageSchema)
@paged
def list_integrations(_: dict[str, Any], page: PageRequest) -> Page[Integration]:
    """List the context integrations, oldest first (admins)."""
    return service.integrations_page(db.session, page)


@blp.route("/integrations", methods=["POST"])
@admin_required
@blp.arguments(IntegrationCreateSchema)
@blp.response(201, IntegrationSchema)
def create_integration(fields: dict[str, Any]) -> Integration:
    """Add a context integration (admins).

    The secret signs every call; answers show only its last four characters.
    """
    integration = service.create_integration(db.session, **fields)
    db.session.commit()
    return integration


@blp.route("/integrations/<id:integration_id>", methods=["PATCH"])
@admin_required
@blp.arguments(IntegrationUpdateSchema)
@blp.response(200, IntegrationSchema)
def update_integration(changes: dict[str, Any], integration_id: int) -> Integration:
    """Change a context integration's name, URL, secret or whether it is asked (admins)."""
    integration = service.get_integration(db.session, integration_id)
    service.update_integration(db.session, integration, **changes)
    db.session.commit()
    return integration


@blp.route("/integrations/<id:integration_id>", methods=["DELETE"])
@admin_required
@blp.response(204)
def delete_integration(integration_id: int) -> None:
    """Remove a context integration (admins)."""
    service.delete_integration(db.session, service.get_integration(db.session, integration_id))
    db.session.commit()


@blp.route("/customers/<id:customer_id>/context", methods=["GET"])
@agent_required
@blp.response(200, CustomerContextSchema)
def get_customer_context(customer_id: int) -> dict[str, Any]:
    """What the company's other systems know about the customer: a card per integration.

    Each enabled integration is asked at once (signed, 2 s at most, an answer kept for a
    minute); one that fails is a card with ``status: unavailable`` and the reason.
    """
    planned = service.context_calls(db.session, customer_id)
    # The read is over: end it, so no database connection waits on other systems.
    db.session.commit()
    return {"cards": [card.view() for card in service.fetch_context(planned)]}
