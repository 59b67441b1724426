"""Canned responses: admins word them, every agent finds and fills them in on a ticket."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from supportdesk.canned import placeholders
from supportdesk.canned.models import CannedResponse
from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.customers.language import DESK_LOCALES, desk_locale
from supportdesk.tickets.models import Ticket
from supportdesk.users.models import User


def canned_responses_page(
    session: DbSession, page: PageRequest, *, q: str | None = None
) -> Page[CannedResponse]:
    """Oldest first; ``q``: words of the title, for the composer's picker."""
    stmt = select(CannedResponse)
    if q and q.strip():
        stmt = stmt.where(CannedResponse.title.icontains(q.strip(), autoescape=True))
    return keyset_page(session, stmt, (CannedResponse.id,), page, descending=False)


def get_canned_response(session: DbSession, canned_response_id: int) -> CannedResponse:
    return get_or_not_found(session, CannedResponse, canned_response_id, "canned response")


def _checked(bodies: Mapping[str, str]) -> dict[str, str]:
    """``bodies`` in the desk's locale order, each one's placeholders checked (422 naming
    ``bodies.<locale>``)."""
    for locale, body in bodies.items():
        placeholders.check(body, field=f"bodies.{locale}")
    return {locale: bodies[locale] for locale in DESK_LOCALES if locale in bodies}


def create_canned_response(
    session: DbSession, *, title: str, bodies: Mapping[str, str]
) -> CannedResponse:
    row = CannedResponse(title=title, bodies=_checked(bodies))
    session.add(row)
    session.flush()
    return row


def update_canned_response(
    session: DbSession, row: CannedResponse, changes: Mapping[str, Any]
) -> CannedResponse:
    """Change the title, or the bodies (all of them: a locale left out is removed)."""
    if "bodies" in changes:
        row.bodies = _checked(changes["bodies"])
    if "title" in changes:
        row.title = changes["title"]
    session.flush()
    return row


def delete_canned_response(session: DbSession, row: CannedResponse) -> None:
    session.delete(row)
    session.flush()


@dataclass(frozen=True)
class Rendered:
    body: str
    locale: str


def render(
    session: DbSession,
    row: CannedResponse,
    ticket: Ticket,
    agent: User,
    locale: str | None = None,
) -> Rendered:
    """``row`` filled in for ``ticket``, as ``agent`` writes it, in ``locale`` (422 if it
    is not written in it) or else the nearest the customer and the agent read."""
    chosen = locale or _locale_for(row, ticket, agent)
    if chosen not in row.bodies:
        raise InvalidInput.field("locale", f"{row.title!r} has no wording in {chosen}.")
    return Rendered(placeholders.fill(row.bodies[chosen], _context(ticket, agent)), chosen)


def _locale_for(row: CannedResponse, ticket: Ticket, agent: User) -> str:
    """The customer's locale, else the agent's, else English, else the first it has."""
    wanted = (desk_locale(ticket.customer.locale), agent.locale, "en", *row.bodies)
    return next(locale for locale in wanted if locale in row.bodies)


def _context(ticket: Ticket, agent: User) -> placeholders.Context:
    """What the placeholders read: plain strings, empty where the desk knows nothing."""
    customer = ticket.customer
    return {
        "customer": {
            "name": customer.name,
            "email": next(iter(customer.emails), ""),
            "phone": next(iter(customer.phones), ""),
        },
        "ticket": {"ref": ticket.ref, "subject": ticket.subject, "status": ticket.status.value},
        "agent": {"name": agent.name, "email": agent.email},
    }
