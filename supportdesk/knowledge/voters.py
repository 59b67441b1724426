"""Who votes on an article: one vote per voter per article (``knowledge.feedback``).

A voter is named by what shows they are the same reader again, strongest first:

- a signed-in portal customer: ``customer:<id>``;
- the widget's visitor: ``visitor:<SHA-256 of the token>`` (the digest the chat stores;
  the token itself is never kept), for a token the desk gave out only;
- else the reader's browser: ``cookie:<random id>``, a cookie the desk sets on the first
  vote. Anyone can drop a cookie and vote again, so a cookie voter's vote counts only
  from a page that was shown (``feedback``); the other two are proven by the desk's own
  sign-in or token and count as they come.

``request_voter`` reads the voter from a request; it is the one place that does, so
every way of voting (the API, the help center's pages, the portal) names voters alike.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Response, request

from supportdesk.channels.chat.identity import find_visitor, token_hash
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession

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
    return Voter(f"visitor:{token_hash(token)}", customer_id=visitor.customer_id, proven=True)


def cookie_voter(cookie_id: str | None = None) -> Voter:
    """The browser with this cookie id, or a new one (``new_cookie``) if it has none that
    the desk could have made."""
    if cookie_id is not None and _COOKIE_ID.match(cookie_id):
        return Voter(f"cookie:{cookie_id}")
    made = secrets.token_urlsafe(18)
    return Voter(f"cookie:{made}", new_cookie=made)


def request_voter(session: DbSession, visitor_token: str | None) -> Voter | None:
    """Who this request votes as (``visitor_token``: the widget's, from the body or the
    query), or None for a browser that has not voted before.

    The portal's signed-in customer will come first here (``customer_voter``), so that
    the help center's pages and the API name them alike.
    """
    if visitor_token:
        return visitor_voter(session, visitor_token)
    if cookie_id := request.cookies.get(COOKIE):
        voter = cookie_voter(cookie_id)
        return None if voter.new_cookie else voter
    return None


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
