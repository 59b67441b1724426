"""What a query asks for: every clause must match; a clause matches if any of its
alternatives does (a word, or the near words a misspelt one is corrected to).

Words are folded and cut as the index cuts them (``search.text``). Words joined by
punctuation are one phrase (``covid-19``, ``alice@example.com``, ``555-0100``). The last
word is a prefix, as it may still be being typed (``pass`` finds ``password``), unless
punctuation closes it (``100%``).

Chinese runs are segmented into words with rjieba (jieba's dictionary and algorithm in
Rust: it loads in a tenth of jieba's time, and only once a query has three Chinese
characters in a row), and each word must appear, in any order: ``信用卡退款`` finds
``退款到信用卡``. Each word is a phrase of its bigrams, as the index holds it; one
character is a prefix of the terms starting with it. Other single characters (的, 我)
are left out, but the last one typed is kept, as a prefix: the next word's beginning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from supportdesk.search.models import MAX_TERM
from supportdesk.search.text import bigrams, fold, is_cjk, split_cjk, word_parts

#: what is read of a query (the API refuses longer ones)
MAX_QUERY_CHARS = 200
#: clauses past this add cost, not precision
MAX_CLAUSES = 12


@dataclass(frozen=True)
class Term:
    """One term, or a phrase of several in order; ``prefix``: the last is a term's start."""

    tokens: tuple[str, ...]
    prefix: bool = False

    @property
    def cjk(self) -> bool:
        return is_cjk(self.tokens[0])

    @property
    def text(self) -> str:
        """What the term finds in folded text: its CJK string, or its words."""
        if self.cjk:
            return self.tokens[0] + "".join(token[1:] for token in self.tokens[1:])
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Clause:
    alternatives: tuple[Term, ...]


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.clauses)

    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause.alternatives]


def parse(q: str, *, prefixes: str = "last") -> Query:
    """``q`` as clauses; an empty Query when it has no word to look for.

    ``prefixes``: which words are matched as the start of a term: the ``last`` (typed
    so far), ``every`` one (a name: ``j smi`` finds John Smith), or ``none``.
    """
    chunks = fold(q[:MAX_QUERY_CHARS]).split()
    clauses: list[Clause] = []
    for position, chunk in enumerate(chunks):
        last = position == len(chunks) - 1
        open_end = prefixes == "every" or (prefixes == "last" and last)
        for term in _chunk_terms(chunk, open_end=open_end):
            clause = Clause((term,))
            if clause not in clauses:
                clauses.append(clause)
    return Query(tuple(clauses[:MAX_CLAUSES]))


def _chunk_terms(chunk: str, *, open_end: bool) -> list[Term]:
    """One space-free piece of a query: its Latin words as one phrase, its CJK runs apart."""
    runs: list[tuple[str, bool]] = []  # (run, whether it ends the chunk)
    for match in word_parts(chunk):
        pieces = split_cjk(match.group())
        for index, piece in enumerate(pieces):
            runs.append((piece, match.end() == len(chunk) and index == len(pieces) - 1))
    found: list[Term] = []
    words: list[str] = []
    for run, ends in runs:
        if is_cjk(run):
            if words:
                found.append(Term(tuple(words)))
                words = []
            found.extend(_cjk_terms(run, typing=open_end and ends))
            continue
        words.append(run[:MAX_TERM])
        if ends:
            found.append(Term(tuple(words), prefix=open_end))
            words = []
    if words:
        found.append(Term(tuple(words)))
    return found


def _cjk_terms(run: str, *, typing: bool) -> list[Term]:
    if len(run) == 1:
        return [Term((run,), prefix=True)]
    if len(run) == 2:
        return [Term((run,))]
    words = _segment(run)
    terms = [Term(tuple(bigrams(word))) for word in words if len(word) > 1]
    if typing and len(words[-1]) == 1:  # the next word's first character, typed so far
        terms.append(Term((words[-1],), prefix=True))
    return terms or [Term(tuple(bigrams(run)))]


def _segment(run: str) -> list[str]:
    return list(_segmenter().cut(run))


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import rjieba  # loads its dictionary (about 80 ms): only for a Chinese query

    return rjieba
