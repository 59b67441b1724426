"""Customers: create, find, edit, merge."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.errors import referenced
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.customers import merges, service
from supportdesk.customers.models import Customer
from supportdesk.customers.schemas import (
    CustomerCreateSchema,
    CustomerPageSchema,
    CustomerQuerySchema,
    CustomerSchema,
    CustomerUpdateSchema,
    MergePreviewQuerySchema,
    MergePreviewSchema,
    MergeRecordPageSchema,
    MergeSchema,
)
from supportdesk.extensions import db

blp = Blueprint("customers", __name__, url_prefix="/api/v1/customers", description="Customers")


@blp.route("", methods=["POST"])
@agent_required
@blp.arguments(CustomerCreateSchema)
@blp.response(201, CustomerSchema)
def create_customer(fields: dict[str, Any]) -> Customer:
    """Create a customer.

    Phones are stored in E.164; 409 when an e-mail address or phone already belongs to
    another customer.
    """
    customer = service.create_customer(db.session, **fields)
    db.session.commit()
    return customer


@blp.route("", methods=["GET"])
@agent_required
@blp.arguments(CustomerQuerySchema, location="query")
@blp.response(200, CustomerPageSchema)
@paged
def list_customers(filters: dict[str, Any], page: PageRequest) -> Page[Customer]:
    """List the customers, newest first.

    ``q`` matches names, e-mail addresses and phone numbers.
    """
    return service.customers_page(db.session, page, q=filters.get("q"))


@blp.route("/<id:customer_id>", methods=["GET"])
@agent_required
@blp.response(200, CustomerSchema)
def get_customer(customer_id: int) -> Customer:
    """Get a customer with their identities.

    A customer merged into another answers 404 with ``merged_into`` in the problem.
    """
    return service.get_customer(db.session, customer_id)


@blp.route("/<id:customer_id>", methods=["PATCH"])
@agent_required
@blp.arguments(CustomerUpdateSchema)
@blp.response(200, CustomerSchema)
def update_customer(changes: dict[str, Any], customer_id: int) -> Customer:
    """Update a customer: any of the fields a customer is created with."""
    customer = service.get_customer(db.session, customer_id)
    service.update_customer(db.session, customer, **changes)
    db.session.commit()
    return customer


@blp.route("/<id:customer_id>/merge", methods=["POST"])
@agent_required
@blp.arguments(MergeSchema)
@blp.response(200, CustomerSchema)
def merge_customer(args: dict[str, Any], customer_id: int) -> Customer:
    """Merge another customer into this one.

    Every identity, ticket and timeline entry of ``source_id`` moves into this customer.
    """
    survivor = service.get_customer(db.session, customer_id)
    source = referenced(db.session, "source_id", service.get_customer, args["source_id"])
    service.merge_customers(db.session, survivor, source, actor=current_user)
    db.session.commit()
    return survivor


@blp.route("/<id:customer_id>/merges", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MergeRecordPageSchema)
@paged
def list_customer_merges(
    _: dict[str, Any], customer_id: int, page: PageRequest
) -> Page[merges.MergeRecord]:
    """List the merges into this customer, newest first: who merged whom, and what moved.

    Merges into customers later merged into this one are listed too.
    """
    customer = service.get_customer(db.session, customer_id)
    return merges.merges_page(db.session, customer, page)


@blp.route("/<id:customer_id>/merge-preview", methods=["GET"])
@agent_required
@blp.arguments(MergePreviewQuerySchema, location="query")
@blp.response(200, MergePreviewSchema)
def preview_customer_merge(args: dict[str, Any], customer_id: int) -> merges.MergePreview:
    """Show what merging ``source_id`` into this customer would move; nothing changes.

    Answers 422 where the merge would: ``source_id`` of no customer, or this one.
    """
    survivor = service.get_customer(db.session, customer_id)
    source = referenced(db.session, "source_id", service.get_customer, args["source_id"])
    return merges.merge_preview(db.session, survivor, source)
