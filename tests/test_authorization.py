"""Who may do what: every route of the app and every Socket.IO event, tried by everyone.

The HTTP half walks ``app.url_map`` (hooks, pages, ``/widget.js`` and downloads included)
and the OpenAPI document, and fails for a route that has no line in ``ROUTES``: a new
route is not done until someone has said who may call it. Each line is tried anonymously,
as an agent, as an admin and with the mail provider's inbound token, against a world of
real rows, so a missing guard answers 200 where the table says 401. A refusal is 401 for
a caller who is nobody here, 403 or 404 for a signed-in user without the role, and it
changes nothing in the database.

The Socket.IO half: ``/agent`` takes only agents, and no ``/widget`` event that reads a
conversation ever gives a visitor someone else's messages, whatever they claim to be.
"""

from __future__ import annotations

import io
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import argon2
import pytest
import socketio
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supportdesk.channels.chat.widget import WidgetNamespace
from supportdesk.channels.email import inbound
from supportdesk.channels.email.outbox import outbox_url
from supportdesk.extensions import db
from supportdesk.integrations.service import create_integration
from supportdesk.knowledge.flags import flag_article
from supportdesk.knowledge.images import store_image
from supportdesk.knowledge.models import Category, FlagReason
from supportdesk.realtime.events import AgentNamespace
from supportdesk.tickets.models import Attachment
from supportdesk.users import service as users_service
from supportdesk.users.models import ApiToken
from supportdesk.users.service import create_token
from tests.channels.chat import conftest as chat
from tests.channels.chat.conftest import Peer, mailed_code, sign
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
    TicketFactory,
    UserFactory,
)

# ---------------------------------------------------------------------------------------
# HTTP: the expectation table

ANONYMOUS, AGENT, ADMIN, MAIL_PROVIDER = "anonymous", "agent", "admin", "mail provider"
CALLERS = (ANONYMOUS, AGENT, ADMIN, MAIL_PROVIDER)
USERS = frozenset({AGENT, ADMIN})

ANYONE = frozenset(CALLERS)
AGENTS = USERS  # every signed-in user: agents and admins
ADMINS = frozenset({ADMIN})
INBOUND_TOKEN_ONLY = frozenset({MAIL_PROVIDER})


@dataclass
class World:
    """Real rows for every kind of path parameter, so a guard is the only thing in the way."""

    agent: Any
    #: each caller's bearer token (none for the anonymous caller)
    tokens: dict[str, str]
    #: a value for every path parameter, naming a real row
    params: dict[str, Any]
    #: other rows that request bodies name
    ids: dict[str, int]


Values = Callable[[World], Any]


@dataclass(frozen=True)
class Route:
    """Who may call one (method, rule); how to call it so that it would succeed."""

    who: frozenset[str]
    body: Values | None = None
    params: Values | None = None
    #: the query string, where the route needs one to succeed
    query: Values | None = None
    #: the answer an allowed caller gets (``None``: any 2xx or 3xx)
    answers: int | None = None


def _raw_email(sender: str = "mei@example.com") -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, "support@desk.example", "Router"
    mail.set_content("It blinks red.")
    mail.add_attachment(
        b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="invoice.pdf"
    )
    return bytes(mail)


ROUTES: dict[tuple[str, str], Route] = {
    # pages and files
    # the workspace: the app's page answers every path its router knows (it signs in itself)
    ("GET", "/"): Route(ANYONE),
    ("GET", "/sign-in"): Route(ANYONE),
    ("GET", "/tickets/<path:rest>"): Route(ANYONE, params=lambda w: {"rest": "42"}),
    ("GET", "/customers"): Route(ANYONE),
    ("GET", "/customers/<path:rest>"): Route(ANYONE, params=lambda w: {"rest": "7"}),
    ("GET", "/admin"): Route(ANYONE),
    ("GET", "/admin/<path:rest>"): Route(ANYONE, params=lambda w: {"rest": "users"}),
    ("GET", "/kb"): Route(ANYONE),
    ("GET", "/kb/<path:rest>"): Route(ANYONE, params=lambda w: {"rest": "articles/7"}),
    ("GET", "/agent/assets/<path:filename>"): Route(
        ANYONE, params=lambda w: {"filename": "index-0000.js"}
    ),
    ("GET", "/api/docs"): Route(ANYONE),
    ("GET", "/api/docs/assets/<path:filename>"): Route(
        ANYONE, params=lambda w: {"filename": "swagger-ui-bundle.js"}
    ),
    ("GET", "/api/v1/openapi.json"): Route(ANYONE),
    # Flask's static route: the app has no static folder, so nothing is there for anyone
    ("GET", "/static/<path:filename>"): Route(
        ANYONE, params=lambda w: {"filename": "robots.txt"}, answers=404
    ),
    ("GET", "/widget.js"): Route(ANYONE),
    # the help center (tests/channels/web/): anyone reads, votes and sends a request
    ("GET", "/help"): Route(ANYONE),
    ("GET", "/help/"): Route(ANYONE),
    ("GET", "/help/<locale>/"): Route(ANYONE, params=lambda w: {"locale": "en"}),
    ("GET", "/help/<locale>/categories/<slug>"): Route(
        ANYONE, params=lambda w: {"locale": "en", "slug": _category_slug(w)}
    ),
    # by id: it answers with a redirect to the article's own address
    ("GET", "/help/<locale>/articles/<slug>"): Route(
        ANYONE, params=lambda w: {"locale": "en", "slug": w.params["article_id"]}
    ),
    ("POST", "/help/<locale>/articles/<slug>/feedback"): Route(
        ANYONE, params=lambda w: {"locale": "en", "slug": w.params["article_id"]}
    ),
    ("GET", "/help/<locale>/search"): Route(
        ANYONE, params=lambda w: {"locale": "en"}, query=lambda w: {"q": "wand"}
    ),
    ("GET", "/help/sitemap.xml"): Route(ANYONE),
    ("GET", "/help/<path:rest>"): Route(
        ANYONE, params=lambda w: {"rest": "en/no/such/page"}, answers=404
    ),
    ("GET", "/help/static/<path:filename>"): Route(
        ANYONE, params=lambda w: {"filename": "help.css"}
    ),
    ("GET", "/robots.txt"): Route(ANYONE),
    ("GET", "/help/requests/new"): Route(ANYONE),
    # a form post: the JSON body is no form, so it is refused for its fields, past any guard
    ("POST", "/help/requests/new"): Route(ANYONE, answers=422),
    ("GET", "/help/requests/sent"): Route(ANYONE, query=lambda w: {"ref": "SD-1001"}),
    ("POST", "/api/v1/portal/tickets"): Route(
        ANYONE,
        body=lambda w: {"name": "Mei", "email": "mei@example.com", "subject": "Hi", "body": "?"},
    ),
    # the customer portal (tests/channels/web/test_portal_access.py tries each as another
    # customer): anyone asks for a sign-in link (a JSON body is no form: its address is
    # refused) or opens one (a made-up token: "no longer usable"); none of these callers
    # is a signed-in customer, so the customer's pages send each to the sign-in page
    ("GET", "/help/<locale>/portal"): Route(ANYONE, params=lambda w: {"locale": "en"}),
    ("POST", "/help/<locale>/portal"): Route(
        ANYONE, params=lambda w: {"locale": "en"}, answers=422
    ),
    ("GET", "/help/<locale>/portal/sent"): Route(ANYONE, params=lambda w: {"locale": "en"}),
    ("GET", "/help/<locale>/portal/sign-in/<token>"): Route(
        ANYONE, params=lambda w: {"locale": "en", "token": "made-up"}, answers=410
    ),
    ("POST", "/help/<locale>/portal/sign-in/<token>"): Route(
        ANYONE, params=lambda w: {"locale": "en", "token": "made-up"}, answers=410
    ),
    ("POST", "/help/portal/sign-out"): Route(ANYONE, answers=303),
    ("GET", "/help/<locale>/portal/requests"): Route(
        ANYONE, params=lambda w: {"locale": "en"}, answers=303
    ),
    ("GET", "/help/<locale>/portal/requests/<id:ticket_id>"): Route(
        ANYONE, params=lambda w: {"locale": "en"}, answers=303
    ),
    ("POST", "/help/<locale>/portal/requests/<id:ticket_id>"): Route(
        ANYONE, params=lambda w: {"locale": "en"}, answers=303
    ),
    ("GET", "/help/portal/attachments/<id:attachment_id>"): Route(ANYONE, answers=303),
    # visitors only, with their widget token (tests/channels/chat/test_chat_attachments.py)
    ("GET", "/widget/attachments/<id:attachment_id>"): Route(frozenset()),
    ("GET", "/widget/frame"): Route(ANYONE),
    # (the default ``filename`` is a file of the built widget)
    ("GET", "/widget/assets/<path:filename>"): Route(ANYONE),
    # hooks: their own credentials, never an agent's
    ("POST", "/hooks/email"): Route(
        INBOUND_TOKEN_ONLY, body=lambda w: _raw_email("new.sender@example.com")
    ),
    # session and accounts
    ("POST", "/api/v1/session"): Route(
        ANYONE, body=lambda w: {"email": w.agent.email, "password": PASSWORD}
    ),
    ("GET", "/api/v1/session"): Route(AGENTS),
    ("DELETE", "/api/v1/session"): Route(AGENTS),
    ("GET", "/api/v1/me"): Route(AGENTS),
    ("PATCH", "/api/v1/me"): Route(AGENTS, body=lambda w: {"time_zone": "Asia/Shanghai"}),
    ("GET", "/api/v1/users"): Route(AGENTS),
    ("POST", "/api/v1/users"): Route(
        ADMINS,
        body=lambda w: {
            "email": "new@desk.example",
            "name": "New Agent",
            "password": "a long new password",
            "role": "agent",
        },
    ),
    # another user (the colleague); an agent changing themselves: see the test below
    ("PATCH", "/api/v1/users/<id:user_id>"): Route(ADMINS, body=lambda w: {"name": "Renamed"}),
    ("GET", "/api/v1/tokens"): Route(AGENTS),
    ("POST", "/api/v1/tokens"): Route(AGENTS, body=lambda w: {"name": "CRM sync"}),
    # the colleague's token; the owner revoking their own: see the test below
    ("DELETE", "/api/v1/tokens/<id:token_id>"): Route(ADMINS),
    # customers and their history
    ("POST", "/api/v1/customers"): Route(
        AGENTS, body=lambda w: {"name": "Zoe", "emails": ["zoe@mail.example"]}
    ),
    ("GET", "/api/v1/customers"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>"): Route(AGENTS),
    ("PATCH", "/api/v1/customers/<id:customer_id>"): Route(AGENTS, body=lambda w: {"name": "Z"}),
    ("POST", "/api/v1/customers/<id:customer_id>/merge"): Route(
        AGENTS, body=lambda w: {"source_id": w.ids["other_customer"]}
    ),
    ("GET", "/api/v1/customers/<id:customer_id>/possible-matches"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>/claimed-emails"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>/timeline"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>/contacts"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>/identities"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>/merges"): Route(AGENTS),
    ("GET", "/api/v1/customers/<id:customer_id>/merge-preview"): Route(
        AGENTS, query=lambda w: {"source_id": w.ids["other_customer"]}
    ),
    # context integrations: admins set them up (their secrets stay there); agents see cards
    ("GET", "/api/v1/customers/<id:customer_id>/context"): Route(AGENTS),
    ("GET", "/api/v1/integrations"): Route(ADMINS),
    ("POST", "/api/v1/integrations"): Route(
        ADMINS,
        body=lambda w: {"name": "Billing", "url": "https://billing.example/", "secret": "x" * 16},
    ),
    ("PATCH", "/api/v1/integrations/<id:integration_id>"): Route(
        ADMINS, body=lambda w: {"url": "http://elsewhere.example/"}
    ),
    ("DELETE", "/api/v1/integrations/<id:integration_id>"): Route(ADMINS),
    # tickets, messages, calls
    ("POST", "/api/v1/tickets"): Route(
        AGENTS,
        body=lambda w: {
            "subject": "Hi",
            "channel": "email",
            "customer_id": w.params["customer_id"],
        },
    ),
    ("GET", "/api/v1/tickets"): Route(AGENTS),
    ("GET", "/api/v1/tickets/<id:ticket_id>"): Route(AGENTS),
    ("GET", "/api/v1/tickets/views"): Route(AGENTS),
    ("POST", "/api/v1/tickets/bulk"): Route(
        AGENTS,
        body=lambda w: {"ticket_ids": [w.params["ticket_id"]], "changes": {"priority": "high"}},
    ),
    ("PATCH", "/api/v1/tickets/<id:ticket_id>"): Route(AGENTS, body=lambda w: {"priority": "high"}),
    ("GET", "/api/v1/tickets/<id:ticket_id>/messages"): Route(AGENTS),
    # saved views: the world's is the agent's own; anyone else (an admin too) gets 404
    ("GET", "/api/v1/saved-views"): Route(AGENTS),
    ("POST", "/api/v1/saved-views"): Route(
        AGENTS, body=lambda w: {"name": "Mine", "filters": {"view": "mine"}}
    ),
    ("PATCH", "/api/v1/saved-views/<id:saved_view_id>"): Route(
        frozenset({AGENT}), body=lambda w: {"name": "Renamed"}
    ),
    ("DELETE", "/api/v1/saved-views/<id:saved_view_id>"): Route(frozenset({AGENT})),
    # canned responses: admins keep them, every agent uses them
    ("GET", "/api/v1/canned-responses"): Route(AGENTS),
    ("POST", "/api/v1/canned-responses"): Route(
        ADMINS, body=lambda w: {"title": "Hi", "bodies": {"en": "Hi {{ customer.name }}"}}
    ),
    ("PATCH", "/api/v1/canned-responses/<id:canned_response_id>"): Route(
        ADMINS, body=lambda w: {"title": "Renamed"}
    ),
    ("DELETE", "/api/v1/canned-responses/<id:canned_response_id>"): Route(ADMINS),
    (
        "POST",
        "/api/v1/tickets/<id:ticket_id>/canned-responses/<id:canned_response_id>/render",
    ): Route(AGENTS, body=lambda w: {}),
    ("POST", "/api/v1/tickets/<id:ticket_id>/messages"): Route(
        AGENTS, body=lambda w: {"body": "Checking the logs.", "internal": True}
    ),
    ("POST", "/api/v1/tickets/<id:ticket_id>/merge"): Route(
        AGENTS, body=lambda w: {"into_id": w.ids["other_ticket"]}
    ),
    # notifications: each agent's own (the world's agent has none; the answer says so)
    ("GET", "/api/v1/notifications"): Route(AGENTS),
    ("POST", "/api/v1/notifications/read"): Route(AGENTS, body=lambda w: {"all": True}),
    ("POST", "/api/v1/messages/<id:message_id>/move"): Route(
        AGENTS, body=lambda w: {"ticket_id": w.ids["other_ticket"]}
    ),
    ("POST", "/api/v1/messages/<id:message_id>/split"): Route(AGENTS, body=lambda w: {}),
    ("GET", "/api/v1/attachments/<id:attachment_id>"): Route(AGENTS),
    ("POST", "/api/v1/uploads"): Route(
        AGENTS, body=lambda w: {"file": (io.BytesIO(b"2026-12-02 router log"), "router.log")}
    ),
    ("POST", "/api/v1/calls"): Route(
        AGENTS, body=lambda w: {"customer_id": w.params["customer_id"], "direction": "inbound"}
    ),
    # e-mail
    ("GET", "/api/v1/messages/<id:message_id>/email"): Route(
        AGENTS, params=lambda w: {"message_id": w.ids["email_message"]}
    ),
    ("POST", "/api/v1/messages/<id:message_id>/email/retry"): Route(
        # the world's e-mail was received, not sent: agents get in and hear it cannot be retried
        AGENTS,
        params=lambda w: {"message_id": w.ids["email_message"]},
        answers=409,
    ),
    ("GET", "/api/v1/tickets/<id:ticket_id>/deliveries"): Route(AGENTS),
    ("GET", "/api/v1/email/quarantine"): Route(AGENTS),
    ("GET", "/api/v1/email/inbound/<id:inbound_id>"): Route(AGENTS),
    ("GET", "/api/v1/email/inbound/<id:inbound_id>/raw"): Route(AGENTS),
    ("POST", "/api/v1/email/inbound/<id:inbound_id>/reprocess"): Route(AGENTS),
    ("DELETE", "/api/v1/email/inbound/<id:inbound_id>"): Route(ADMINS),
    ("GET", "/api/v1/email/outbox"): Route(ADMINS),
    ("GET", "/api/v1/email/outbox/<string:mail_id>"): Route(ADMINS),
    ("GET", "/api/v1/email/templates"): Route(AGENTS),
    ("PUT", "/api/v1/email/templates/<key>/<locale>"): Route(
        ADMINS, body=lambda w: {"subject": "Got it [{{ ticket_ref }}]", "body": "Thanks."}
    ),
    ("DELETE", "/api/v1/email/templates/<key>/<locale>"): Route(ADMINS),
    # the knowledge base: readers get what is published; agents write (and see drafts)
    ("GET", "/api/v1/kb/articles"): Route(ANYONE),
    ("POST", "/api/v1/kb/articles"): Route(
        AGENTS, body=lambda w: {"title": "Milk frothing", "body": "Cold milk.", "locale": "en"}
    ),
    ("GET", "/api/v1/kb/articles/<id_or_slug>"): Route(ANYONE),
    ("PATCH", "/api/v1/kb/articles/<id_or_slug>"): Route(AGENTS, body=lambda w: {"title": "New"}),
    ("DELETE", "/api/v1/kb/articles/<id_or_slug>"): Route(AGENTS),
    ("POST", "/api/v1/kb/render"): Route(AGENTS, body=lambda w: {"body": "**Preview**"}),
    ("GET", "/api/v1/kb/articles/<id:article_id>/versions"): Route(AGENTS),
    ("GET", "/api/v1/kb/articles/<id:article_id>/versions/<id:number>"): Route(AGENTS),
    ("GET", "/api/v1/kb/articles/<id:article_id>/versions/<id:number>/diff"): Route(AGENTS),
    ("POST", "/api/v1/kb/articles/<id:article_id>/versions/<id:number>/restore"): Route(AGENTS),
    ("GET", "/api/v1/kb/categories"): Route(ANYONE),
    ("POST", "/api/v1/kb/categories"): Route(AGENTS, body=lambda w: {"names": {"en": "Billing"}}),
    ("GET", "/api/v1/kb/categories/<id:category_id>"): Route(ANYONE),
    ("PATCH", "/api/v1/kb/categories/<id:category_id>"): Route(
        AGENTS, body=lambda w: {"position": 3}
    ),
    ("DELETE", "/api/v1/kb/categories/<id:category_id>"): Route(AGENTS),
    ("GET", "/api/v1/kb/sections"): Route(ANYONE),
    ("POST", "/api/v1/kb/sections"): Route(
        AGENTS, body=lambda w: {"category_id": w.params["category_id"], "names": {"en": "FAQ"}}
    ),
    ("GET", "/api/v1/kb/sections/<id:section_id>"): Route(ANYONE),
    ("PATCH", "/api/v1/kb/sections/<id:section_id>"): Route(AGENTS, body=lambda w: {"position": 3}),
    ("DELETE", "/api/v1/kb/sections/<id:section_id>"): Route(AGENTS),
    ("POST", "/api/v1/kb/images"): Route(
        AGENTS, body=lambda w: {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n pixels"), "wand.png")}
    ),
    # the world's image is in a published article
    ("GET", "/api/v1/kb/images/<id:image_id>"): Route(ANYONE),
    # readers' votes: anyone (agents vote as readers do); flags and the review: agents
    ("POST", "/api/v1/kb/articles/<id:article_id>/feedback"): Route(
        ANYONE, body=lambda w: {"helpful": False, "comment": "No photos of the wand"}
    ),
    ("GET", "/api/v1/kb/articles/<id:article_id>/feedback"): Route(ANYONE),
    ("POST", "/api/v1/kb/articles/<id:article_id>/flags"): Route(
        AGENTS, body=lambda w: {"reason": "outdated", "ticket_id": w.params["ticket_id"]}
    ),
    ("GET", "/api/v1/kb/flags"): Route(AGENTS),
    ("POST", "/api/v1/kb/flags/<id:flag_id>/resolve"): Route(
        AGENTS, body=lambda w: {"resolution": "fixed"}
    ),
    ("GET", "/api/v1/kb/review"): Route(AGENTS),
    ("POST", "/api/v1/kb/articles/<id:article_id>/uses"): Route(AGENTS),
    ("GET", "/api/v1/kb/suggest"): Route(ANYONE, query=lambda w: {"q": "wand"}),
    # what readers searched in vain, and how often suggestions deflected them: agents
    ("GET", "/api/v1/kb/searches/unanswered"): Route(AGENTS),
    ("GET", "/api/v1/kb/deflection"): Route(AGENTS),
}


def _category_slug(world: World) -> str:
    category = db.session.get(Category, world.params["category_id"])
    assert category is not None
    return category.slug


PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def openapi_path(rule: str) -> str:
    """``/customers/<id:customer_id>`` as the OpenAPI document writes it."""
    return PARAMETER.sub(r"{\1}", rule)


def url_map_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its cheapest: at its real cost, the accounts each test makes would take
    most of the run's time."""
    monkeypatch.setattr(
        users_service, "_hasher", argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    )


def _built_front_ends(dist: Path, app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    """A stand-in for ``npm run build``'s output (who may fetch a file does not depend on
    what is in it), so the matrix needs no npm; the name of the widget's one asset."""
    assets = dist / "widget" / "assets"
    assets.mkdir(parents=True)
    (dist / "widget" / "widget.js").write_text("/* loader */")
    (dist / "widget" / "frame.html").write_text("<!doctype html><title>frame</title>")
    (assets / "frame-0000.js").write_text("/* frame */")
    (dist / "agent" / "assets").mkdir(parents=True)
    (dist / "agent" / "index.html").write_text("<!doctype html><title>Supportdesk</title>")
    (dist / "agent" / "assets" / "index-0000.js").write_text("/* workspace */")
    monkeypatch.setitem(app.config, "FRONTEND_DIST", str(dist))
    return "frame-0000.js"


@pytest.fixture
def world(app: Flask, agent: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    # the desk delivers into a local outbox (as ``supportdesk demo`` does), one mail in it
    monkeypatch.setitem(app.config, "SMTP_URL", outbox_url(tmp_path / "outbox"))
    mail_id = mailbox.Maildir(tmp_path / "outbox", create=True).add(_raw_email())
    admin = UserFactory(role="admin", name="Ana Admin")
    colleague = UserFactory(name="Cole League")
    tokens = {
        AGENT: create_token(db.session, agent),
        ADMIN: create_token(db.session, admin),
        MAIL_PROVIDER: TEST_CONFIG["INBOUND_EMAIL_TOKEN"],
    }
    create_token(db.session, colleague)
    customer = CustomerFactory(name="Mei Lin", emails=["mei@example.com"])
    ticket = TicketFactory(customer=customer, body="My router blinks red")
    message = MessageFactory(ticket=ticket, body="It still blinks")
    other_ticket = TicketFactory(customer=customer)
    CallFactory(customer=customer)
    other_customer = CustomerFactory()
    # disabled: the panel asks no outside server here
    integration = create_integration(
        db.session, name="CRM", url="http://crm.example/", secret="y" * 16, enabled=False
    )
    canned_response = CannedResponseFactory()
    saved_view = SavedViewFactory(owner=agent)
    section = SectionFactory()
    image = store_image(db.session, agent, filename="wand.png", data=b"\x89PNG\r\n\x1a\n wand")
    article = ArticleFactory(section_id=section.id, body=f"![wand](/api/v1/kb/images/{image.id})")
    flag = flag_article(db.session, article.id, reason=FlagReason.INACCURATE, agent=colleague)
    db.session.commit()
    filed = inbound.receive(db.session, _raw_email(), source="hook")
    quarantined = inbound.receive(db.session, b"not an e-mail at all", source="hook")
    assert filed.message_id and quarantined.quarantined, (filed, quarantined)
    db.session.commit()
    attachment_id = db.session.scalar(
        sa.select(Attachment.id).where(Attachment.message_id == filed.message_id)
    )
    token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == colleague.id))
    return World(
        agent=agent,
        tokens=tokens,
        params={
            "customer_id": customer.id,
            "ticket_id": ticket.id,
            "message_id": message.id,
            "attachment_id": attachment_id,
            "inbound_id": quarantined.inbound_id,
            "key": "ticket_acknowledgement",
            "locale": "zh-CN",
            "user_id": colleague.id,
            "token_id": token_id,
            "integration_id": integration.id,
            "canned_response_id": canned_response.id,
            "saved_view_id": saved_view.id,
            "id_or_slug": article.id,
            "flag_id": flag.id,
            "article_id": article.id,
            "number": article.version,
            "category_id": section.category_id,
            "section_id": section.id,
            "image_id": image.id,
            "mail_id": mail_id,
            "filename": _built_front_ends(tmp_path / "dist", app, monkeypatch),
        },
        ids={
            "other_customer": other_customer.id,
            "other_ticket": other_ticket.id,
            "email_message": filed.message_id,
        },
    )


def call(client: FlaskClient, world: World, key: tuple[str, str], caller: str) -> Any:
    method, rule = key
    route = ROUTES[key]
    params = {**world.params, **(route.params(world) if route.params else {})}
    path = PARAMETER.sub(lambda m: str(params[m[1]]), rule)
    headers = {"Authorization": f"Bearer {world.tokens[caller]}"} if caller in world.tokens else {}
    body = route.body(world) if route.body else None
    if isinstance(body, bytes):
        return client.open(
            path, method=method, headers=headers, data=body, content_type="message/rfc822"
        )
    if isinstance(body, dict) and "file" in body:  # an upload: multipart/form-data
        return client.open(path, method=method, headers=headers, data=body)
    query = route.query(world) if route.query else None
    return client.open(path, method=method, headers=headers, json=body, query_string=query)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, but for when a caller's own token was last used."""
    db.session.rollback()  # a fresh view of what the requests committed
    rows = {}
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if (table.name, c.name) != ("api_tokens", "last_used_at")
        ]
        rows[table.name] = sorted(
            (tuple(map(repr, row)) for row in db.session.execute(sa.select(*columns))), key=str
        )
    return rows


def test_every_route_and_every_documented_operation_has_an_expectation(app: Flask) -> None:
    routes = url_map_routes(app)
    document = app.test_client().get("/api/v1/openapi.json").json
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }
    served = {(method, openapi_path(rule)) for method, rule in routes}

    assert sorted(routes - ROUTES.keys()) == [], "say who may call these in ROUTES"
    assert sorted(documented - served) == [], "documented, but no route serves them"


def _tries() -> Iterator[Any]:
    """Every route with every caller; the mail provider's token only where credentials count."""
    for key, route in sorted(ROUTES.items()):
        for caller in CALLERS:
            if not (caller == MAIL_PROVIDER and ANONYMOUS in route.who):
                yield pytest.param(key, caller, id=f"{' '.join(key)} as {caller}")


@pytest.mark.parametrize(("key", "caller"), _tries())
def test_only_the_expected_callers_get_through(
    client: FlaskClient, world: World, key: tuple[str, str], caller: str
) -> None:
    if key not in url_map_routes(client.application):
        pytest.skip(f"{' '.join(key)} is announced (in the contract) but not served yet")
    route = ROUTES[key]
    before = snapshot()

    response = call(client, world, key, caller)

    if caller in route.who:
        expected = (route.answers,) if route.answers else range(200, 400)
        assert response.status_code in expected, response.get_data(as_text=True)[:500]
        return
    refusals = (403, 404) if caller in USERS and route.who & USERS else (401,)
    assert response.status_code in refusals, response.get_data(as_text=True)[:500]
    assert response.content_type == "application/problem+json"
    assert snapshot() == before, "a refused call changed something"


def test_an_agent_may_change_their_own_account_and_revoke_their_own_token(
    client: FlaskClient, world: World
) -> None:
    """The two "or self" rules the table's other-user lines leave out."""
    if ("PATCH", "/api/v1/users/<id:user_id>") not in url_map_routes(client.application):
        pytest.skip("/api/v1/users is announced but not served yet")
    headers = {"Authorization": f"Bearer {world.tokens[AGENT]}"}
    renamed = client.patch(
        f"/api/v1/users/{world.agent.id}", json={"name": "Ada Renamed"}, headers=headers
    )
    assert renamed.status_code == 200, renamed.json
    spare = client.post("/api/v1/tokens", json={"name": "spare"}, headers=headers)
    assert spare.status_code == 201, spare.json
    revoked = client.delete(f"/api/v1/tokens/{spare.json['id']}", headers=headers)
    assert revoked.status_code == 204
    # and an agent may not make themselves an admin
    promoted = client.patch(
        f"/api/v1/users/{world.agent.id}", json={"role": "admin"}, headers=headers
    )
    assert promoted.status_code in (403, 422), promoted.json
    assert client.get("/api/v1/me", headers=headers).json["role"] == "agent"


# ---------------------------------------------------------------------------------------
# Socket.IO

#: every handler of each namespace, and what it may touch. A new event without a line
#: here fails ``test_every_socket_event_has_an_expectation``.
AGENT_EVENTS = {
    "connect": "agents only: a token of a signed-in user, or their session cookie",
    "disconnect": "the connection's own presence",
    "watch": "any ticket (agents see every ticket)",
    "unwatch": "the connection's own watch",
    "typing": "any ticket",
    "presence": "the agent's own status",
}
WIDGET_EVENTS = {
    "connect": "reads history: the session's messages are the visitor's own conversation",
    "disconnect": "the connection's own presence",
    "message": "writes to the visitor's own conversation",
    "typing": "the visitor's own conversation",
    "history": "reads history: the visitor's own conversation only",
    "identify": "a claim: kept for agents, never a link to the owner's history",
    "verify_start": "mails a code to the given address; proves nothing yet",
    "verify_check": "reads history: re-sends the session, of the address proven by code",
    "offline_message": "a new ticket of the visitor's own",
    "transcript": "mails the visitor's own conversation",
}
# The chat tests' fixtures: the app on a live server, and real Socket.IO clients of it.
chat_app, server, peers, visitor = chat.chat_app, chat.server, chat.peers, chat.visitor
_quick_websocket_close = chat._quick_websocket_close  # autouse: applies here too

VICTIM_SECRET = "My parcel is late and my address is 1 Long Street"


def _handlers(namespace: type) -> set[str]:
    return {name.removeprefix("on_") for name in vars(namespace) if name.startswith("on_")}


def test_every_socket_event_has_an_expectation() -> None:
    assert _handlers(AgentNamespace) == AGENT_EVENTS.keys()
    assert _handlers(WidgetNamespace) == WIDGET_EVENTS.keys()


def test_the_agent_namespace_takes_agents_only(
    peers: Callable[..., Peer], visitor: Callable[..., Any], agent: Any
) -> None:
    _, session = visitor()
    refused = [
        None,
        {},
        {"token": session["visitor_token"]},
        {"visitor_token": session["visitor_token"]},
        {"token": TEST_CONFIG["INBOUND_EMAIL_TOKEN"]},
        {"token": "not-a-token"},
    ]
    gone = UserFactory(name="Gone Agent")
    refused.append({"token": create_token(db.session, gone)})
    gone.active = False
    for auth in refused:
        with pytest.raises(socketio.exceptions.ConnectionError):
            peers("/agent", auth)

    for user in (agent, UserFactory(role="admin", name="Ana Admin")):
        desk = peers("/agent", {"token": create_token(db.session, user)})
        assert desk.wait_for("presence", lambda p, user=user: p["user_id"] == user.id)


@pytest.fixture
def victim() -> Any:
    """A known customer, vouched for by the site, with a private chat going on."""
    customer = CustomerFactory(name="Li Wei", emails=["li@shop.example"], external_id="u-42")
    TicketFactory(customer=customer, channel="chat", body=VICTIM_SECRET)
    db.session.commit()
    return customer


ATTACKS = {
    "claims the victim's e-mail": {"identity": {"email": "li@shop.example", "name": "Li Wei"}},
    "claims the victim's external id with a forged hash": {
        "identity": {"external_id": "u-42", "hash": sign("u-666")}
    },
    "proves their own id and claims the victim's e-mail": {
        "identity": {"external_id": "u-666", "email": "li@shop.example", "hash": sign("u-666")}
    },
    "proves their own e-mail and claims the victim's id": {
        "identity": {
            "external_id": "u-42",
            "email": "eve@evil.example",
            "hash": sign("eve@evil.example"),
        }
    },
}


def _bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["body"] for m in messages]


@pytest.mark.parametrize("auth", ATTACKS.values(), ids=ATTACKS.keys())
def test_no_claim_opens_another_visitors_conversation(
    visitor: Callable[..., Any], victim: Any, auth: dict[str, Any]
) -> None:
    widget, session = visitor(**auth)

    assert session["customer_id"] != victim.id
    assert VICTIM_SECRET not in _bodies(session["messages"])
    history = widget.call("history", {"after_id": 0})
    assert VICTIM_SECRET not in _bodies(history.get("messages", [])), history
    # typed into the chat later, the victim's address is still only a claim
    widget.call("identify", {"email": "li@shop.example", "name": "Li Wei"})
    again = widget.call("history", {"after_id": 0})
    assert VICTIM_SECRET not in _bodies(again.get("messages", [])), again


def test_proving_ones_own_address_by_code_opens_only_ones_own_conversation(
    visitor: Callable[..., Any], victim: Any, smtp_peer: Any
) -> None:
    widget, _ = visitor(identity={"email": "li@shop.example"})  # the victim's, claimed
    widget.call("verify.start", {"email": "eve@evil.example"})  # the attacker's own

    proven = widget.call("verify.check", {"code": mailed_code(smtp_peer, "eve@evil.example")})

    assert proven == {"verified": True}
    session = widget.wait_for("session", lambda s: s["verified"])
    assert session["customer_id"] != victim.id and session["email"] == "eve@evil.example"
    assert VICTIM_SECRET not in _bodies(session["messages"])
    history = widget.call("history", {"after_id": 0})
    assert VICTIM_SECRET not in _bodies(history.get("messages", [])), history
