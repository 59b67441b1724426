"""Saved views: an agent's own inbox filters, named and kept in the order they choose.

A view's ``filters`` are the query ``GET /tickets`` takes, as JSON (``{"view": "mine",
"statuses": ["pending", "on_hold"], "unassigned": false}``), validated by the list's own
schema (``saved_views_api.SavedViewFiltersSchema``), so a saved view never holds what the
list would refuse. Only their owner sees them: another agent's id answers 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.core.errors import Conflict, NotFound
from supportdesk.core.models import DbSession, JSONType
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db

#: an inbox sidebar's worth: the list of one agent's views is one page, never paged
MAX_SAVED_VIEWS = 50


class SavedView(db.Model):  # type: ignore[name-defined]
    __tablename__ = "saved_views"
    __table_args__ = (Index("ix_saved_views_user_id_position", "user_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: the sidebar's order, lowest first (ties: the older view first)
    position: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def saved_views(session: DbSession, owner_id: int) -> list[SavedView]:
    """The owner's views, in their order."""
    stmt = (
        select(SavedView)
        .where(SavedView.user_id == owner_id)
        .order_by(SavedView.position, SavedView.id)
    )
    return list(session.scalars(stmt))


def get_saved_view(session: DbSession, saved_view_id: int, owner_id: int) -> SavedView:
    """The owner's view; someone else's is as missing as one that never was."""
    view = session.get(SavedView, saved_view_id)
    if view is None or view.user_id != owner_id:
        raise NotFound(f"No saved view {saved_view_id}.")
    return view


def create_saved_view(
    session: DbSession,
    owner_id: int,
    *,
    name: str,
    filters: Mapping[str, Any],
    position: int | None = None,
) -> SavedView:
    """A new view for ``owner_id``; without ``position``, after their last one."""
    count, last = session.execute(
        select(func.count(), func.max(SavedView.position)).where(SavedView.user_id == owner_id)
    ).one()
    if count >= MAX_SAVED_VIEWS:
        raise Conflict(f"An agent keeps {MAX_SAVED_VIEWS} saved views at most; delete one first.")
    if position is None:
        position = 0 if last is None else last + 1
    view = SavedView(user_id=owner_id, name=name, filters=dict(filters), position=position)
    session.add(view)
    session.flush()
    return view


def update_saved_view(session: DbSession, view: SavedView, changes: Mapping[str, Any]) -> SavedView:
    """Rename, move, or refilter a view (``filters`` replaces the filters whole)."""
    for field in ("name", "filters", "position"):
        if field in changes:
            setattr(view, field, changes[field])
    session.flush()
    return view


def delete_saved_view(session: DbSession, view: SavedView) -> None:
    session.delete(view)
    session.flush()
