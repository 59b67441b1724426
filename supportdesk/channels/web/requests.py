"""Requests from the help center's form (``/help/requests/new``, ``POST /portal/tickets``):
a ticket on channel ``web``.

The e-mail address the form asks for is a *claim*, as an address typed into the chat
widget is (``channels.chat.identity.claim_email``): nobody proved it, so it never selects
a customer and never becomes an identity. Each request gets a customer of its own, named
as the form says, and the address is recorded on the request's ``web_request`` ticket
event, where agents see it (a possible match if someone owns it) and where a reply is
mailed (``listeners``). Whoever types someone else's address gets no way into that
person's history, and leaves nothing in it. Once the portal signs a customer in by a
magic link (proof), their requests are theirs: ``file_request`` with ``customer`` (the
signed-in one) files under them, and no address is claimed.

A request sent from an article the reader found unhelpful carries the article and the
comment of their No, so the article's owner learns why it failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from supportdesk.core.channels import Channel
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer
from supportdesk.knowledge import activity, feedback
from supportdesk.knowledge.articles import find_article
from supportdesk.knowledge.models import Article
from supportdesk.knowledge.voters import Voter
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, Message, Ticket, TicketEvent
from supportdesk.tickets.refs import ticket_ref
from supportdesk.tickets.uploads import clean_filename, content_type_of

#: the ticket event a request records, with what the form said beside the message
EVENT = "web_request"
NAME_MAX = 200
SUBJECT_MAX = 300
BODY_MAX = 20_000
#: files a request may carry (screenshots, a receipt); each within the request's size limit
MAX_FILES = 3


@dataclass(frozen=True)
class RequestFile:
    """A file the reader attached, as their browser named and typed it (kept for agents
    only: every download is an attachment, ``core.downloads``)."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Filed:
    ticket: Ticket
    #: the article the request was sent from, if any
    article: Article | None


def file_request(
    session: DbSession,
    *,
    name: str,
    email: str,
    subject: str,
    body: str,
    locale: str | None = None,
    article_id: int | None = None,
    voter: Voter | None = None,
    files: Sequence[RequestFile] = (),
    customer: Customer | None = None,
) -> Filed:
    """File the request as a new ticket of a new customer; the caller commits.

    ``article_id`` is the published article the reader came from (422 for any other);
    ``voter`` is who they voted as, so their No's comment joins the request, and
    their recent self-service the customer's timeline (``knowledge.activity``); the
    request then counts as their contact for what they were suggested (``deflection``).
    ``customer`` is the portal's signed-in customer (proven by a magic link): the
    ticket is theirs, and ``name`` and ``email`` are theirs too, not a claim.
    """
    address = customers.normalize_identity(IdentityKind.EMAIL, email, "email")
    name, subject, body = name.strip(), subject.strip(), body.strip()
    for field, value in (("name", name), ("subject", subject), ("body", body)):
        if not value:
            raise InvalidInput.field(field, "Fill this in.")
    if len(files) > MAX_FILES:
        raise InvalidInput.field("files", f"Attach {MAX_FILES} files at most.")
    article = _article(session, article_id) if article_id is not None else None
    vote = feedback.vote_of(session, article.id, voter) if article and voter else None
    proven = customer is not None
    if customer is None:
        customer = customers.create_customer(session, name=name, locale=locale)
    if voter is not None:  # the browser's recent reading joins the request's customer
        activity.join_reader(session, voter.key, customer.id)
    message = tickets.add_customer_message(
        session, customer, ticket=None, channel=Channel.WEB, body=body, subject=subject
    )
    attach_files(session, message, files)
    details: dict[str, Any] = {"signed_in": True} if proven else {"claimed_email": address}
    if article is not None:
        details |= {"article_id": article.id, "article_title": article.title}
    if vote is not None and not vote.helpful:
        details["vote_comment"] = vote.comment
    tickets.record_event(
        session, customer_id=customer.id, event=EVENT, ticket=message.ticket, **details
    )
    return Filed(message.ticket, article)


def trap_ref(session: DbSession) -> str:
    """What a request that filled in the honeypot is told: a ref like the next real
    one (so a bot learns nothing), for a ticket that is never made."""
    last = session.scalar(select(func.coalesce(func.max(Ticket.id), 0)))
    return ticket_ref(int(last or 0) + 1)


def claimed_email(session: DbSession, ticket: Ticket) -> str | None:
    """The address the request's form gave: where a reply to it is mailed."""
    data = session.scalar(
        select(TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.event == EVENT)
        .order_by(TicketEvent.id)
        .limit(1)
    )
    address = (data or {}).get("claimed_email")
    return address if isinstance(address, str) else None


def attach_files(session: DbSession, message: Message, files: Sequence[RequestFile]) -> None:
    """Keep the reader's files on their message (a request's, a portal reply's)."""
    if not files:
        return
    for file in files:
        name = clean_filename(file.filename)
        session.add(
            Attachment(
                message_id=message.id,
                filename=name,
                content_type=content_type_of(file.content_type, name),
                size=len(file.data),
                inline=False,
                data=file.data,
            )
        )
    session.flush()
    session.expire(message, ["attachments"])


def _article(session: DbSession, article_id: int) -> Article:
    try:
        return find_article(session, str(article_id), agent=False)
    except NotFound as error:
        raise InvalidInput.field("article_id", error.detail) from None
