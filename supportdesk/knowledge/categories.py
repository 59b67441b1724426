"""Categories and their sections: the help center's shelves, named in every desk locale.

Both are listed by ``position`` (then id), the order editors give them; a new one goes to
the end. Removing a category removes its sections; their articles stay, unfiled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import referenced
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.knowledge import slugs
from supportdesk.knowledge.models import Article, Category, Section

#: what a category or section without a name in a locale's script is called
FALLBACK_SLUG = "section"
#: whom a 409 over a slug names
CATEGORY_TAKEN = "Another category"
SECTION_TAKEN = "Another section of this category"


def get_category(session: DbSession, category_id: int) -> Category:
    return get_or_not_found(session, Category, category_id, "category")


def get_section(session: DbSession, section_id: int) -> Section:
    return get_or_not_found(session, Section, section_id, "section")


def categories_page(session: DbSession, page: PageRequest) -> Page[Category]:
    """In the editors' order, each with its sections (one query for the page's)."""
    stmt = select(Category).options(selectinload(Category.sections))
    return keyset_page(session, stmt, (Category.position, Category.id), page, descending=False)


def sections_page(
    session: DbSession, page: PageRequest, *, category_id: int | None = None
) -> Page[Section]:
    stmt = select(Section)
    if category_id is not None:
        stmt = stmt.where(Section.category_id == category_id)
    return keyset_page(session, stmt, (Section.position, Section.id), page, descending=False)


def _in_locale_order(texts: Mapping[str, str]) -> dict[str, str]:
    return {locale: texts[locale] for locale in DESK_LOCALES if texts.get(locale)}


def _base_slug(names: Mapping[str, str], given: str | None) -> str:
    """The slug given (made canonical), else one from the first name the desk has."""
    if given is not None:
        return slugs.given_slug(given)
    first = next(iter(_in_locale_order(names).values()), "")
    return slugs.slug_of(first, fallback=FALLBACK_SLUG)


def _next_position(session: DbSession, column: Any, *where: Any) -> int:
    return int(session.scalar(select(func.coalesce(func.max(column), -1)).where(*where))) + 1


def create_category(
    session: DbSession,
    *,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    slug: str | None = None,
    position: int | None = None,
) -> Category:
    row = Category(
        names=_in_locale_order(names),
        descriptions=_in_locale_order(descriptions or {}),
        position=_next_position(session, Category.position) if position is None else position,
    )
    base, given = _base_slug(names, slug), slug is not None
    slugs.insert_under_free_slug(
        session,
        row,
        lambda: _category_slug(session, base, given=given),
        given=given,
        taken_by=CATEGORY_TAKEN,
    )
    return row


def _category_slug(
    session: DbSession, base: str, *, given: bool, keep: Category | None = None
) -> str:
    return slugs.unique_slug(
        session,
        Category.slug,
        base,
        given=given,
        keep_id=keep.id if keep else None,
        taken_by=CATEGORY_TAKEN,
    )


def update_category(session: DbSession, row: Category, changes: Mapping[str, Any]) -> Category:
    """Change what ``changes`` names; ``names`` and ``descriptions`` are replaced whole."""
    if "names" in changes:
        row.names = _in_locale_order(changes["names"])
    if "descriptions" in changes:
        row.descriptions = _in_locale_order(changes["descriptions"] or {})
    if changes.get("slug") is not None:
        row.slug = _category_slug(session, slugs.given_slug(changes["slug"]), given=True, keep=row)
    if changes.get("position") is not None:
        row.position = changes["position"]
    session.flush()
    return row


def delete_category(session: DbSession, row: Category) -> None:
    """Its sections go with it (the database cascades); its articles stay, unfiled."""
    session.delete(row)
    session.flush()


def create_section(
    session: DbSession,
    *,
    category_id: int,
    names: Mapping[str, str],
    slug: str | None = None,
    position: int | None = None,
) -> Section:
    referenced(session, "category_id", get_category, category_id)
    row = Section(
        category_id=category_id,
        names=_in_locale_order(names),
        position=(
            _next_position(session, Section.position, Section.category_id == category_id)
            if position is None
            else position
        ),
    )
    base, given = _base_slug(names, slug), slug is not None
    slugs.insert_under_free_slug(
        session,
        row,
        lambda: _section_slug(session, category_id, base, given=given),
        given=given,
        taken_by=SECTION_TAKEN,
    )
    return row


def _section_slug(
    session: DbSession, category_id: int, base: str, *, given: bool, keep: Section | None = None
) -> str:
    """Unique within the category."""
    return slugs.unique_slug(
        session,
        Section.slug,
        base,
        Section.category_id == category_id,
        given=given,
        keep_id=keep.id if keep else None,
        taken_by=SECTION_TAKEN,
    )


def update_section(session: DbSession, row: Section, changes: Mapping[str, Any]) -> Section:
    """Change what ``changes`` names; moving to another category keeps the slug if free
    there, else numbers it."""
    if "names" in changes:
        row.names = _in_locale_order(changes["names"])
    category_id = changes.get("category_id") or row.category_id
    if category_id != row.category_id:
        referenced(session, "category_id", get_category, category_id)
    if changes.get("slug") is not None:
        row.slug = _section_slug(
            session, category_id, slugs.given_slug(changes["slug"]), given=True, keep=row
        )
    elif category_id != row.category_id:
        row.slug = _section_slug(session, category_id, row.slug, given=False, keep=row)
    if category_id != row.category_id:  # its articles move with it
        session.execute(
            update(Article).where(Article.section_id == row.id).values(category_id=category_id)
        )
    row.category_id = category_id
    if changes.get("position") is not None:
        row.position = changes["position"]
    session.flush()
    return row


def delete_section(session: DbSession, row: Section) -> None:
    """Its articles stay in the category, in no section."""
    session.delete(row)
    session.flush()
