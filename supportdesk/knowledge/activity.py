"""What readers do in self-service, kept for their timeline: searches, views, ratings.

A reader (``knowledge.voters``) is who the desk knows them as: a signed-in portal
customer, the widget's visitor (its token), the help center's browser (its cookie).
Activity is recorded under the reader; while the reader is no customer yet (a visitor
who has not chatted, an anonymous browser) it is on nobody's timeline. When the reader
becomes one (``join_reader``: the visitor's first chat or proof, a request filed from
the browser, a portal sign-in) the last ``JOIN_WINDOW`` of it joins that customer's
timeline, and everything after goes there at once.

Only the desk's own keys join: a reader key comes from a token, a cookie or a sign-in
the desk issued, never from an address anyone typed.

Keystrokes do not flood the timeline: a reader's search within ``SEARCH_COALESCE`` of
their previous one, on the same surface with nothing else done between, that extends it
or is shortened from it, replaces it (``typed_at`` moves, ``occurred_at`` stays). A
reader's views of one article count once an hour (a unique ``view_hour``; the loser of a
race is the duplicate).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Subquery,
    case,
    func,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError

from supportdesk.core.database import savepoint, session_of
from supportdesk.core.errors import InvalidInput
from supportdesk.core.json_bodies import loads_untrusted
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, encode_cursor
from supportdesk.core.time import utcnow
from supportdesk.customers.models import Customer
from supportdesk.customers.signals import customers_merged
from supportdesk.knowledge.activity_signals import kb_activity_joined
from supportdesk.knowledge.models import (
    Article,
    ArticleVote,
    KbAction,
    KbActivity,
    KbSurface,
    Suggestion,
)

if TYPE_CHECKING:  # voters reads the chat's visitors, whose identity joins readers here
    from supportdesk.knowledge.voters import Voter

#: a search typed within this long after the reader's previous one may replace it
SEARCH_COALESCE = timedelta(seconds=30)
#: a rating given again within this long (the same answer) is that rating, with more said
RATING_COALESCE = timedelta(minutes=10)
#: a reader's self-service this recent joins the customer they become
JOIN_WINDOW = timedelta(days=7)
#: at most this many of a reader's activities join at once (the newest)
JOIN_LIMIT = 200
#: the longest query kept (what the search fields allow)
QUERY_MAX = 200


def record_search(
    session: DbSession,
    reader: Voter,
    query: str,
    result_count: int,
    *,
    surface: KbSurface,
    locale: str | None = None,
    at: datetime | None = None,
) -> KbActivity | None:
    """``reader`` searched for ``query`` and found ``result_count`` articles; None for
    words that are no search (blank)."""
    query = " ".join(query.split())[:QUERY_MAX]
    if not query:
        return None
    now = at or utcnow()
    previous = _latest(session, reader, now - SEARCH_COALESCE)
    if (
        previous is not None
        and previous.action is KbAction.SEARCHED
        and previous.surface is surface
        and _same_search(previous.query or "", query)
    ):
        previous.query, previous.result_count, previous.typed_at = query, result_count, now
        previous.locale = locale or previous.locale
        session.flush()
        return previous
    return _add(
        session,
        reader,
        KbActivity(
            action=KbAction.SEARCHED,
            query=query,
            result_count=result_count,
            locale=locale,
            surface=surface,
            occurred_at=now,
            typed_at=now,
        ),
    )


def record_view(
    session: DbSession,
    reader: Voter,
    article: Article,
    *,
    surface: KbSurface,
    at: datetime | None = None,
) -> KbActivity | None:
    """``reader`` opened ``article``; None when they had already this hour."""
    now = at or utcnow()
    activity = KbActivity(
        action=KbAction.VIEWED,
        article_id=article.id,
        locale=article.locale,
        surface=surface,
        occurred_at=now,
        typed_at=now,
        view_hour=int(now.timestamp() // 3600),
    )
    try:
        with savepoint(session):
            return _add(session, reader, activity)
    except IntegrityError:  # this hour's view is there already (perhaps a moment ago)
        return None


def record_rating(
    session: DbSession,
    reader: Voter,
    article: Article,
    *,
    helpful: bool,
    surface: KbSurface,
    comment: str | None = None,
    at: datetime | None = None,
) -> KbActivity:
    """``reader`` answered "Was this helpful?" on ``article`` (each answer, a changed
    mind too: the agent sees the reader's way to it), with what they wrote was missing.

    The same answer again within ``RATING_COALESCE`` is that rating, told more: the
    widget sends a No at once and its comment a moment later.
    """
    now = at or utcnow()
    comment = (comment or "").strip() or None
    previous = _latest(session, reader, now - RATING_COALESCE)
    if (
        previous is not None
        and previous.action is KbAction.RATED
        and previous.article_id == article.id
        and previous.helpful is helpful
    ):
        previous.comment, previous.typed_at = comment or previous.comment, now
        session.flush()
        return previous
    return _add(
        session,
        reader,
        KbActivity(
            action=KbAction.RATED,
            article_id=article.id,
            helpful=helpful,
            comment=comment if not helpful else None,
            locale=article.locale,
            surface=surface,
            occurred_at=now,
            typed_at=now,
        ),
    )


def join_reader(
    session: DbSession, reader_key: str, customer_id: int, *, at: datetime | None = None
) -> int:
    """The reader ``reader_key`` turned out to be customer ``customer_id``: their
    self-service of the last ``JOIN_WINDOW`` that belongs to no customer yet joins that
    customer's timeline, and their suggestions of it count toward the customer's contacts
    (``deflection``). Returns how many activities joined.

    The caller vouches that the key is the customer's by the desk's own proof (the
    visitor's token, the browser's cookie, a sign-in): never call it for a typed address.
    """
    return join_readers(session, {reader_key: customer_id}, at=at)


def join_readers(
    session: DbSession, customers: Mapping[str, int], *, at: datetime | None = None
) -> int:
    """``join_reader`` for each reader key of ``customers`` and its customer id, in one
    UPDATE and one query for them all: a chat batch makes a customer of every visitor
    whose first message it holds, and two statements each (the query also sending what
    ``core.queued_writes`` held) were a fifth of what those messages cost."""
    if not customers:
        return 0
    since = (at or utcnow()) - JOIN_WINDOW
    readers = list(customers)
    session.execute(
        update(Suggestion)
        .where(
            Suggestion.reader.in_(readers),
            Suggestion.customer_id.is_(None),
            Suggestion.shown_at >= since,
        )
        .values(customer_id=case(customers, value=Suggestion.reader))
        .execution_options(synchronize_session=False)
    )
    newest_first = (KbActivity.occurred_at.desc(), KbActivity.id.desc())
    latest = (
        select(
            KbActivity.id,
            func.row_number()
            .over(partition_by=KbActivity.reader, order_by=newest_first)
            .label("rank"),
        )
        .where(
            KbActivity.reader.in_(readers),
            KbActivity.customer_id.is_(None),
            KbActivity.occurred_at >= since,
        )
        .subquery()
    )
    joining = list(
        session.scalars(
            select(KbActivity)
            .join(latest, latest.c.id == KbActivity.id)
            .where(latest.c.rank <= JOIN_LIMIT)
            .order_by(*newest_first)
        )
    )
    for activity in joining:
        activity.customer_id = customers[activity.reader]
    session.flush()
    for activity in joining:
        kb_activity_joined.send(activity)
    return len(joining)


def _add(session: DbSession, reader: Voter, activity: KbActivity) -> KbActivity:
    activity.reader, activity.customer_id = reader.key, reader.customer_id
    session.add(activity)
    session.flush()
    if activity.customer_id is not None:
        kb_activity_joined.send(activity)
    return activity


def _latest(session: DbSession, reader: Voter, since: datetime) -> KbActivity | None:
    """The reader's activity last changed (``typed_at``) since ``since``, which the next
    one may be more of (a search typed on, a rating told more)."""
    return session.scalar(
        select(KbActivity)
        .where(
            KbActivity.reader == reader.key,
            # over the reader's index: nothing coalesced lasts a day
            KbActivity.occurred_at >= since - timedelta(days=1),
            KbActivity.typed_at >= since,
        )
        .order_by(KbActivity.typed_at.desc(), KbActivity.id.desc())
        .limit(1)
    )


def _same_search(previous: str, query: str) -> bool:
    """One search being typed (or corrected): either is the other's start, case aside."""
    a, b = previous.casefold(), query.casefold()
    return a.startswith(b) or b.startswith(a)


@customers_merged.connect
def move_activity_to_survivor(survivor: Customer, *, source: Customer, **_: Any) -> None:
    """The merged customer's self-service is the survivor's: what they did, were shown and
    how they voted (their timeline entries move with the timeline's own listener)."""
    session = session_of(survivor)
    for model in (KbActivity, Suggestion, ArticleVote):
        session.execute(
            update(model)
            .where(model.customer_id == source.id)
            .values(customer_id=survivor.id)
            .execution_options(synchronize_session=False)
        )


@dataclass
class UnansweredSearch:
    """Words readers searched for and found nothing: what to write next."""

    query: str
    locale: str | None
    count: int
    last_searched_at: datetime


def unanswered_searches(
    session: DbSession, page: PageRequest, *, days: int, locale: str | None = None
) -> Page[UnansweredSearch]:
    """The searches of the last ``days`` that found nothing, most frequent first (then
    the latest), one item per query (case-folded as SQL's ``lower`` does) and locale.

    Grouped over the index of searches without results in the window: the cost follows
    the window's unanswered searches, which is what an editor asks about.
    """
    since = utcnow() - timedelta(days=days)
    word = func.lower(KbActivity.query)
    language = func.coalesce(KbActivity.locale, literal_column("''"))
    grouped = select(
        word.label("query"),
        language.label("locale"),
        func.count().label("count"),
        func.max(KbActivity.occurred_at).label("last_searched_at"),
    ).where(
        KbActivity.action == KbAction.SEARCHED,
        KbActivity.result_count == 0,
        KbActivity.occurred_at >= since,
        KbActivity.query.is_not(None),
    )
    if locale:
        grouped = grouped.where(KbActivity.locale == locale)
    table = grouped.group_by(word, language).subquery()
    rows, next_cursor = aggregate_page(
        session,
        table,
        [
            (table.c["count"], int),
            (table.c.last_searched_at, datetime),
            (table.c.query, str),
            (table.c.locale, str),
        ],
        page,
    )
    items = [
        UnansweredSearch(row.query, row.locale or None, row._mapping["count"], row.last_searched_at)
        for row in rows
    ]
    return Page(items, next_cursor)


def aggregate_page(
    session: DbSession,
    table: Subquery,
    keys: Sequence[tuple[ColumnElement[Any], type]],
    page: PageRequest,
) -> tuple[list[Row[Any]], str | None]:
    """One keyset page of an aggregate (``table``, a grouped subquery), highest ``keys``
    first: ``core.pagination`` pages over one entity's columns; a report's order is its
    figures. Each key is a column of ``table`` and the Python type its values have (the
    cursor's values are checked against them, like any input)."""
    columns = [column for column, _ in keys]
    stmt = select(table)
    if page.cursor:
        after = _decode(page.cursor, [kind for _, kind in keys])
        bound = tuple_(*after, types=[column.type for column in columns])
        stmt = stmt.where(tuple_(*columns) < bound)
    stmt = stmt.order_by(*(column.desc() for column in columns)).limit(page.limit + 1)
    rows = list(session.execute(stmt))
    next_cursor = None
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        next_cursor = encode_cursor([getattr(rows[-1], column.name) for column in columns])
    return rows, next_cursor


def _decode(cursor: str, kinds: Sequence[type]) -> list[Any]:
    try:
        raw = loads_untrusted(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError("wrong shape")
        return [_value(value, kind) for value, kind in zip(raw, kinds, strict=True)]
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.field("cursor", "Not a cursor this API gave out.") from None


def _value(value: Any, kind: type) -> Any:
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive time")
        return parsed
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        if not -(2**31) <= value < 2**31:
            raise ValueError("out of range")
        return value
    if kind is str and isinstance(value, str) and len(value) <= QUERY_MAX:
        return value
    raise ValueError("unexpected key value")
