"""Socket.IO namespace ``/widget``: the customer's side of a live chat (docs/chat.md)."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import current_app, request, session
from flask_socketio import emit, join_room

from supportdesk.channels.chat import (
    conversation,
    identity,
    mail,
    presence,
    schemas,
    verification,
)
from supportdesk.channels.chat.events import EventNamespace, answers_problems, load, throttle
from supportdesk.channels.chat.heartbeat import heartbeat
from supportdesk.channels.chat.models import Visitor
from supportdesk.channels.chat.realtime import ticket_room
from supportdesk.channels.chat.writer import writer
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.customers.identities import normalize_locale
from supportdesk.extensions import db

NAMESPACE = "/widget"


def _visitor() -> Visitor:
    visitor = db.session.get(Visitor, session.get("visitor_id", 0))
    if visitor is None:
        raise NotFound("This chat session has ended; reconnect.")
    return visitor


def _checked_body(body: str) -> str:
    body = body.strip()
    limit = current_app.config["CHAT_MAX_MESSAGE_CHARS"]
    if not body:
        raise InvalidInput.field("body", "Write a message.")
    if len(body) > limit:
        raise InvalidInput.field("body", f"A message can be at most {limit} characters.")
    return body


def _send_session(visitor: Visitor, token: str | None) -> None:
    """The conversation as it stands: on connect, and when the visitor proves who they are."""
    ticket = conversation.open_ticket(db.session, visitor.customer_id)
    if ticket is not None:
        join_room(ticket_room(ticket.id))
    messages = conversation.visible_messages(db.session, ticket)
    emails = visitor.customer.emails
    emit(
        "session",
        {
            "visitor_token": token,
            "customer_id": visitor.customer_id,
            "ticket_id": ticket.id if ticket else None,
            "messages": conversation.widget_messages(db.session, messages),
            "agents_online": presence.agents_online(db.session),
            "verified": visitor.verified,
            "email": emails[0] if visitor.verified and emails else None,
            "max_message_length": current_app.config["CHAT_MAX_MESSAGE_CHARS"],
        },
    )


class WidgetNamespace(EventNamespace):
    def on_connect(self, auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        claim = identity.Claim.from_auth(auth.get("identity"))
        visitor, new_token = identity.resolve(db.session, auth.get("visitor_token"), claim)
        locale = auth.get("locale")
        if isinstance(locale, str) and not visitor.customer.locale:
            # a browser's odd language tag is no reason to refuse a chat
            with suppress(InvalidInput):
                visitor.customer.locale = normalize_locale(locale)
        presence.connect(db.session, request.sid, "visitor", visitor.customer_id)  # type: ignore[attr-defined]
        db.session.commit()
        heartbeat().track(request.sid)  # type: ignore[attr-defined]
        session["visitor_id"] = visitor.id
        _send_session(visitor, new_token or auth.get("visitor_token"))

    def on_disconnect(self, reason: Any = None) -> None:
        heartbeat().forget(request.sid)  # type: ignore[attr-defined]
        presence.disconnect(db.session, request.sid)  # type: ignore[attr-defined]
        db.session.commit()

    @answers_problems
    def on_message(self, data: Any) -> dict[str, Any]:
        data = load(schemas.MessageIn, data)
        body, client_id = _checked_body(data["body"]), data["client_id"]
        visitor_id = session.get("visitor_id", 0)
        throttle("CHAT_MESSAGE_RATE_LIMIT", visitor_id)
        posted = writer().post(visitor_id, body, client_id)
        join_room(ticket_room(posted.ticket_id))
        return {"id": posted.id, "created_at": posted.created_at.isoformat()}

    @answers_problems
    def on_typing(self, data: Any) -> None:
        typing = load(schemas.TypingIn, data)["typing"]
        ticket = conversation.open_ticket(db.session, _visitor().customer_id)
        if ticket is not None:
            emit(
                "visitor.typing",
                {"ticket_id": ticket.id, "typing": typing},
                namespace="/agent",
                to=ticket_room(ticket.id),
            )

    @answers_problems
    def on_history(self, data: Any) -> dict[str, Any]:
        after_id = load(schemas.HistoryIn, data)["after_id"]
        ticket = conversation.open_ticket(db.session, _visitor().customer_id)
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
        email = load(schemas.VerifyStartIn, data)["email"]
        visitor = _visitor()
        throttle("CHAT_EMAIL_RATE_LIMIT", visitor.id)
        verification.start(db.session, visitor, email)
        return {"sent": True}

    @answers_problems
    def on_verify_check(self, data: Any) -> dict[str, Any]:
        code = load(schemas.VerifyCheckIn, data)["code"]
        visitor = _visitor()
        verification.check(db.session, visitor, code)
        _send_session(visitor, None)
        return {"verified": True}

    @answers_problems
    def on_offline_message(self, data: Any) -> dict[str, Any]:
        data = load(schemas.OfflineMessageIn, data)
        body = _checked_body(data["body"])
        visitor = _visitor()
        throttle("CHAT_EMAIL_RATE_LIMIT", visitor.id)
        ticket = conversation.leave_message(
            db.session, visitor, name=data.get("name"), email=data["email"], body=body
        )
        return {"ticket_id": ticket.id, "ref": ticket.ref}

    @answers_problems
    def on_transcript(self, data: Any) -> dict[str, Any]:
        given = load(schemas.TranscriptIn, data).get("email")
        visitor = _visitor()
        ticket = conversation.open_ticket(db.session, visitor.customer_id)
        if ticket is None:
            raise InvalidInput("There is no conversation to send yet.")
        address = identity.require_email(given) if given else None
        address = address or next(iter(visitor.customer.emails), None)
        if address is None:
            raise InvalidInput.field("email", "Give the e-mail address to send it to.")
        throttle("CHAT_EMAIL_RATE_LIMIT", visitor.id)
        mail.send_transcript(db.session, ticket, address)
        db.session.commit()
        return {"sent": True}
