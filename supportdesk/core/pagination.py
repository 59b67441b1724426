"""Keyset ("cursor") pagination.

A page is ``WHERE (k1, k2) < (:last_k1, :last_k2) ORDER BY k1, k2 LIMIT n+1`` over an
index on the keys, so fetching page 100 costs what page 1 costs. The cursor is the
last row's keys, base64url-encoded JSON: opaque to clients, cheap for us.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import marshmallow as ma
from sqlalchemy import BigInteger, Float, Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from supportdesk.core.errors import InvalidInput
from supportdesk.core.json_bodies import loads_untrusted
from supportdesk.core.time import UTCDateTime

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: the cursors we give out are a few keys long; anything longer is made up
MAX_CURSOR_LENGTH = 500


class PageArgsSchema(ma.Schema):
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT)
    )
    cursor = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=MAX_CURSOR_LENGTH),
        metadata={"description": "next_cursor of the previous page"},
    )


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """``{"items": [...], "next_cursor": str | null}`` around ``item_schema``."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(allow_none=True, required=True),
        },
        name=name,
    )


@dataclass(frozen=True)
class PageRequest:
    """Which page a client asked for: ``limit`` rows after ``cursor`` (None: the first)."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


V = TypeVar("V", bound=Callable[..., Any])


def paged(view: V) -> V:
    """A list view's ``limit`` and ``cursor`` arrive as one ``PageRequest`` (keyword
    ``page``), its other query arguments as they were parsed: the view hands both on
    to its service. Goes below ``@blp.arguments(<a PageArgsSchema>, location="query")``.
    """

    @functools.wraps(view)
    def wrapper(args: dict[str, Any], *rest: Any, **kwargs: Any) -> Any:
        filters = dict(args)
        page = PageRequest(filters.pop("limit"), filters.pop("cursor"))
        return view(filters, *rest, page=page, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[InstrumentedAttribute[Any]]) -> list[Any]:
    """The keys in ``cursor``, each a value its column can hold; else the cursor's 422.

    Cursors come back from clients, so they are checked like any input: a made-up one
    (a huge number, a time at the edge of the calendar) must not reach the database.
    """
    try:
        raw = loads_untrusted(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            raise ValueError("wrong shape")
        return [_key_value(key, value) for key, value in zip(keys, raw, strict=True)]
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.field("cursor", "Not a cursor this API gave out.") from None


def _key_value(key: InstrumentedAttribute[Any], value: Any) -> Any:
    if isinstance(key.type, UTCDateTime):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive time")
        parsed.astimezone(UTC)  # OverflowError past year 9999 or before year 1, in UTC
        return parsed
    if isinstance(key.type, Float) and isinstance(value, int | float):
        if isinstance(value, bool) or not math.isfinite(value):
            raise ValueError("not a finite number")
        return float(value)  # a score: JSON gives it back exactly as it was written
    if isinstance(value, int) and not isinstance(value, bool):
        bits = 64 if isinstance(key.type, BigInteger) else 32
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ValueError("out of the column's range")
        return value
    raise ValueError("unexpected key value")


def keyset_page(
    session: Any,
    stmt: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    page: PageRequest,
    *,
    descending: bool,
    load: Callable[[list[Any]], None] | None = None,
) -> Page[Any]:
    """Run ``stmt`` (selecting one entity) one page at a time, ordered by ``keys``.

    ``load`` runs on the page's rows before they are returned, for batch loading
    what the page needs (one query per relation, sized by the page).
    """
    limit, cursor = page.limit, page.cursor
    if cursor:
        after = decode_cursor(cursor, keys)
        row = tuple_(*keys)
        # Bound with the keys' own types, so a cursor time goes through UTCDateTime.
        bound = tuple_(*after, types=[key.type for key in keys])
        stmt = stmt.where(row < bound if descending else row > bound)
    order = [key.desc() if descending else key.asc() for key in keys]
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    if load and rows:
        load(rows)
    next_cursor = None
    if has_more:
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, key.key) for key in keys])
    return Page(rows, next_cursor)
