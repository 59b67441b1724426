"""Socket.IO namespace ``/widget``: the customer's side of a live chat (docs/chat.md)."""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

from flask import request, session
from flask_socketio import ConnectionRefusedError, emit, join_room

from supportdesk.channels.chat import conversation, identity, schemas, verification
from supportdesk.channels.chat.limits import throttle_mail, transcript_address
from supportdesk.channels.chat.models import Visitor
from supportdesk.channels.chat.writer import writer
from supportdesk.core import connections
from supportdesk.core.connections import heartbeat, visitor_typing
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.namespaces import EventNamespace, answers_problems, load, problem_of
from supportdesk.core.settings import settings
from supportdesk.core.sockets import again_if_raced, throttle, ticket_room
from supportdesk.customers.identities import normalize_locale
from supportdesk.extensions import db
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.schemas import PublicAuthorSchema

log = logging.getLogger(__name__)
_authors = PublicAuthorSchema()


def _visitor() -> Visitor:
    visitor = db.session.get(Visitor, session.get("visitor_id", 0))
    if visitor is None:
        raise NotFound("This chat session has ended; reconnect.")
    return visitor


def _checked_body(body: str) -> str:
    body = body.strip()
    limit = settings().chat_max_message_chars
    if not body:
        raise InvalidInput.field("body", "Write a message.")
    if len(body) > limit:
        raise InvalidInput.field("body", f"A message can be at most {limit} characters.")
    return body


def _open_ticket(visitor: Visitor) -> Ticket | None:
    if visitor.customer_id is None:
        return None
    return conversation.open_ticket(db.session, visitor.customer_id)


def _send_session(visitor: Visitor, token: str | None) -> None:
    """The conversation as it stands: on connect, and when the visitor proves who they are.

    ``customer_id`` is null until the visitor does something (opening makes no customer).
    """
    ticket = _open_ticket(visitor)
    if ticket is not None:
        join_room(ticket_room(ticket.id))
    messages = conversation.visible_messages(db.session, ticket)
    emails = visitor.customer.emails if visitor.customer else []
    emit(
        "session",
        {
            "visitor_token": token,
            "customer_id": visitor.customer_id,
            "ticket_id": ticket.id if ticket else None,
            "messages": conversation.widget_messages(db.session, messages),
            "agents_online": connections.agents_online(db.session),
            "verified": visitor.verified,
            "email": emails[0] if visitor.verified and emails else None,
            "max_message_length": settings().chat_max_message_chars,
        },
    )


def _arrive(auth: dict[str, Any], claim: identity.Claim) -> tuple[Visitor, str | None]:
    """Who is connecting (and a new token if one was issued), committed and present."""
    visitor, new_token = identity.resolve(db.session, auth.get("visitor_token"), claim)
    locale = auth.get("locale")
    if isinstance(locale, str):
        # a browser's odd language tag is no reason to refuse a chat
        with suppress(InvalidInput):
            visitor.locale = normalize_locale(locale)
            if visitor.customer is not None and not visitor.customer.locale:
                visitor.customer.locale = visitor.locale
    connections.connect(db.session, request.sid, "visitor", visitor.id)  # type: ignore[attr-defined]
    db.session.commit()
    return visitor, new_token


def _check_code(visitor: Visitor, code: str) -> None:
    try:
        verification.check(db.session, visitor, code)
    except verification.CodeRefused:
        db.session.commit()  # the attempt counts, or codes could be guessed
        raise
    db.session.commit()


def _leave_message(visitor: Visitor, data: dict[str, Any], body: str) -> Ticket:
    ticket = conversation.leave_message(
        db.session,
        visitor,
        name=data.get("name"),
        email=data["email"],
        body=body,
        client_id=data.get("client_id"),
    )
    db.session.commit()
    return ticket


class WidgetNamespace(EventNamespace):
    def on_connect(self, auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        claim, refused = identity.Claim.from_auth(auth.get("identity")).without_malformed_email()
        try:
            visitor, new_token = again_if_raced(lambda: _arrive(auth, claim))
        except Exception:
            # refused at once, not left to time out on the client
            db.session.rollback()
            log.exception("widget connection failed")
            raise ConnectionRefusedError("Something went wrong on our side; try again.") from None
        heartbeat().track(request.sid)  # type: ignore[attr-defined]
        session["visitor_id"] = visitor.id
        _send_session(visitor, new_token or auth.get("visitor_token"))
        if refused is not None:
            emit("problem", {**problem_of(refused), "event": "connect"})

    def on_disconnect(self, reason: Any = None) -> None:
        heartbeat().forget(request.sid)  # type: ignore[attr-defined]
        connections.disconnect(db.session, request.sid)  # type: ignore[attr-defined]
        db.session.commit()

    @answers_problems
    def on_message(self, data: Any) -> dict[str, Any]:
        data = load(schemas.MessageIn, data)
        body, client_id = _checked_body(data["body"]), data["client_id"]
        visitor_id = session.get("visitor_id", 0)
        throttle(settings().chat_message_rate_limit, "chat-message", visitor_id)
        posted = writer().post(visitor_id, body, client_id)
        join_room(ticket_room(posted.ticket_id))
        return {
            "id": posted.id,
            "created_at": posted.created_at.isoformat(),
            "ticket_id": posted.ticket_id,
            "client_id": client_id,
            "author": _authors.dump(posted.author),
        }

    @answers_problems
    def on_typing(self, data: Any) -> None:
        typing = load(schemas.TypingIn, data)["typing"]
        ticket = _open_ticket(_visitor())
        if ticket is not None:
            visitor_typing.send(ticket.id, typing=typing)

    @answers_problems
    def on_history(self, data: Any) -> dict[str, Any]:
        after_id = load(schemas.HistoryIn, data)["after_id"]
        ticket = _open_ticket(_visitor())
        messages = conversation.visible_messages(db.session, ticket, after_id=after_id)
        return {"messages": conversation.widget_messages(db.session, messages)}

    @answers_problems
    def on_identify(self, data: Any) -> dict[str, Any]:
        data = load(schemas.IdentifyIn, data)
        visitor = _visitor()
        email = identity.require_email(data["email"])
        identity.claim_email(db.session, visitor, email, data.get("name"))
        db.session.commit()
        return {"ok": True}

    @answers_problems
    def on_verify_start(self, data: Any) -> dict[str, Any]:
        email = identity.require_email(load(schemas.VerifyStartIn, data)["email"])
        visitor = _visitor()
        throttle_mail(visitor, email)
        verification.start(db.session, visitor, email)
        db.session.commit()
        return {"sent": True}

    @answers_problems
    def on_verify_check(self, data: Any) -> dict[str, Any]:
        code = load(schemas.VerifyCheckIn, data)["code"]
        visitor = _visitor()
        again_if_raced(lambda: _check_code(visitor, code))
        _send_session(visitor, None)
        return {"verified": True}

    @answers_problems
    def on_offline_message(self, data: Any) -> dict[str, Any]:
        data = load(schemas.OfflineMessageIn, data)
        body = _checked_body(data["body"])
        visitor = _visitor()
        identity.require_email(data["email"])
        throttle_mail(visitor)  # nothing is mailed yet, but a reply may be
        ticket = again_if_raced(lambda: _leave_message(visitor, data, body))
        join_room(ticket_room(ticket.id))  # the reply reaches this widget while it is open
        return {"ticket_id": ticket.id, "ref": ticket.ref}

    @answers_problems
    def on_transcript(self, data: Any) -> dict[str, Any]:
        given = load(schemas.TranscriptIn, data).get("email")
        visitor = _visitor()
        ticket = _open_ticket(visitor)
        if ticket is None:
            raise InvalidInput("There is no conversation to send yet.")
        address = transcript_address(visitor, identity.require_email(given) if given else None)
        throttle_mail(visitor, address)
        conversation.send_transcript(db.session, ticket, address)
        db.session.commit()
        return {"sent": True}
