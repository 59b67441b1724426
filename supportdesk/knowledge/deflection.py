"""Deflection: the articles suggested before a contact, and whether the reader still
contacted us.

The widget (before a chat), the request form and the portal suggest articles while the
reader types (``GET /kb/suggest`` with ``surface``). Each article shown to a known reader
is one ``Suggestion`` (the same article shown again by the next keystroke is the same
one), with when it was shown, opened (its ``suggestion_id`` comes back on the article's
read), and whether the reader contacted us anyway within ``CONTACT_WINDOW``: a message
from their customer (a chat, an e-mail, a request) or a request filed from their browser.

Once that day is over a suggestion is *settled* (``settle``, hourly): it was a deflection
when the reader opened it and did not contact us; the article's ``deflection_count`` and
score then count it (``ranking.record_deflection``, at the time it was shown). A
suggestion shown but never opened deflected nobody: five titles flash by per keystroke,
and counting each would reward whatever matches common words.

The report (``deflection_report``): over suggestions shown in the last ``days``,
``rate = deflected / settled`` (None when none is settled yet): the suggestions still in
their day are counted as shown, and left out of the rate until they are settled, so a
fresh morning does not look like a failure.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Update, and_, bindparam, case, func, literal, or_, select, update

from supportdesk.core.database import insert_ignoring_duplicates, session_of
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import PageRequest
from supportdesk.core.queued_writes import write_later
from supportdesk.core.time import utcnow
from supportdesk.knowledge import ranking
from supportdesk.knowledge.activity import QUERY_MAX, aggregate_page
from supportdesk.knowledge.models import Article, KbSurface, Suggestion
from supportdesk.tickets.models import Direction, Message
from supportdesk.tickets.signals import message_created

if TYPE_CHECKING:
    from supportdesk.knowledge.voters import Voter

#: a reader who contacts us this soon after a suggestion was not deflected by it
CONTACT_WINDOW = timedelta(days=1)
#: where suggestions are recorded: the help center's own search box only helps reading
RECORDED_SURFACES = frozenset({KbSurface.WIDGET, KbSurface.REQUEST_FORM, KbSurface.PORTAL})
#: suggestions settled per statement (the hourly run loops until none is left)
SETTLE_BATCH = 1000


def record_shown(
    session: DbSession,
    reader: Voter,
    article_ids: Iterable[int],
    *,
    surface: KbSurface,
    query: str | None = None,
) -> dict[int, int]:
    """``reader`` was shown these articles on ``surface``: the id of each one's open
    suggestion, made now for an article not shown to them there since its last settling.

    Two keystrokes' requests may race to make one: the open suggestions' unique index
    keeps one, and the loser answers with it. Three statements however many are new (a
    keystroke shows up to five): the open ones, one INSERT for the new ones (of articles
    that still exist), and the ids it made."""
    ids = list(dict.fromkeys(article_ids))
    if not ids or surface not in RECORDED_SURFACES:
        return {}
    shown = _open_suggestions(session, reader.key, ids, surface)
    new = [article_id for article_id in ids if article_id not in shown]
    if not new:
        return shown
    columns = Suggestion.__table__.c
    values = {
        "reader": reader.key,
        "customer_id": reader.customer_id,
        "surface": surface,
        "query": (query or "")[:QUERY_MAX] or None,
        "shown_at": utcnow(),
    }
    made = select(
        *(literal(value, columns[name].type) for name, value in values.items()), Article.id
    ).where(Article.id.in_(new))
    connection = session.connection()
    # the open one a racing keystroke made is kept
    connection.execute(
        insert_ignoring_duplicates(connection, Suggestion).from_select(
            [*values, "article_id"], made
        )
    )
    return shown | _open_suggestions(session, reader.key, new, surface)


def record_opened(session: DbSession, reader: Voter, suggestion_id: int, article_id: int) -> bool:
    """``reader`` opened ``article_id`` from their suggestion ``suggestion_id`` (the
    first time counts); anyone else's id, another article's, or a made-up one changes
    nothing."""
    opened = session.execute(
        update(Suggestion)
        .where(
            Suggestion.id == suggestion_id,
            Suggestion.reader == reader.key,
            Suggestion.article_id == article_id,
            Suggestion.opened_at.is_(None),
        )
        .values(opened_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(opened.rowcount)  # type: ignore[attr-defined]


def record_contact(
    session: DbSession,
    *,
    customer_id: int | None = None,
    reader_key: str | None = None,
    at: datetime | None = None,
) -> None:
    """The customer (or the reader) contacted us: their suggestions of the last
    ``CONTACT_WINDOW`` did not deflect them.

    Queued (``core.queued_writes``): every message a customer sends marks them, and a
    chat batch's messages mark theirs in one executemany."""
    if customer_id is None and reader_key is None:
        return
    now = at or utcnow()
    write_later(
        session,
        _contact_statement(customer_id is not None, reader_key is not None),
        {
            "by_customer": customer_id,
            "by_reader": reader_key,
            "since": now - CONTACT_WINDOW,
            "now": now,
        },
    )


@functools.cache
def _contact_statement(by_customer: bool, by_reader: bool) -> Update:
    """``record_contact``'s UPDATE, built once (where its cache key is computed once
    too): it runs for every message a customer sends on any channel, and building it
    cost more than running it."""
    whose = []
    if by_customer:
        whose.append(Suggestion.customer_id == bindparam("by_customer"))
    if by_reader:
        whose.append(Suggestion.reader == bindparam("by_reader"))
    return (
        update(Suggestion)
        .where(
            or_(*whose),
            Suggestion.settled_at.is_(None),
            Suggestion.contacted_at.is_(None),
            Suggestion.shown_at >= bindparam("since"),
        )
        .values(contacted_at=bindparam("now"))
    )


def settle(session: DbSession, *, at: datetime | None = None) -> int:
    """Settle the suggestions whose day is over: each opened one without a contact is
    a deflection of its article. Returns how many were settled; the caller commits.

    Each batch is one UPDATE ... RETURNING of the unsettled rows, so two runs at once
    settle (and count) each suggestion once."""
    now = at or utcnow()
    settled = 0
    while True:
        batch = select(Suggestion.id).where(
            Suggestion.settled_at.is_(None), Suggestion.shown_at < now - CONTACT_WINDOW
        )
        rows = session.execute(
            update(Suggestion)
            .where(Suggestion.id.in_(batch.limit(SETTLE_BATCH).scalar_subquery()))
            .where(Suggestion.settled_at.is_(None))
            .values(settled_at=now)
            .returning(
                Suggestion.article_id,
                Suggestion.shown_at,
                Suggestion.opened_at,
                Suggestion.contacted_at,
            )
            .execution_options(synchronize_session=False)
        ).all()
        if not rows:
            return settled
        settled += len(rows)
        for row in rows:
            if row.opened_at is not None and row.contacted_at is None:
                article = session.get(Article, row.article_id)
                if article is not None:
                    ranking.record_deflection(session, article, at=row.shown_at)


@dataclass
class Figures:
    """What came of the suggestions shown: ``rate = deflected / settled``, None while
    none is settled."""

    shown: int
    opened: int
    contacted: int
    settled: int
    deflected: int

    @property
    def rate(self) -> float | None:
        return self.deflected / self.settled if self.settled else None


@dataclass
class ArticleFigures(Figures):
    article: Article | None = None


@dataclass
class DeflectionReport:
    overall: Figures
    items: list[ArticleFigures]
    next_cursor: str | None


def deflection_report(session: DbSession, page: PageRequest, *, days: int) -> DeflectionReport:
    """The figures of the suggestions shown in the last ``days``: overall, and per
    article, most shown first (then the newest article)."""
    since = utcnow() - timedelta(days=days)
    figures = _figures()
    overall = session.execute(select(*figures).where(Suggestion.shown_at >= since)).one()
    table = (
        select(Suggestion.article_id, *figures)
        .where(Suggestion.shown_at >= since)
        .group_by(Suggestion.article_id)
        .subquery()
    )
    rows, next_cursor = aggregate_page(
        session, table, [(table.c.shown, int), (table.c.article_id, int)], page
    )
    articles = {
        a.id: a
        for a in session.scalars(
            select(Article).where(Article.id.in_([r.article_id for r in rows]))
        )
    }
    items = [ArticleFigures(**_counts(row), article=articles.get(row.article_id)) for row in rows]
    return DeflectionReport(Figures(**_counts(overall)), items, next_cursor)


def _figures() -> list[Any]:
    def counting(*conditions: Any) -> Any:
        return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)

    settled = Suggestion.settled_at.is_not(None)
    return [
        func.count(Suggestion.id).label("shown"),
        counting(Suggestion.opened_at.is_not(None)).label("opened"),
        counting(Suggestion.contacted_at.is_not(None)).label("contacted"),
        counting(settled).label("settled"),
        counting(
            settled, Suggestion.opened_at.is_not(None), Suggestion.contacted_at.is_(None)
        ).label("deflected"),
    ]


def _counts(row: Any) -> dict[str, int]:
    return {
        name: int(getattr(row, name))
        for name in ("shown", "opened", "contacted", "settled", "deflected")
    }


def _open_suggestions(
    session: DbSession, reader_key: str, article_ids: list[int], surface: KbSurface
) -> dict[int, int]:
    rows = session.execute(
        select(Suggestion.article_id, Suggestion.id).where(
            Suggestion.reader == reader_key,
            Suggestion.article_id.in_(article_ids),
            Suggestion.surface == surface,
            Suggestion.settled_at.is_(None),
        )
    )
    return {article_id: suggestion_id for article_id, suggestion_id in rows}


@message_created.connect
def customer_got_in_touch(message: Message, *, imported: bool = False, **_: Any) -> None:
    """A customer's message (a chat, an e-mail, a request) is a contact: what they were
    suggested in the day before did not do."""
    if imported or message.direction is not Direction.INBOUND:
        return
    record_contact(session_of(message), customer_id=message.ticket.customer_id)
