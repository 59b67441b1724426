"""Schemathesis fuzzes every operation of /api/v1/openapi.json with schemathesis's default
checks: no 5xx, no answer off its documented schema, every schema-valid request accepted
(``positive_data_acceptance``) and every invalid one refused.

The world holds a row of every kind an operation can name (customers, tickets, messages,
calls, an e-mail with an attachment, a quarantined inbound message), and ids in generated
bodies are pointed at those rows, so the success paths run and not only the 404s. Calls
go as an agent or as an admin, drawn per example. ``CI`` set: more examples per operation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from supportdesk.channels.email import inbound
from supportdesk.extensions import db
from supportdesk.tickets.models import Attachment, Message
from supportdesk.users.models import ApiToken
from supportdesk.users.service import create_token
from tests.conftest import TEST_CONFIG
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    CallFactory,
    CannedResponseFactory,
    CustomerFactory,
    MessageFactory,
    SavedViewFactory,
    SectionFactory,
    UserFactory,
)
from tests.peers import SmtpServer

#: examples per operation: a quick look on a laptop, a longer one in CI
MAX_EXAMPLES = 100 if os.environ.get("CI") else 12

#: a number libphonenumber takes (the desk's default region is the US in tests)
PHONE = "+1 415 555 0100"

#: schemathesis's answers to a schema-valid request, less its 5xx (never fine here)
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429"]

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
        "checks": {"enabled": True},
        "operations": [
            {
                # the status machine: an illegal move answers 422 (CONTRACT.md), and which
                # moves are legal depends on the ticket's status, not on the request
                "include-method": "PATCH",
                "include-path": "/api/v1/tickets/{ticket_id}",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # the same machine, for many tickets at once
                "include-method": "POST",
                "include-path": "/api/v1/tickets/bulk",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # a merge's into_id must be another open, unmerged ticket of the same
                # customer: which ones are depends on the tickets, not on the body
                "include-method": "POST",
                "include-path": "/api/v1/tickets/{ticket_id}/merge",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # attachment_ids must name the caller's own uploads that no message took
                # yet: whether one is free depends on what was sent before, not on the body
                "include-method": "POST",
                "include-path": "/api/v1/tickets/{ticket_id}/messages",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # a canned response's body is Jinja, checked on save (an unknown placeholder
                # is 422), which no JSON Schema states; a render asks for a locale the
                # response may lack; a time zone must be one the tz database knows
                "include-path-regex": "^/api/v1/(canned-responses|tickets/.*/render|me$)",
                "include-method-regex": "^(POST|PATCH)$",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # the customer panel: ``ticket_id`` must be this customer's ticket, and a
                # merge preview's ``source_id`` another customer that still exists
                "include-path-regex": "^/api/v1/customers/[^/]+/(contacts|merge-preview)$",
                "include-method": "GET",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # the knowledge base's rules no JSON Schema states: a slug needs a letter or
                # digit, a section lies in the category given, a related or translated
                # article exists and is another one, an upload is an image, a diff's
                # ``against`` is a version the article has
                "include-path-regex": "^/api/v1/kb/(?!.*versions/[^/]+$)",
                "include-method-regex": "^(GET|POST|PATCH)$",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
            {
                # a help center request: the e-mail must be an address, the text more than
                # blanks, ``article_id`` a published article; no JSON Schema states those
                "include-method": "POST",
                "include-path": "/api/v1/portal/tickets",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "422"]}
                },
            },
        ],
    }
)


class FreshContextApp:
    """The app as a WSGI callable that runs each request in its own app context."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.app.app_context():
            return self.app(environ, start_response)


def _email_with_attachment() -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "mei@example.com", "support@desk.example", "Bill"
    mail.set_content("The invoice is attached.")
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="bill.pdf")
    return bytes(mail)


@dataclass
class World:
    """Real rows of every kind, and the callers' credentials."""

    callers: dict[str, str]
    #: per path parameter or id field of a body, the values that name real rows
    values: dict[str, list[Any]]
    #: each ticket's customer: a body naming both names a matching pair
    ticket_owners: dict[int, int]
    credentials: dict[str, str]


@pytest.fixture
def world(app: Flask, agent: Any, smtp_peer: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> World:
    # a real SMTP server, so replies by e-mail go out
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{smtp_peer.port}")
    admin = UserFactory(role="admin")
    colleague = UserFactory()  # the user and the token that admins change and revoke
    callers = {
        "agent": f"Bearer {create_token(db.session, agent)}",
        "admin": f"Bearer {create_token(db.session, admin)}",
    }
    create_token(db.session, colleague)
    messages = [MessageFactory() for _ in range(3)]
    calls = [CallFactory() for _ in range(2)]
    customers = [CustomerFactory() for _ in range(3)]
    canned_response = CannedResponseFactory()
    saved_view = SavedViewFactory(owner=agent)  # the agent's: the admin gets 404
    section = SectionFactory()
    articles = [ArticleFactory(section_id=section.id), ArticleFactory(status="draft")]
    db.session.commit()
    filed = inbound.receive(db.session, _email_with_attachment(), source="hook")
    quarantined = inbound.receive(db.session, b"not an e-mail at all", source="hook")
    db.session.commit()
    customer_ids = [c.id for c in customers] + [m.ticket.customer_id for m in messages]
    tickets = [m.ticket for m in messages] + [c.ticket for c in calls]
    return World(
        callers=callers,
        values={
            "customer_id": customer_ids,
            "ticket_id": [t.id for t in tickets],
            "message_id": [m.id for m in messages] + [filed.message_id],
            "attachment_id": list(db.session.scalars(sa.select(Attachment.id))),
            "inbound_id": [quarantined.inbound_id, filed.inbound_id],
            "assignee_id": [agent.id, admin.id],
            "user_id": [colleague.id],
            "token_id": list(
                db.session.scalars(sa.select(ApiToken.id).where(ApiToken.user_id == colleague.id))
            ),
            "key": ["ticket_acknowledgement", "chat_transcript"],
            "canned_response_id": [canned_response.id],
            "saved_view_id": [saved_view.id],
            "id_or_slug": [a.id for a in articles],
            "article_id": [a.id for a in articles],
            "translation_of": [a.id for a in articles],
            "number": [1],
            "category_id": [section.category_id],
            "section_id": [section.id],
            "owner_id": [agent.id],
            "locale": ["en", "zh-CN"],
        },
        ticket_owners={t.id: t.customer_id for t in tickets},
        credentials={"email": agent.email, "password": PASSWORD},
    )


@pytest.fixture
def api_schema(app: Flask, world: World) -> Any:
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", FreshContextApp(app), config=CONFIG
    )


# The inbound e-mail hook takes raw bytes; send generated bodies as they are.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
schema = schemathesis.pytest.from_fixture("api_schema")


def _only_what_the_api_accepts(case: Any, world: World, draw: int) -> None:
    """A schema-valid request, with the values no schema can pin down taken from the world:
    ids name real rows (``draw`` picks which), a cursor is one the API gave out (so none
    here), phone numbers and e-mail addresses can exist, a sign-in is a real one. Invalid
    requests stay as generated: their point is the refusal."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    for name in case.path_parameters or {}:
        if world.values.get(name):
            case.path_parameters[name] = world.values[name][draw % len(world.values[name])]
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)
    if not isinstance(case.body, dict):
        return
    if case.path == "/api/v1/session":
        case.body.update(world.credentials)
    for name, value in case.body.items():
        rows = world.values.get(name)
        if rows and isinstance(value, int) and not isinstance(value, bool):
            case.body[name] = rows[draw % len(rows)]
    if isinstance(case.body.get("ticket_ids"), list) and case.body["ticket_ids"]:
        known = world.values["ticket_id"]  # real tickets, so the bulk's success paths run too
        case.body["ticket_ids"] = known[: max(1, len(case.body["ticket_ids"]) % len(known))]
    if "source_id" in case.body:  # a customer merged away is gone: merge a new one each time
        case.body["source_id"] = CustomerFactory().id
        db.session.commit()
    if case.path.endswith("/move") and "ticket_id" in case.body:  # to a ticket it is not on
        on = db.session.get(Message, case.path_parameters["message_id"]).ticket_id
        case.body["ticket_id"] = next(t for t in world.values["ticket_id"] if t != on)
    if "customer_id" in case.body and case.body.get("ticket_id") in world.ticket_owners:
        case.body["customer_id"] = world.ticket_owners[case.body["ticket_id"]]
    email = f"person{draw}@mail.example"
    for holder in (case.body, case.body.get("customer")):
        if not isinstance(holder, dict):
            continue
        for field, value in (("phone", PHONE), ("email", email)):
            if isinstance(holder.get(field), str):
                holder[field] = value
            if isinstance(holder.get(f"{field}s"), list):
                holder[f"{field}s"] = [value] if holder[f"{field}s"] else []


@schema.parametrize()
@schema.given(caller=st.sampled_from(["agent", "admin"]), draw=st.integers(0, 1000))
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_survives_generated_requests(case: Any, world: World, caller: str, draw: int) -> None:
    # Schemathesis makes up credentials from the security schemes; use real ones.
    hook = case.path.startswith("/hooks/")
    credentials = f"Bearer {TEST_CONFIG['INBOUND_EMAIL_TOKEN']}" if hook else world.callers[caller]
    _only_what_the_api_accepts(case, world, draw)
    # given here (not on the case), they are the run's explicit credentials: the auth
    # checks replay the call without them and with forged ones, and expect a refusal
    case.call_and_validate(headers={"Authorization": credentials})
