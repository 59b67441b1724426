"""Slugs: the readable part of a help-center address, in the title's own script.

``python-slugify`` with ``allow_unicode`` keeps Chinese (``如何重置密码``) and accented
letters as they are, lower-cases, and turns punctuation and spaces into single hyphens:
a Chinese reader sees their words in the address bar, and search engines index them.
A slug is never digits only, so ``/kb/articles/{id_or_slug}`` can tell an id from a slug.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from supportdesk.core.database import savepoint
from supportdesk.core.errors import Conflict, InvalidInput
from supportdesk.core.models import DbSession

MAX_LENGTH = 80
#: what a title without a letter or digit in it (``???``) is called
FALLBACK = "article"
_SUFFIX = re.compile(r"-([2-9]|[1-9][0-9]{1,8})")


def slug_of(text: str, *, fallback: str = FALLBACK) -> str:
    """The slug ``text`` gives, or ``fallback`` where it gives none."""
    slug = slugify(text, allow_unicode=True, max_length=MAX_LENGTH, word_boundary=True)
    if not slug:
        return fallback
    return f"{fallback}-{slug}" if slug.isdigit() else slug


def given_slug(text: str, *, field: str = "slug") -> str:
    """A slug an editor typed, made canonical (``My Page`` -> ``my-page``); 422 if nothing
    of it is left or it is digits only (it would read as an id)."""
    slug = slugify(text, allow_unicode=True, max_length=MAX_LENGTH, word_boundary=True)
    if not slug:
        raise InvalidInput.field(field, "A slug needs a letter or a digit.")
    if slug.isdigit():
        raise InvalidInput.field(field, "A slug of digits only would read as an id.")
    return slug


def free_slug(base: str, taken: Callable[[str], Iterable[str]]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first one not taken.

    ``taken(base)`` answers, in one query, which of ``base`` and its numbered forms exist.
    """
    existing = set(taken(base))
    if base not in existing:
        return base
    used = {int(m.group(1)) for s in existing if (m := _SUFFIX.fullmatch(s.removeprefix(base)))}
    number = next(n for n in range(2, len(used) + 3) if n not in used)
    return f"{base}-{number}"  # past MAX_LENGTH by the suffix: the column has room


def unique_slug(
    session: DbSession,
    slug_column: InstrumentedAttribute[str],
    base: str,
    *where: Any,
    given: bool,
    keep_id: int | None,
    taken_by: str,
) -> str:
    """``base`` if no row ``where`` (other than ``keep_id``) has it; else a numbered form
    of it for a generated slug, or 409 "``taken_by`` has the slug" for one an editor gave."""
    id_column = slug_column.class_.id

    def taken(stem: str) -> list[str]:
        stmt = select(slug_column).where(
            (slug_column == stem) | slug_column.startswith(f"{stem}-", autoescape=True), *where
        )
        if keep_id is not None:
            stmt = stmt.where(id_column != keep_id)
        return list(session.scalars(stmt))

    existing = taken(base)
    if given and base in existing:
        raise Conflict(f"{taken_by} has the slug {base!r}.")
    return free_slug(base, lambda _: existing)


def insert_under_free_slug(
    session: DbSession, row: Any, choose: Callable[[], str], *, given: bool, taken_by: str
) -> None:
    """Insert ``row`` (an article, a category, a section) under the slug ``choose()``
    finds free (``unique_slug``).

    A generated slug that a concurrent save took between our look and our insert is
    chosen anew (the unique index tells); a slug the editor gave is theirs or a 409.
    """
    while True:
        slug = choose()
        if slug == row.slug:  # free a moment ago, taken now: not a slug race after all
            raise Conflict(f"{taken_by} has the slug {slug!r}.")
        row.slug = slug
        try:
            with savepoint(session):
                session.add(row)
                session.flush()
            return
        except IntegrityError:
            if given:
                raise Conflict(f"{taken_by} has the slug {slug!r}.") from None
