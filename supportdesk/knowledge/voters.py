"""Who votes on an article: one vote per voter per article (``knowledge.feedback``); and
who reads: the same names key a reader's self-service history (``knowledge.activity``).

A voter is named by what shows they are the same reader again, strongest first:

- a signed-in portal customer: ``customer:<id>``;
- the widget's visitor: ``visitor:<SHA-256 of the token>`` (the digest the chat stores;
  the token itself is never kept), for a token the desk gave out only;
- else the reader's browser: ``cookie:<random id>``, a cookie the desk sets on the
  help center's first page (``remember_browser``) or the first vote. Anyone can drop a
  cookie and vote again, so a cookie voter's vote counts only from a page that was
  shown (``feedback``); the other two are proven by the desk's own sign-in or token and
  count as they come.

``request_voter`` reads the voter from a request; it is the one place that does, so
every way of voting (the API, the help center's pages, the portal) names voters alike.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Response, request

from supportdesk.channels.chat.identity import find_visitor, reader_key
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.customers.sessions import signed_in_customer
from supportdesk.knowledge.models import KbSurface

#: the header the widget sends its visitor token in: kept out of URLs, so out of access
#: logs and Referer headers (the query's ``visitor_token`` works too, as CONTRACT has it)
VISITOR_TOKEN_HEADER = "X-Visitor-Token"
#: the cookie that names an anonymous reader's browser to the votes
COOKIE = "supportdesk_kb_voter"
#: browsers keep a cookie 400 days at most
COOKIE_MAX_AGE = timedelta(days=400)
#: what ``secrets.token_urlsafe(18)`` makes: 144 random bits
_COOKIE_ID = re.compile(r"^[A-Za-z0-9_-]{24}$")


@dataclass(frozen=True)
class Voter:
    #: what ``ArticleVote.voter`` holds
    key: str
    #: the known customer behind the voter, if any (a visitor's, a portal customer)
    customer_id: int | None = None
    #: the desk's own token or sign-in shows who it is: the vote counts without a page view
    proven: bool = False
    #: a cookie id made for this vote, which the answer must set (``remember``)
    new_cookie: str | None = None


def customer_voter(customer_id: int) -> Voter:
    """A customer the desk signed in (the portal's magic link)."""
    return Voter(f"customer:{customer_id}", customer_id=customer_id, proven=True)


def visitor_voter(session: DbSession, token: str) -> Voter:
    """The widget's visitor with this token; 422 for a token the desk never gave out,
    which would otherwise be a free voter per made-up string."""
    visitor = find_visitor(session, token)
    if visitor is None:
        raise InvalidInput.field("voter", "Not a visitor token this desk gave out.")
    return Voter(reader_key(visitor), customer_id=visitor.customer_id, proven=True)


def cookie_voter(cookie_id: str | None = None) -> Voter:
    """The browser with this cookie id, or a new one (``new_cookie``) if it has none that
    the desk could have made."""
    if cookie_id is not None and _COOKIE_ID.match(cookie_id):
        return Voter(f"cookie:{cookie_id}")
    made = secrets.token_urlsafe(18)
    return Voter(f"cookie:{made}", new_cookie=made)


def visitor_token_of(given: str | None) -> str | None:
    """The widget's visitor token: the one the query or body gives, else the header's."""
    return given or request.headers.get(VISITOR_TOKEN_HEADER, "").strip()[:200] or None


def surface_of(visitor_token: str | None) -> KbSurface:
    """Where an API reader is: the widget passes its token; the rest is the help center
    (its pages' scripts)."""
    return KbSurface.WIDGET if visitor_token else KbSurface.HELP_CENTER


def request_voter(session: DbSession, visitor_token: str | None) -> Voter | None:
    """Who this request votes as: the portal's signed-in customer first (followed through
    merges), so that the help center's pages and the API name them alike; else the
    widget's visitor (``visitor_token``, from the body or the query, else the header's:
    the caller passes it through ``visitor_token_of``); else the browser's
    cookie; None for a browser that has not voted before.
    """
    if (customer := signed_in_customer(session)) is not None:
        return customer_voter(customer.id)
    if visitor_token:
        return visitor_voter(session, visitor_token)
    return browser_reader()


def browser_reader() -> Voter | None:
    """The browser the reader cookie this request came with names; None without one the
    desk could have made (the browser's first page, a crawler, a script)."""
    if cookie_id := request.cookies.get(COOKIE):
        voter = cookie_voter(cookie_id)
        return None if voter.new_cookie else voter
    return None


def request_reader(session: DbSession, visitor_token: str | None) -> Voter | None:
    """Who this request reads as, for their self-service history (``activity``): the
    voter, but a token the desk never gave out is no reader (the read is answered all
    the same, and leaves no trace) rather than the vote's 422."""
    try:
        return request_voter(session, visitor_token)
    except InvalidInput:
        return None


def remember_browser(response: Response) -> Response:
    """Give a browser that came without the reader cookie one, so that what it does from
    its next request on is its reader's (``request_reader``). Only a cookie sent back
    names a reader: a crawler or a script that keeps no cookies is told one each time
    and is followed never. A response setting the cookie already (a vote's) keeps its."""
    if browser_reader() is not None:
        return response
    if any(h.startswith(f"{COOKIE}=") for h in response.headers.getlist("Set-Cookie")):
        return response
    remember(response, cookie_voter())
    return response


def remember(response: Response, voter: Voter) -> None:
    """Set the cookie of a voter made for this vote: HttpOnly (no page script reads it),
    SameSite=Lax (other sites' forms do not vote as the reader), Secure over HTTPS."""
    if voter.new_cookie:
        response.set_cookie(
            COOKIE,
            voter.new_cookie,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
