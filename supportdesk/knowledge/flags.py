"""Agents' flags on articles that are wrong, raised from the article or from a ticket,
and resolved with who, when and how.

A flag stays open until an agent resolves it: ``fixed`` (the article was corrected; the
flag keeps the version that was current then) or ``dismissed`` (the article was right).
Open flags put their article in the review queue (``review``).
"""

from __future__ import annotations

import enum

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import Conflict, NotFound, referenced
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.time import utcnow
from supportdesk.knowledge.articles import get_article
from supportdesk.knowledge.models import Article, ArticleFlag, FlagReason, FlagResolution
from supportdesk.tickets.models import Ticket
from supportdesk.users.models import User

#: a note says what is wrong and where: a paragraph, not a rewrite
NOTE_MAX = 2000


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


#: what a flag is shown with: its article and the agents named, in the flag's statement
SHOWN = (
    joinedload(ArticleFlag.article),
    joinedload(ArticleFlag.flagged_by),
    joinedload(ArticleFlag.resolved_by),
)


def flag_article(
    session: DbSession,
    article_id: int,
    *,
    reason: FlagReason,
    agent: User,
    note: str | None = None,
    ticket_id: int | None = None,
) -> ArticleFlag:
    """``agent`` reports that the article (published or a draft) is wrong; ``ticket_id``
    is the ticket they were working when they saw it (422 ``errors.ticket_id`` for none)."""
    article = get_article(session, article_id)
    if ticket_id is not None:
        referenced(session, "ticket_id", _ticket, ticket_id)
    flag = ArticleFlag(
        article_id=article.id,
        reason=reason,
        note=(note or "").strip() or None,
        ticket_id=ticket_id,
        flagged_by_id=agent.id,
        created_at=utcnow(),
    )
    session.add(flag)
    session.flush()
    return get_flag(session, flag.id)


def get_flag(session: DbSession, flag_id: int) -> ArticleFlag:
    """The flag with what it is shown with, as the database has it now."""
    flag = session.scalar(
        select(ArticleFlag)
        .where(ArticleFlag.id == flag_id)
        .options(*SHOWN)
        .execution_options(populate_existing=True)
    )
    if flag is None:
        raise NotFound(f"No flag {flag_id}.")
    return flag


def flags_page(
    session: DbSession,
    page: PageRequest,
    *,
    status: FlagStatus | None = None,
    article_id: int | None = None,
) -> Page[ArticleFlag]:
    """Flags, newest first, each with its article and agents: one statement per page."""
    stmt = select(ArticleFlag).options(*SHOWN)
    if status is FlagStatus.OPEN:
        stmt = stmt.where(ArticleFlag.resolved_at.is_(None))
    elif status is FlagStatus.RESOLVED:
        stmt = stmt.where(ArticleFlag.resolved_at.is_not(None))
    if article_id is not None:
        stmt = stmt.where(ArticleFlag.article_id == article_id)
    return keyset_page(session, stmt, (ArticleFlag.id,), page, descending=True)


def resolve_flag(
    session: DbSession,
    flag_id: int,
    *,
    resolution: FlagResolution,
    agent: User,
    note: str | None = None,
) -> ArticleFlag:
    """Close the open flag: by ``agent``, now, ``fixed`` (in the article's current
    version) or ``dismissed``. 409 for a flag resolved already: two agents resolving it
    at once get one resolution, and the second hears whose."""
    flag = get_flag(session, flag_id)
    fixed_in = (
        select(Article.version).where(Article.id == ArticleFlag.article_id).scalar_subquery()
        if resolution is FlagResolution.FIXED
        else None
    )
    resolved = session.execute(
        update(ArticleFlag)
        .where(ArticleFlag.id == flag.id, ArticleFlag.resolved_at.is_(None))
        .values(
            resolved_at=utcnow(),
            resolved_by_id=agent.id,
            resolution=resolution,
            resolution_note=(note or "").strip() or None,
            fixed_in_version=fixed_in,
        )
        .execution_options(synchronize_session=False)
    )
    flag = get_flag(session, flag.id)
    if not resolved.rowcount:  # type: ignore[attr-defined]
        by = flag.resolved_by.name if flag.resolved_by else "an agent no longer here"
        raise Conflict(f"Flag {flag.id} was resolved already ({flag.resolution}, by {by}).")
    return flag


def _ticket(session: DbSession, ticket_id: int) -> Ticket:
    return get_or_not_found(session, Ticket, ticket_id, "ticket")
