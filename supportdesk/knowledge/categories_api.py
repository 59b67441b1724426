"""Categories and sections: anyone lists and reads them; agents keep them."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from supportdesk.core.api_docs import ANYONE_OR_AGENT
from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.knowledge import categories
from supportdesk.knowledge.models import Category, Section
from supportdesk.knowledge.schemas import (
    CategoryCreateSchema,
    CategoryPageSchema,
    CategorySchema,
    CategoryUpdateSchema,
    SectionCreateSchema,
    SectionPageSchema,
    SectionQuerySchema,
    SectionSchema,
    SectionUpdateSchema,
)

blp = Blueprint(
    "kb_categories", __name__, url_prefix="/api/v1", description="Knowledge base: categories"
)


@blp.route("/kb/categories", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CategoryPageSchema)
@paged
def list_categories(_filters: dict[str, Any], page: PageRequest) -> Page[Category]:
    """List the categories in the editors' order, each with its sections."""
    return categories.categories_page(db.session, page)


@blp.route("/kb/categories", methods=["POST"])
@agent_required
@blp.arguments(CategoryCreateSchema)
@blp.response(201, CategorySchema)
def create_category(fields: dict[str, Any]) -> Category:
    """Add a category (agents), named in each locale.

    It goes last unless ``position`` says where. The slug comes from the first name
    unless given (409 if taken)."""
    row = categories.create_category(db.session, **fields)
    db.session.commit()
    return row


@blp.route("/kb/categories/<id:category_id>", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.response(200, CategorySchema)
def get_category(category_id: int) -> Category:
    """Read a category with its sections."""
    return categories.get_category(db.session, category_id)


@blp.route("/kb/categories/<id:category_id>", methods=["PATCH"])
@agent_required
@blp.arguments(CategoryUpdateSchema)
@blp.response(200, CategorySchema)
def update_category(changes: dict[str, Any], category_id: int) -> Category:
    """Rename, describe, re-slug or move a category (agents); names are replaced whole."""
    row = categories.update_category(
        db.session, categories.get_category(db.session, category_id), changes
    )
    db.session.commit()
    return row


@blp.route("/kb/categories/<id:category_id>", methods=["DELETE"])
@agent_required
@blp.response(204)
def delete_category(category_id: int) -> None:
    """Remove a category and its sections (agents); its articles stay, in no category."""
    categories.delete_category(db.session, categories.get_category(db.session, category_id))
    db.session.commit()


@blp.route("/kb/sections", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.arguments(SectionQuerySchema, location="query")
@blp.response(200, SectionPageSchema)
@paged
def list_sections(filters: dict[str, Any], page: PageRequest) -> Page[Section]:
    """List sections in the editors' order (of one category with ``category_id``)."""
    return categories.sections_page(db.session, page, **filters)


@blp.route("/kb/sections", methods=["POST"])
@agent_required
@blp.arguments(SectionCreateSchema)
@blp.response(201, SectionSchema)
def create_section(fields: dict[str, Any]) -> Section:
    """Add a section to a category (agents).

    It goes last there unless ``position`` says where. The slug is unique in the
    category."""
    row = categories.create_section(db.session, **fields)
    db.session.commit()
    return row


@blp.route("/kb/sections/<id:section_id>", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.response(200, SectionSchema)
def get_section(section_id: int) -> Section:
    """Read a section."""
    return categories.get_section(db.session, section_id)


@blp.route("/kb/sections/<id:section_id>", methods=["PATCH"])
@agent_required
@blp.arguments(SectionUpdateSchema)
@blp.response(200, SectionSchema)
def update_section(changes: dict[str, Any], section_id: int) -> Section:
    """Rename, re-slug, reorder or move a section (agents).

    Moved to another category, it takes its articles along."""
    row = categories.update_section(
        db.session, categories.get_section(db.session, section_id), changes
    )
    db.session.commit()
    return row


@blp.route("/kb/sections/<id:section_id>", methods=["DELETE"])
@agent_required
@blp.response(204)
def delete_section(section_id: int) -> None:
    """Remove a section (agents); its articles stay in the category."""
    categories.delete_section(db.session, categories.get_section(db.session, section_id))
    db.session.commit()
