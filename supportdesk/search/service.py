"""The search: what other domains call. Plain functions over a session; they only read,
or write in the caller's transaction.

Articles, tickets and customers are each found by their words (``search.text``: folded
for every script, Chinese as bigrams), best match first, the last word as a prefix (what
is still being typed), misspelt words also as the desk's nearest words (``search.typos``),
on SQLite FTS5 or PostgreSQL full-text alike (``search.backends``). Each ``Hit`` has a
snippet of the original text with the matched words in ``<mark>``, HTML-escaped.

Tickets' and customers' rows are indexed by the listeners (``search.listeners``) as they
are written; articles by the knowledge base calling ``index_article`` on every save.
``supportdesk search reindex`` rebuilds everything (``search.reindex``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, select

from supportdesk.core.models import DbSession
from supportdesk.customers.models import Customer, Identity
from supportdesk.knowledge.models import Article
from supportdesk.knowledge.rendering import plain_text
from supportdesk.search import indexing, typos
from supportdesk.search.backends import ArticleMatch, backend_for
from supportdesk.search.indexing import SEARCHED_IDENTITIES
from supportdesk.search.models import SearchCustomer, SearchTicketText
from supportdesk.search.query import Clause, Query, Term, parse
from supportdesk.search.snippets import SNIPPET_CHARS, snippet
from supportdesk.search.snippets import highlight as _highlight
from supportdesk.tickets.models import Message, Ticket

#: how many hits one search returns at most: past this, relevance is noise
MAX_HITS = 200
#: a suggestion's snippet is shorter: it sits under a title in a drop-down
SUGGEST_SNIPPET_CHARS = 100
#: a query that is part of a phone number: digits, with the punctuation people write
_PHONE_PART = re.compile(r"^\+?[\d\s().\-/]*\d[\d\s().\-/]*$")
#: at least this many digits to look for a phone number by part of it
MIN_PHONE_DIGITS = 3


@dataclass(frozen=True)
class Hit:
    """One result: the article's, ticket's or customer's ``id``, its ``rank`` (higher is
    better; an order, not a measure to compare across searches) and ``snippet`` (HTML:
    escaped text and ``<mark>``). For a ticket, ``message_id`` is the message the snippet
    is from (None: its subject)."""

    id: int
    rank: float
    snippet: str
    message_id: int | None = None


# --- articles ---------------------------------------------------------------------------------


def index_article(session: DbSession, article: Article) -> None:
    """Index the article as it is now (title, and the text of its rendered body), in
    the caller's transaction. Call after every save that flushed the article; its status
    and score are read at search time, so a change of those alone needs no call."""
    indexing.write_article(session, article)


def remove_article(session: DbSession, article_id: int) -> None:
    """Take a deleted article out of the index (deleting its row does it too, by the
    database's cascade; this is for a caller that keeps the row)."""
    indexing.delete_article(session, article_id)


def search_articles(
    session: DbSession,
    q: str,
    locale: str | None = None,
    *,
    published_only: bool = True,
    limit: int = 20,
) -> list[Hit]:
    """Articles matching ``q``, best first: text relevance (title above body) blended
    with the article's score (``backends.SCORE_WEIGHT``). ``locale`` None: every locale.
    ``published_only=False`` (agents) finds drafts too."""
    return _articles(session, q, locale, published_only, limit, snippet_chars=SNIPPET_CHARS)


def suggest_articles(
    session: DbSession,
    q: str,
    locale: str | None = None,
    *,
    limit: int = 5,
    published_only: bool = True,
) -> list[Hit]:
    """What to suggest while ``q`` is being typed (the help center's box, the widget, the
    request form): published articles whose words start with what was typed so far, in
    either language, those with it in their title first; fast enough for every keystroke."""
    return _articles(
        session,
        q,
        locale,
        published_only,
        limit,
        snippet_chars=SUGGEST_SNIPPET_CHARS,
        titles_first=True,
    )


def _articles(
    session: DbSession,
    q: str,
    locale: str | None,
    published_only: bool,
    limit: int,
    *,
    snippet_chars: int,
    titles_first: bool = False,
) -> list[Hit]:
    """``titles_first``: articles with the words in their title, then (if they are
    fewer than ``limit``) the others: a suggestion is read by its title, and a prefix
    typed so far is in a tenth as many titles as bodies, so most keystrokes rank few rows."""
    query = _understood(session, q, prefixes="last")
    if not query:
        return []
    backend = backend_for(session)
    limit = _bounded(limit)
    found: list[ArticleMatch] = []
    for titles_only in (True, False) if titles_first else (False,):
        seen = {match.id for match in found}
        more = backend.articles(
            session,
            query,
            locale=locale,
            published_only=published_only,
            limit=limit,
            titles_only=titles_only,
        )
        found.extend(match for match in more if match.id not in seen)
        if len(found) >= limit:
            break
    return [
        Hit(match.id, match.rank, snippet(plain_text(match.body_html), query, snippet_chars))
        for match in found[:limit]
    ]


# --- tickets ----------------------------------------------------------------------------------


def search_tickets(session: DbSession, q: str, *, limit: int = 20) -> list[Hit]:
    """Tickets whose subject or any message matches ``q``, best first: each ticket once,
    ranked by its best text, with that text's snippet (subjects weigh more)."""
    query = _understood(session, q, prefixes="last")
    if not query:
        return []
    matches = backend_for(session).tickets(session, query, limit=_bounded(limit))
    bodies = _by_id(session, Message.id, Message.body, [m.message_id for m in matches])
    subjects = _by_id(session, Ticket.id, Ticket.subject, [m.ticket_id for m in matches])
    return [
        Hit(
            m.ticket_id,
            m.rank,
            snippet(bodies[m.message_id] if m.message_id else subjects[m.ticket_id], query),
            m.message_id,
        )
        for m in matches
    ]


def ticket_ids_matching(session: DbSession, q: str) -> Select[int]:
    """The ids of the tickets whose subject or a message matches ``q``, for a subquery
    (``GET /tickets?q=``: a filter of the inbox, which keeps its own order): those of the
    newest ``backends.INBOX_TEXTS`` matching texts, a bounded set that costs the same
    however common the word (all of them, for any word in fewer texts)."""
    query = _understood(session, q, prefixes="last")
    if not query:
        return select(SearchTicketText.ticket_id).where(false())
    return backend_for(session).ticket_ids(query)


# --- customers --------------------------------------------------------------------------------


def search_customers(session: DbSession, q: str, *, limit: int = 20) -> list[Hit]:
    """Customers whose name, e-mail address, phone number (or part of one: ``555-01``)
    or external id matches ``q``, best first; the snippet is the name and addresses."""
    query = _customer_query(q)
    if not query:
        return []
    found = backend_for(session).customers(session, query, limit=_bounded(limit))
    ids = [customer_id for customer_id, _ in found]
    shown = {id_: [name] for id_, name in _by_id(session, Customer.id, Customer.name, ids).items()}
    for customer_id, value in session.execute(
        select(Identity.customer_id, Identity.value)
        .where(Identity.customer_id.in_(ids), Identity.kind.in_(SEARCHED_IDENTITIES))
        .order_by(Identity.id)
    ):
        shown[customer_id].append(value)
    return [
        Hit(customer_id, rank, _highlight(" · ".join(shown.get(customer_id, [])), query))
        for customer_id, rank in found
    ]


def customer_ids_matching(session: DbSession, q: str) -> Select[int]:
    """The ids of every customer ``q`` finds by words (as ``search_customers``), for a
    subquery. A whole e-mail address or phone number is the customers domain's own
    identity lookup (``customers.service``), not a search."""
    query = _customer_query(q)
    if not query:
        return select(SearchCustomer.customer_id).where(false())
    return backend_for(session).customer_ids(query)


def _customer_query(q: str) -> Query:
    """A part of a phone number is the start of one of its stored endings (with and
    without the trunk zero: ``0612`` in ``+34612...``); anything else is words, each a
    prefix (``mar gon`` finds Maria Gonzalez), never corrected: a name is no misspelt
    word of the articles."""
    if _PHONE_PART.match(q.strip()):
        digits = re.sub(r"\D", "", q)
        if len(digits) >= MIN_PHONE_DIGITS:
            forms = dict.fromkeys([digits, digits.lstrip("0")])
            return Query((Clause(tuple(Term((d,), prefix=True) for d in forms if d)),))
    return parse(q, prefixes="every")


# --- shared -----------------------------------------------------------------------------------


def highlight(text: str, q: str) -> str:
    """``text`` escaped, with the words ``q`` finds marked (a result's title)."""
    return _highlight(text, parse(q))


def _understood(session: DbSession, q: str, *, prefixes: str) -> Query:
    return typos.correct(session, parse(q, prefixes=prefixes))


def _by_id(session: DbSession, key: Any, value: Any, ids: list[Any]) -> dict[Any, Any]:
    """``value`` of the rows whose ``key`` is in ``ids``, by key (one statement, or none)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {k: v for k, v in session.execute(select(key, value).where(key.in_(wanted)))}


def _bounded(limit: int) -> int:
    return max(1, min(limit, MAX_HITS))
