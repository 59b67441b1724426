"""Typo tolerance: a word the desk has never written is also looked for as the words it
has written that are one or two edits away (``refnud`` finds ``refund``).

The vocabulary (``SearchTerm``) holds the words of the articles: the desk's own words,
edited, not every typo a customer ever made (those would make the misspelling "known"),
and written only when an article is saved, never on the paths every message takes. A
word is corrected only when it is not in it; the candidates are the vocabulary's words
with the same first letter and a length near the word's (one index range), ranked by
rapidfuzz's optimal-string-alignment distance (a swap of two letters is one edit), the
nearest few kept. No dictionary lives in memory,
so nothing goes stale between processes or after a reindex.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from supportdesk.core.database import insert_ignoring_duplicates
from supportdesk.core.models import DbSession
from supportdesk.search.models import SearchTerm
from supportdesk.search.query import Clause, Query, Term
from supportdesk.search.text import is_vocabulary_word

#: words shorter than this are left as typed: one edit makes another word of most of them
MIN_CORRECTED = 4
#: corrections kept per word
MAX_CORRECTIONS = 3
#: candidates read per word at most (a first letter's words of about the right length)
MAX_CANDIDATES = 20_000
#: the highest code point: ``term < prefix + _LAST`` is every term starting with ``prefix``
_LAST = "\U0010ffff"


def add_words(session: DbSession, words: Iterable[str]) -> None:
    """Put the words among the known ones (in the caller's transaction, one statement).

    Sorted, so that two transactions adding some of the same new words on PostgreSQL
    wait for each other in the same order instead of deadlocking.
    """
    new = sorted({word for word in words if is_vocabulary_word(word)})
    if not new:
        return
    connection = session.connection()
    connection.execute(
        insert_ignoring_duplicates(connection, SearchTerm), [{"term": word} for word in new]
    )


def correct(session: DbSession, query: Query) -> Query:
    """``query`` with each unknown word also matching its nearest known words."""
    wanted = {
        term.tokens[0]
        for clause in query.clauses
        for term in clause.alternatives[:1]
        if _correctable(term)
    }
    if not wanted:
        return query
    known = set(session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(wanted))))
    clauses: list[Clause] = []
    for clause in query.clauses:
        term = clause.alternatives[0]
        word = term.tokens[0]
        if word not in wanted or word in known or (term.prefix and _starts_a_word(session, word)):
            clauses.append(clause)
            continue
        near = [Term((n,)) for n in nearest(session, word) if n != word]
        clauses.append(Clause((term, *near)))
    return Query(tuple(clauses))


def _correctable(term: Term) -> bool:
    return (
        len(term.tokens) == 1
        and len(term.tokens[0]) >= MIN_CORRECTED
        and (is_vocabulary_word(term.tokens[0]))
    )


def _starts_a_word(session: DbSession, prefix: str) -> bool:
    """Whether a known word starts with ``prefix`` (then it is being typed, not misspelt)."""
    stmt = select(SearchTerm.term).where(
        SearchTerm.term >= prefix, SearchTerm.term < prefix + _LAST
    )
    return session.scalar(stmt.limit(1)) is not None


def max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def nearest(session: DbSession, word: str) -> list[str]:
    """The known words nearest ``word``, at most ``max_edits(word)`` edits away."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    edits = max_edits(word)
    head = word[0]
    candidates = session.scalars(
        select(SearchTerm.term)
        .where(
            SearchTerm.term >= head,
            SearchTerm.term < chr(ord(head) + 1),
            func.length(SearchTerm.term).between(len(word) - edits, len(word) + edits),
        )
        .limit(MAX_CANDIDATES)
    ).all()
    found = process.extract(
        word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=MAX_CORRECTIONS
    )
    return [candidate for candidate, _distance, _index in found]
