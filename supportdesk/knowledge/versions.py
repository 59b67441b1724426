"""An article's versions: every save keeps one (``articles._saved``); here they are listed,
shown, compared and restored. A restore is a save like any other: a new version with the
old title and body, so the history only grows and the restore itself can be undone."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.knowledge.articles import update_article
from supportdesk.knowledge.models import Article, ArticleVersion
from supportdesk.knowledge.rendering import render_markdown
from supportdesk.users.models import User

#: past this many lines a side, bodies are compared by their common start and end only
MAX_MATCHED_LINES = 2000


def versions_page(session: DbSession, article: Article, page: PageRequest) -> Page[ArticleVersion]:
    """Newest first, each with its author (one query for the page's)."""
    stmt = (
        select(ArticleVersion)
        .where(ArticleVersion.article_id == article.id)
        .options(selectinload(ArticleVersion.author))
    )
    return keyset_page(session, stmt, (ArticleVersion.number,), page, descending=True)


def get_version(
    session: DbSession, article: Article, number: int, *, field: str | None = None
) -> ArticleVersion:
    """Version ``number`` of ``article``: 404, or the ``field``'s 422 when it came in a query."""
    version = session.scalar(
        select(ArticleVersion).where(
            ArticleVersion.article_id == article.id, ArticleVersion.number == number
        )
    )
    if version is None:
        message = f"Article {article.id} has no version {number}."
        raise InvalidInput.field(field, message) if field else NotFound(message)
    return version


def version_html(version: ArticleVersion) -> str:
    """The version's body as readers saw it (rendered now: versions keep the Markdown)."""
    return render_markdown(version.body)


@dataclass(frozen=True)
class DiffLine:
    #: ``hunk`` is a ``@@ -a,b +c,d @@`` line that starts a changed stretch
    kind: Literal["context", "added", "removed", "hunk"]
    text: str


@dataclass(frozen=True)
class VersionDiff:
    from_number: int
    to_number: int
    title_from: str
    title_to: str
    #: the bodies' unified diff (``difflib``), as ``diff -u`` prints it
    unified: str
    #: the same, line by line, for a side-by-side or coloured view
    lines: list[DiffLine]


def diff_versions(old: ArticleVersion, new: ArticleVersion, *, context: int = 3) -> VersionDiff:
    """What changed from ``old`` to ``new``: the title, and the body line by line."""
    a, b = old.body.splitlines(), new.body.splitlines()
    lines: list[DiffLine] = []
    unified = [f"--- version {old.number}", f"+++ version {new.number}"]
    for group in _matcher(a, b).get_grouped_opcodes(context):
        hunk = f"@@ -{_range(group[0][1], group[-1][2])} +{_range(group[0][3], group[-1][4])} @@"
        lines.append(DiffLine("hunk", hunk))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("context", line) for line in a[i1:i2]]
                continue
            lines += [DiffLine("removed", line) for line in a[i1:i2]]
            lines += [DiffLine("added", line) for line in b[j1:j2]]
    signs = {"hunk": "", "context": " ", "removed": "-", "added": "+"}
    unified += [signs[line.kind] + line.text for line in lines]
    text = "\n".join(unified) if lines else ""  # as ``diff -u``: nothing for no change
    return VersionDiff(old.number, new.number, old.title, new.title, text, lines)


def _matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher[str]:
    """difflib's matcher, but past ``MAX_MATCHED_LINES`` (where its time grows with the
    square of the lines) one that compares only the bodies' common start and end."""
    if max(len(a), len(b)) <= MAX_MATCHED_LINES:
        return difflib.SequenceMatcher(None, a, b)
    return _EndsMatcher(a, b)


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _EndsMatcher(difflib.SequenceMatcher[str]):
    """The common start and end around one changed middle: an edit is local, so it
    shows as itself; a rewrite of a huge body shows as one replaced stretch. Linear."""

    def __init__(self, a: list[str], b: list[str]) -> None:
        super().__init__(None, a, b)
        self.lines = (a, b)

    def get_opcodes(self) -> list[Opcode]:
        a, b = self.lines
        shorter = min(len(a), len(b))
        start = next((n for n in range(shorter) if a[n] != b[n]), shorter)
        end = next((n for n in range(shorter - start) if a[-1 - n] != b[-1 - n]), shorter - start)
        codes: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
        if start < len(a) - end or start < len(b) - end:
            codes.append(("replace", start, len(a) - end, start, len(b) - end))
        if end:
            codes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
        return codes


def _range(start: int, stop: int) -> str:
    """A hunk's line range as ``diff -u`` writes it (1-based; an empty range names the
    line before it)."""
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def restore_version(
    session: DbSession, article: Article, version: ArticleVersion, *, author: User | None = None
) -> Article:
    """Save ``version``'s title and body as the article's newest version (its status, slug
    and filing stay as they are now)."""
    return update_article(
        session, article, {"title": version.title, "body": version.body}, author=author
    )
