"""Snippets: the words a query found, marked in the original text, safe to put in a page.

The terms are matched on folded text (``search.text``) and the marks are put around the
same characters of the text as it was written, so ``Ｒｏｕｔｅｒ`` and ``STRASSE`` are shown
as they are, marked. Everything else is HTML-escaped: the only markup a snippet holds is
``<mark>`` and ``</mark>``.
"""

from __future__ import annotations

import html
import re

from supportdesk.search.models import MAX_TERM
from supportdesk.search.query import Query
from supportdesk.search.text import folded_with_origins, is_cjk, split_cjk, word_parts

#: how long a snippet is, in characters of the text (a line or two of a result)
SNIPPET_CHARS = 160
#: how far into a text its snippet is looked for
MAX_SCANNED_CHARS = 50_000
#: marks looked at to choose a snippet's window
MAX_MARKS = 200
_SPACE = re.compile(r"\s+")


def marks(text: str, query: Query) -> list[tuple[int, int]]:
    """Where ``query``'s terms are in ``text``: (start, end) of the original characters,
    in order, not overlapping."""
    folded, origins = folded_with_origins(text[:MAX_SCANNED_CHARS])
    exact: set[str] = set()
    prefixes: set[str] = set()
    pieces: set[str] = set()
    for term in query.terms():
        if term.cjk:
            pieces.add(term.text)
            continue
        exact.update(term.tokens)
        if term.prefix:
            exact.discard(term.tokens[-1])
            prefixes.add(term.tokens[-1])
    found: list[tuple[int, int]] = []
    if exact or prefixes:
        for match in word_parts(folded):
            start = match.start()
            for run in split_cjk(match.group()):
                if not is_cjk(run):
                    token = run[:MAX_TERM]
                    if token in exact or any(token.startswith(p) for p in prefixes):
                        found.append((start, start + len(run)))
                start += len(run)
            if len(found) > MAX_MARKS:
                break
    for piece in pieces:
        at = folded.find(piece)
        while at != -1 and len(found) <= 2 * MAX_MARKS:
            found.append((at, at + len(piece)))
            at = folded.find(piece, at + len(piece))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    if origins is None:
        return merged
    return [(origins[start], origins[end - 1] + 1) for start, end in merged]


def highlight(text: str, query: Query) -> str:
    """All of ``text``, escaped, with ``query``'s terms marked (a title, a name)."""
    return _marked(text, marks(text, query), 0, len(text))


def snippet(text: str, query: Query, length: int = SNIPPET_CHARS) -> str:
    """The ``length`` characters of ``text`` where most of ``query``'s terms are, marked
    and escaped, on one line; ``…`` where the text was cut. The start of the text when
    no term is in it (the match was a corrected word, or another field)."""
    found = marks(text, query)
    start = _window_start(text, found, length)
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start + length // 2, end)
        end = space if space > 0 else end
    found = [(max(s, start), min(e, end)) for s, e in found if e > start and s < end]
    body = _marked(text, found, start, end).strip()
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _window_start(text: str, found: list[tuple[int, int]], length: int) -> int:
    """Where the window that holds the most marks starts (a little before its first)."""
    if not found:
        return 0
    best, best_count = found[0][0], 0
    for index, (start, _) in enumerate(found[:MAX_MARKS]):
        count = sum(1 for s, e in found[index : index + 20] if e <= start + length * 3 // 4)
        if count > best_count:
            best, best_count = start, count
    lead = max(0, best - length // 4)
    if lead == 0:
        return 0
    space = text.find(" ", lead, best)
    return space + 1 if space != -1 else lead


def _marked(text: str, found: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    at = start
    for s, e in found:
        out.append(_plain(text[at:s]))
        out.append("<mark>" + _plain(text[s:e]) + "</mark>")
        at = e
    out.append(_plain(text[at:end]))
    return "".join(out)


def _plain(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text), quote=True)
