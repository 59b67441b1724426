"""A customer never sees another's ticket: every portal route, tried as another signed-in
customer (Eve) against Mei's ticket, message and file, and signed out.

``PORTAL`` has a line per portal route of the app's URL map; a new route without one
fails ``test_every_portal_route_has_a_line``. Eve is answered 404 (not 403: nothing says
Mei's ticket exists) for anything naming Mei's rows, and sees only her own where a page
names none; a refused call changes nothing. Signed out, a customer's page sends the
reader to the sign-in page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supportdesk.customers.sessions import CUSTOMER_KEY
from supportdesk.extensions import db
from supportdesk.tickets.models import Attachment, Message
from tests.factories import AttachmentFactory, CustomerFactory, TicketFactory
from tests.test_authorization import snapshot

SECRET = "My parcel went to 1 Long Street"


@dataclass
class World:
    mei: Any
    eve: Any
    ticket_id: int
    attachment_id: int


@pytest.fixture
def world(app: Flask) -> World:
    mei = CustomerFactory(name="Mei", emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei, subject=SECRET, body=SECRET)
    message = db.session.scalar(sa.select(Message).where(Message.ticket_id == ticket.id))
    AttachmentFactory(message=message)
    eve = CustomerFactory(name="Eve", emails=["eve@example.com"])
    TicketFactory(customer=eve, subject="Eve's own question")
    db.session.commit()
    attachment_id = db.session.scalar(sa.select(Attachment.id))
    return World(mei, eve, ticket.id, attachment_id)


#: how a route is tried: whose rows it names and what Eve (or nobody) must get
PUBLIC, OWN, MEIS = "public: names no customer's rows", "shows the caller's own", "names Mei's"


@dataclass(frozen=True)
class Try:
    method: str
    path: Callable[[World], str]
    kind: str
    form: Callable[[World], dict[str, Any]] | None = None


PORTAL: dict[str, Try] = {
    "help_center.portal_start": Try("GET", lambda w: "/help/en/portal", OWN),
    "help_center.portal_send_link": Try(
        "POST", lambda w: "/help/en/portal", PUBLIC, lambda w: {"email": "eve@example.com"}
    ),
    "help_center.portal_link_sent": Try("GET", lambda w: "/help/en/portal/sent", PUBLIC),
    # the link's token is the credential: without Mei's mail nobody has it
    "help_center.portal_confirm": Try("GET", lambda w: "/help/en/portal/sign-in/guess", PUBLIC),
    "help_center.portal_use_link": Try("POST", lambda w: "/help/en/portal/sign-in/guess", PUBLIC),
    "help_center.portal_sign_out": Try("POST", lambda w: "/help/portal/sign-out", PUBLIC),
    "help_center.portal_requests": Try("GET", lambda w: "/help/en/portal/requests", OWN),
    "help_center.portal_request": Try(
        "GET", lambda w: f"/help/en/portal/requests/{w.ticket_id}", MEIS
    ),
    "help_center.portal_reply": Try(
        "POST",
        lambda w: f"/help/en/portal/requests/{w.ticket_id}",
        MEIS,
        lambda w: {"body": "Eve was here"},
    ),
    "help_center.portal_attachment": Try(
        "GET", lambda w: f"/help/portal/attachments/{w.attachment_id}", MEIS
    ),
}


def portal_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if ".portal_" in rule.endpoint}


def test_every_portal_route_has_a_line(app: Flask) -> None:
    assert portal_endpoints(app) == set(PORTAL)


def as_eve(client: FlaskClient, world: World) -> FlaskClient:
    with client.session_transaction() as session:
        session[CUSTOMER_KEY] = world.eve.id
    return client


def call(client: FlaskClient, world: World, how: Try, *, csrf: bool) -> Any:
    form = how.form(world) if how.form else {}
    if csrf and how.method == "POST":  # Eve's own valid token: the guard is all that is left
        page = client.get("/help/en/portal/requests").get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        form["csrf_token"] = match[1] if match else ""
    return client.open(how.path(world), method=how.method, data=form)


@pytest.mark.parametrize("endpoint", sorted(PORTAL))
def test_another_customer_gets_nothing_of_meis(
    client: FlaskClient, world: World, endpoint: str
) -> None:
    how = PORTAL[endpoint]
    as_eve(client, world)
    before = snapshot()

    answer = call(client, world, how, csrf=True)

    body = answer.get_data(as_text=True)
    assert SECRET not in body and b"%PDF" not in answer.get_data()
    if how.kind == MEIS:
        assert answer.status_code == 404, body[:300]
        assert "Page not found" in body
        assert snapshot() == before, "a refused call changed something"
    elif how.kind == OWN:
        shown = client.get(answer.headers["Location"]) if answer.status_code == 303 else answer
        assert "Eve&#39;s own question" in shown.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", sorted(e for e, how in PORTAL.items() if how.kind != PUBLIC))
def test_signed_out_a_customers_page_sends_the_reader_to_sign_in(
    client: FlaskClient, world: World, endpoint: str
) -> None:
    before = snapshot()

    answer = call(client, world, PORTAL[endpoint], csrf=False)

    if endpoint == "help_center.portal_start":  # the sign-in page itself
        assert answer.status_code == 200 and 'name="email"' in answer.get_data(as_text=True)
        return
    assert answer.status_code == 303
    assert re.search(r"/help/(en|zh-CN)/portal$", answer.headers["Location"])
    assert SECRET not in answer.get_data(as_text=True)
    assert snapshot() == before


def test_meis_own_file_downloads_for_mei_only(client: FlaskClient, world: World) -> None:
    with client.session_transaction() as session:
        session[CUSTOMER_KEY] = world.mei.id

    answer = client.get(f"/help/portal/attachments/{world.attachment_id}")

    assert answer.status_code == 200 and answer.get_data() == b"%PDF-1.4 ."
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_on_an_internal_note_is_no_customers(client: FlaskClient, world: World) -> None:
    note = Message(
        ticket_id=world.ticket_id,
        channel="email",
        direction="internal",
        author_kind="agent",
        author_name="Ada",
        body="Refund approved?",
        body_html="",
    )
    db.session.add(note)
    db.session.flush()
    AttachmentFactory(
        message=note, filename="audit.xlsx", content_type="application/octet-stream", data=b"no"
    )
    db.session.commit()
    file_id = db.session.scalar(sa.select(Attachment.id).where(Attachment.message_id == note.id))
    with client.session_transaction() as session:
        session[CUSTOMER_KEY] = world.mei.id

    assert client.get(f"/help/portal/attachments/{file_id}").status_code == 404
    page = client.get(f"/help/en/portal/requests/{world.ticket_id}").get_data(as_text=True)
    assert "audit.xlsx" not in page and "Refund approved?" not in page
