"""The customer portal: a magic link through the tests' real SMTP server signs a customer in,
once, within 15 minutes; they see their tickets from every channel and reply there.

The app of each test is its own (``portal``), so the rate limits count from zero: 3 links
a minute to one address, 6 from one client address, 5 replies a minute per customer.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supportdesk.channels.web import portal_links, portal_sign_in
from supportdesk.channels.web.models import PortalLink
from supportdesk.core.channels import Channel
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer, Identity
from supportdesk.customers.sessions import CUSTOMER_KEY
from supportdesk.extensions import db
from supportdesk.knowledge import voters
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import AuthorKind, Direction, Message, Ticket, TicketEvent
from supportdesk.tickets.status import Status
from tests.factories import CallFactory, CustomerFactory, MessageFactory, TicketFactory, UserFactory
from tests.peers import SmtpServer

LINK = re.compile(r"https?://\S+/portal/sign-in/[A-Za-z0-9_-]+")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def portal(app: Flask, make_app: Any, smtp_peer: SmtpServer) -> Flask:
    """An app of the test's own (fresh rate-limit budgets), mailing the real SMTP peer."""
    return make_app(
        SMTP_URL=f"smtp://127.0.0.1:{smtp_peer.port}",
        PORTAL_LINK_RATE_LIMIT="3 per minute",
        PORTAL_LINK_CLIENT_RATE_LIMIT="6 per minute",
        PORTAL_REPLY_RATE_LIMIT="5 per minute",
    )


@pytest.fixture
def browser(portal: Flask) -> FlaskClient:
    return portal.test_client()


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def mails_to(smtp_peer: SmtpServer, address: str) -> list[Any]:
    return [
        m for m, to in zip(smtp_peer.messages, smtp_peer.recipients, strict=True) if address in to
    ]


def mailed_link(smtp_peer: SmtpServer, address: str) -> str:
    """The link in the newest mail to ``address``."""
    found = mails_to(smtp_peer, address)
    assert found, f"no mail to {address}"
    match = LINK.search(found[-1].get_content())
    assert match, found[-1].get_content()
    return match[0]


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, html
    return match[1]


def ask_for_link(client: FlaskClient, address: str, locale: str = "en") -> Any:
    return client.post(f"/help/{locale}/portal", data={"email": address})


def press_sign_in(client: FlaskClient, link: str) -> Any:
    """Open the mailed link and press its "Sign in" button, as a reader does."""
    page = client.get(link)
    assert page.status_code == 200, text(page)
    return client.post(link, data={"csrf_token": csrf_of(text(page))})


def sign_in_by_mail(client: FlaskClient, smtp_peer: SmtpServer, address: str) -> None:
    assert ask_for_link(client, address).status_code == 303
    answer = press_sign_in(client, mailed_link(smtp_peer, address.lower()))
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/portal/requests")


def fresh(model: type, ident: int) -> Any:
    db.session.rollback()
    return db.session.get(model, ident)


# ---------------------------------------------------------------------------------------
# the magic link


def test_a_magic_link_signs_the_owner_in_and_shows_their_tickets_from_every_channel(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    mei = CustomerFactory(name="Mei Lin", emails=["mei@example.com"])
    for channel in ("email", "chat", "phone", "web"):
        TicketFactory(customer=mei, channel=channel, subject=f"Asked by {channel}")
    TicketFactory(subject="Someone else's parcel")
    db.session.commit()

    sign_in_by_mail(browser, smtp_peer, "Mei@Example.com")
    page = text(browser.get("/help/en/portal/requests"))

    for channel in ("email", "chat", "phone", "web"):
        assert f"Asked by {channel}" in page
    assert "Someone else&#39;s parcel" not in page and "Someone else's parcel" not in page
    assert "Signed in as mei@example.com" in page
    identity = db.session.scalar(sa.select(Identity).where(Identity.value == "mei@example.com"))
    assert fresh(Identity, identity.id).verified


def test_the_answer_never_tells_whether_the_address_is_known(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    CustomerFactory(emails=["known@example.com"])
    db.session.commit()

    answers = [ask_for_link(browser, a) for a in ("known@example.com", "nobody@example.com")]
    pages = [text(browser.get(a.headers["Location"])) for a in answers]

    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert pages[1] == pages[0].replace("known@example.com", "nobody@example.com")
    assert "Check your inbox" in pages[0]
    assert len(mails_to(smtp_peer, "known@example.com")) == 1
    assert len(mails_to(smtp_peer, "nobody@example.com")) == 1


def test_an_unknown_address_becomes_a_verified_customer_at_first_sign_in(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    ask_for_link(browser, "new.reader@example.com")
    assert (
        customers.find_by_identity(db.session, IdentityKind.EMAIL, "new.reader@example.com") is None
    )

    press_sign_in(browser, mailed_link(smtp_peer, "new.reader@example.com"))

    db.session.rollback()
    made = customers.find_by_identity(db.session, IdentityKind.EMAIL, "new.reader@example.com")
    assert made is not None and made.name == "new.reader"
    assert [i.verified for i in made.identities] == [True]
    assert "You have no requests yet" in text(browser.get("/help/en/portal/requests"))


def test_a_typed_address_is_a_claim_that_never_joins_the_signed_in_customer(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    """Someone files a request typing Mei's address; Mei signs in: it is not hers."""
    CustomerFactory(name="Mei", emails=["mei@example.com"])
    db.session.commit()
    filed = browser.post(
        "/api/v1/portal/tickets",
        json={"name": "Eve", "email": "mei@example.com", "subject": "Eve's lie", "body": "?"},
    )
    assert filed.status_code == 201

    sign_in_by_mail(browser, smtp_peer, "mei@example.com")

    assert "Eve" not in text(browser.get("/help/en/portal/requests"))
    ticket_id = int(filed.json["ref"][3:]) - 1000
    assert browser.get(f"/help/en/portal/requests/{ticket_id}").status_code == 404


def test_opening_the_link_spends_nothing_only_the_sign_in_button_does(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    """Outlook's Safe Links and other scanners open links by themselves."""
    ask_for_link(browser, "mei@example.com")
    link = mailed_link(smtp_peer, "mei@example.com")
    scanner = browser.application.test_client()
    for _ in range(3):
        opened = scanner.get(link)
        assert opened.status_code == 200 and "sign in as mei@example.com" in text(opened)

    assert press_sign_in(browser, link).status_code == 303
    again = browser.application.test_client().get(link)
    assert again.status_code == 410
    assert "This sign-in link can no longer be used" in text(again)


def test_a_link_works_once_in_two_tabs_one_signs_in_and_the_other_is_told(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    ask_for_link(browser, "mei@example.com")
    link = mailed_link(smtp_peer, "mei@example.com")
    phone, laptop = browser.application.test_client(), browser.application.test_client()
    forms = [csrf_of(text(client.get(link))) for client in (phone, laptop)]

    first = phone.post(link, data={"csrf_token": forms[0]})
    second = laptop.post(link, data={"csrf_token": forms[1]})

    assert first.status_code == 303
    assert second.status_code == 410
    assert "was used already or has expired" in text(second)
    assert 'action="/help/en/portal"' in text(second), "it offers a new link"
    assert laptop.get("/help/en/portal/requests").status_code == 303  # still signed out


def test_of_two_uses_at_once_the_database_lets_exactly_one_win(
    app: Flask, smtp_peer: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{smtp_peer.port}")
    with app.test_request_context():
        portal_links.mail_link(
            db.session,
            "race@example.com",
            locale="en",
            link_url=lambda token: f"http://desk.example/help/en/portal/sign-in/{token}",
        )
        db.session.commit()
    token = mailed_link(smtp_peer, "race@example.com").rsplit("/", 1)[1]
    barrier = threading.Barrier(2)
    won: list[bool] = []

    def use() -> None:
        with app.app_context():
            barrier.wait()
            customer = portal_links.use_link(db.session, token)
            db.session.commit()
            won.append(customer is not None)
            db.session.remove()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(won) == [False, True]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 1


def test_at_sign_in_the_browsers_earlier_reading_joins_the_customer(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    from supportdesk.knowledge import activity
    from supportdesk.knowledge.models import KbActivity, KbSurface

    cookie = "c" * 24  # the id a first vote gave this browser (``voters.cookie_voter``)
    activity.record_search(
        db.session, voters.cookie_voter(cookie), "refund", 0, surface=KbSurface.HELP_CENTER
    )
    activity.record_search(
        db.session,
        voters.cookie_voter("d" * 24),
        "someone else's",
        0,
        surface=KbSurface.HELP_CENTER,
    )
    db.session.commit()
    browser.set_cookie(voters.COOKIE, cookie)

    sign_in_by_mail(browser, smtp_peer, "mei@example.com")

    db.session.rollback()
    mei = customers.find_by_identity(db.session, IdentityKind.EMAIL, "mei@example.com")
    joined = db.session.execute(sa.select(KbActivity.query, KbActivity.customer_id)).all()
    assert sorted(joined, key=str) == sorted(
        [("refund", mei.id), ("someone else's", None)], key=str
    )


def test_a_link_expires_after_15_minutes(browser: FlaskClient, smtp_peer: SmtpServer) -> None:
    ask_for_link(browser, "mei@example.com")
    link = mailed_link(smtp_peer, "mei@example.com")
    page = browser.get(link)
    stored = db.session.scalar(sa.select(PortalLink))
    assert stored.expires_at - stored.created_at == timedelta(minutes=15)
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    late = browser.post(link, data={"csrf_token": csrf_of(text(page))})

    assert late.status_code == 410 and "has expired" in text(late)
    assert browser.get("/help/en/portal/requests").status_code == 303


def test_only_the_sha256_of_the_token_is_stored(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    ask_for_link(browser, "mei@example.com")
    token = mailed_link(smtp_peer, "mei@example.com").rsplit("/", 1)[1]

    stored = db.session.scalar(sa.select(PortalLink))
    assert len(token) >= 43  # 256 random bits
    assert stored.token_hash == portal_links.token_hash(token) != token
    assert token not in repr(db.session.execute(sa.select(PortalLink.__table__)).all())


def test_another_sites_form_cannot_sign_a_reader_in(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    """Without the CSRF token of the page the link opened, nothing is spent."""
    ask_for_link(browser, "eve@example.com")
    link = mailed_link(smtp_peer, "eve@example.com")
    victim = browser.application.test_client()

    forged = victim.post(link, data={})

    assert forged.status_code == 400 and "Press it again" in text(forged)
    assert victim.get("/help/en/portal/requests").status_code == 303
    assert portal_links.usable_link(db.session, link.rsplit("/", 1)[1]) is not None


def test_the_mail_is_in_the_pages_language_from_the_support_address(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    ask_for_link(browser, "li@example.com", locale="zh-CN")

    [raw] = smtp_peer.received
    mail = BytesParser(policy=policy.default).parsebytes(raw)
    assert mail["Subject"] == "登录 Supportdesk 帮助中心"
    header = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # every header is 7-bit on the wire
    assert "=?utf-8?" in header.lower()
    assert mail["From"].addresses[0].addr_spec == "support@desk.example"
    assert mail["Auto-Submitted"] == "auto-generated"
    body = mail.get_content()
    assert "/help/zh-CN/portal/sign-in/" in body and "15 分钟内有效" in body


def test_an_admins_rewording_is_what_the_next_sign_in_mail_says(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    from supportdesk.users.service import create_token

    token = create_token(db.session, UserFactory(role="admin"))
    db.session.commit()
    reworded = browser.put(
        "/api/v1/email/templates/portal_sign_in_link/zh-CN",
        json={
            "subject": "{{ desk_name }}：您的登录链接",
            "body": "点这里：{{ sign_in_url }}（{{ minutes }} 分钟）",
        },
        headers={"Authorization": f"Bearer {token}"},
    )

    ask_for_link(browser, "li@example.com", locale="zh-CN")
    ask_for_link(browser, "li@example.com", locale="en")  # English keeps the default

    assert reworded.status_code == 200, reworded.json
    chinese, english = mails_to(smtp_peer, "li@example.com")
    assert chinese["Subject"] == "Supportdesk：您的登录链接"
    assert re.fullmatch(r"点这里：https?://\S+/help/zh-CN/portal/sign-in/\S+（15 分钟）\s*",
                        chinese.get_content())  # fmt: skip
    assert english["Subject"] == "Sign in to the Supportdesk Help Center"
    link = mailed_link(smtp_peer, "li@example.com")
    assert "within 15 minutes" in english.get_content() and "/help/en/" in link


def test_a_forged_host_header_does_not_move_the_link_elsewhere(
    portal: Flask, browser: FlaskClient, smtp_peer: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Password-reset poisoning: the link is built on the desk's public address."""
    monkeypatch.setitem(portal.config, "PUBLIC_URL", "https://desk.example/")

    browser.post(
        "/help/en/portal", data={"email": "mei@example.com"}, headers={"Host": "evil.example"}
    )

    link = mailed_link(smtp_peer, "mei@example.com")
    assert link.startswith("https://desk.example/help/en/portal/sign-in/")


def test_links_are_limited_per_address_and_per_client_address(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    answers = [ask_for_link(browser, "victim@example.com") for _ in range(5)]
    assert [a.status_code for a in answers] == [303] * 5  # the same answer...
    assert len(mails_to(smtp_peer, "victim@example.com")) == 3  # ...but no flood

    assert ask_for_link(browser, "another@example.com").status_code == 303  # the client's 6th
    too_many = ask_for_link(browser, "third@example.com")

    assert too_many.status_code == 429 and int(too_many.headers["Retry-After"]) > 0
    assert "Too many sign-in links" in text(too_many)
    assert mails_to(smtp_peer, "third@example.com") == []


def test_the_honeypot_mails_nobody(browser: FlaskClient, smtp_peer: SmtpServer) -> None:
    answer = browser.post("/help/en/portal", data={"email": "a@example.com", "website": "x"})

    assert answer.status_code == 303 and smtp_peer.received == []


def test_a_mistyped_address_is_shown_again_with_its_error(browser: FlaskClient) -> None:
    answer = browser.post("/help/zh-CN/portal", data={"email": "not an address"})

    assert answer.status_code == 422
    assert "请填写有效的电子邮箱地址" in text(answer) and 'value="not an address"' in text(answer)


def test_a_reader_who_opened_their_request_signed_out_is_back_on_it_after_the_mailed_link(
    browser: FlaskClient, smtp_peer: SmtpServer
) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei, subject="Where is my parcel?")
    db.session.commit()
    asked = f"/help/zh-CN/portal/requests/{ticket.id}"

    sent_away = browser.get(asked)
    assert sent_away.status_code == 303
    assert sent_away.headers["Location"].endswith("/help/zh-CN/portal")
    assert ask_for_link(browser, "mei@example.com", "zh-CN").status_code == 303
    signed = press_sign_in(browser, mailed_link(smtp_peer, "mei@example.com"))

    assert signed.status_code == 303 and signed.headers["Location"] == asked
    assert "Where is my parcel?" in text(browser.get(signed.headers["Location"]))
    # the page was for that sign-in only: the next one lands on the requests
    with browser.session_transaction() as session:
        assert portal_sign_in.RETURN_TO not in session


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/help/\\/evil.example",
        "javascript:alert(1)",
        "/help/\t//evil.example",
    ],
)
def test_the_page_a_reader_returns_to_is_never_another_site(
    portal: Flask, smtp_peer: SmtpServer, target: str
) -> None:
    browser = portal.test_client()
    CustomerFactory(emails=["mei@example.com"])
    db.session.commit()
    with browser.session_transaction() as session:  # as if a page had put it there
        session[portal_sign_in.RETURN_TO] = target

    # signed in, the reader lands on their requests (``sign_in_by_mail`` checks), not there
    sign_in_by_mail(browser, smtp_peer, "mei@example.com")


def test_only_the_help_centers_own_paths_are_kept_for_after_the_sign_in() -> None:
    kept = ["/help/en/portal/requests/7", "/help/en/portal/requests?cursor=abc"]
    refused = ["/", "/api/v1/tickets", "help/en/portal", "/help/en/\x00", "/help/" + "a" * 2000]

    assert [portal_sign_in.same_site_path(path) for path in kept] == kept
    assert [portal_sign_in.same_site_path(path) for path in refused] == [None] * len(refused)


# ---------------------------------------------------------------------------------------
# signed in


def signed_in(client: FlaskClient, customer: Any) -> FlaskClient:
    """The browser signed in as ``customer`` (what ``sign_in_by_mail`` ends with)."""
    with client.session_transaction() as session:
        session[CUSTOMER_KEY] = customer.id
    return client


def reply(client: FlaskClient, ticket_id: int, body: str, **extra: Any) -> Any:
    page = client.get(f"/help/en/portal/requests/{ticket_id}")
    return client.post(
        f"/help/en/portal/requests/{ticket_id}",
        data={"body": body, "csrf_token": csrf_of(text(page)), **extra},
    )


def test_a_customer_reads_the_conversation_without_internal_notes(browser: FlaskClient) -> None:
    mei = CustomerFactory(name="Mei", emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei, subject="Router", body="It blinks red", channel="chat")
    agent = UserFactory(name="Ada Agent")
    tickets.reply(db.session, ticket, agent, body="Unplug it for ten seconds")
    tickets.reply(db.session, ticket, agent, body="She sounds annoyed", internal=True)
    CallFactory(customer=mei, ticket=ticket, duration_seconds=240, notes="Agent's notes")
    db.session.commit()

    page = text(signed_in(browser, mei).get(f"/help/en/portal/requests/{ticket.id}"))

    assert "It blinks red" in page and "Unplug it for ten seconds" in page
    assert "Ada Agent" in page and "You called us" in page and "4 min" in page
    assert "She sounds annoyed" not in page and "Agent&#39;s notes" not in page


def test_a_reply_on_a_solved_ticket_reopens_it_on_channel_web(browser: FlaskClient) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei, channel="email")
    tickets.update_ticket(db.session, ticket, status="solved")
    db.session.commit()

    answer = reply(signed_in(browser, mei), ticket.id, "It broke again")

    assert answer.status_code == 303 and "sent=1" in answer.headers["Location"]
    assert "Your reply was sent." in text(browser.get(answer.headers["Location"]))
    assert fresh(Ticket, ticket.id).status is Status.OPEN
    message = db.session.scalar(sa.select(Message).order_by(Message.id.desc()).limit(1))
    assert (message.body, message.channel, message.direction) == (
        "It broke again",
        Channel.WEB,
        Direction.INBOUND,
    )
    assert message.author_customer_id == mei.id


def test_a_reply_on_a_closed_ticket_opens_its_follow_up(browser: FlaskClient) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei)
    tickets.update_ticket(db.session, ticket, status="solved")
    tickets.update_ticket(db.session, ticket, status="closed")
    db.session.commit()

    answer = reply(signed_in(browser, mei), ticket.id, "Me again")

    follow_up = db.session.scalar(sa.select(Ticket).where(Ticket.follow_up_of_id == ticket.id))
    assert follow_up is not None and follow_up.customer_id == mei.id
    assert f"/portal/requests/{follow_up.id}?sent=1" in answer.headers["Location"]


def test_an_empty_reply_is_refused_and_replies_are_limited_per_customer(
    browser: FlaskClient,
) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei)
    db.session.commit()
    signed_in(browser, mei)

    assert reply(browser, ticket.id, "   ").status_code == 422
    answers = [reply(browser, ticket.id, f"Reply {n}").status_code for n in range(5)]

    assert answers == [303, 303, 303, 303, 429]
    bodies = db.session.scalars(sa.select(Message.body).where(Message.ticket_id == ticket.id))
    assert "Reply 4" not in list(bodies)


def test_a_new_request_while_signed_in_is_the_customers_own(browser: FlaskClient) -> None:
    mei = CustomerFactory(name="Mei Lin", emails=["mei@example.com"])
    db.session.commit()
    form = text(signed_in(browser, mei).get("/help/requests/new?locale=en"))
    assert "Signed in as mei@example.com" in form and 'name="email"' not in form
    assert 'data-suggest-surface="portal"' in form

    sent = browser.post(
        "/help/requests/new",
        data={
            "subject": "Refund",
            "body": "For order 42",
            "locale": "en",
            "csrf_token": csrf_of(form),
        },
    )

    assert sent.status_code == 303
    db.session.rollback()
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.subject == "Refund"))
    assert ticket.customer_id == mei.id and ticket.channel is Channel.WEB
    event = db.session.scalar(
        sa.select(TicketEvent.data).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.event == "web_request"
        )
    )
    assert "claimed_email" not in event
    assert "Refund" in text(browser.get("/help/en/portal/requests"))


def test_a_new_request_without_the_forms_csrf_token_is_shown_again(browser: FlaskClient) -> None:
    """The form was shown signed out; the reader signed in in another tab meanwhile."""
    mei = CustomerFactory(emails=["mei@example.com"])
    db.session.commit()
    signed_in(browser, mei)

    again = browser.post("/help/requests/new", data={"subject": "Hi", "body": "?", "locale": "en"})

    assert again.status_code == 400 and "Your session changed meanwhile" in text(again)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def test_my_requests_are_paged_newest_activity_first(browser: FlaskClient) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    made = [TicketFactory(customer=mei, subject=f"Request {n:02d}") for n in range(23)]
    MessageFactory(ticket=made[0], body="A word on the oldest")  # now its newest activity
    db.session.commit()
    signed_in(browser, mei)

    first = text(browser.get("/help/en/portal/requests"))
    cursor = re.search(r'rel="next" href="[^"]*cursor=([^"&]+)"', first)
    assert cursor, first
    second = text(browser.get(f"/help/en/portal/requests?cursor={cursor[1]}"))

    subjects = re.findall(r"Request (\d\d)", first) + re.findall(r"Request (\d\d)", second)
    assert subjects == ["00", *[f"{n:02d}" for n in range(22, 0, -1)]]
    assert len(re.findall(r"Request \d\d", first)) == 20
    bad = browser.get("/help/en/portal/requests?cursor=made-up")
    assert bad.status_code == 303


def test_a_merged_customer_stays_signed_in_as_the_survivor(browser: FlaskClient) -> None:
    survivor = CustomerFactory(emails=["mei@work.example"])
    TicketFactory(customer=survivor, subject="From work")
    merged = CustomerFactory(emails=["mei@home.example"])
    TicketFactory(customer=merged, subject="From home")
    db.session.commit()
    signed_in(browser, merged)
    customers.merge_customers(db.session, survivor, merged, actor=None)
    db.session.commit()

    page = text(browser.get("/help/en/portal/requests"))

    assert "From work" in page and "From home" in page


def test_signing_out_ends_the_portal_session(browser: FlaskClient) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    db.session.commit()
    page = text(signed_in(browser, mei).get("/help/en/portal/requests"))

    out = browser.post("/help/portal/sign-out", data={"csrf_token": csrf_of(page), "locale": "en"})

    assert out.status_code == 303
    assert "You have signed out." in text(browser.get(out.headers["Location"]))
    assert browser.get("/help/en/portal/requests").status_code == 303
    assert 'href="/help/en/portal">Sign in</a>' in text(browser.get("/help/en/"))


def test_a_signed_in_customer_votes_and_reads_as_themselves(portal: Flask) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    db.session.commit()
    with portal.test_request_context():
        from flask import session

        assert voters.request_voter(db.session, None) is None
        session[CUSTOMER_KEY] = mei.id
        assert voters.request_voter(db.session, None) == voters.customer_voter(mei.id)


def test_pages_about_a_customer_are_never_cached(browser: FlaskClient) -> None:
    mei = CustomerFactory(emails=["mei@example.com"])
    db.session.commit()

    answer = signed_in(browser, mei).get("/help/en/portal/requests")

    assert answer.headers["Cache-Control"] == "no-store"
    assert '<meta name="robots" content="noindex">' in text(answer)


def test_the_desks_own_mail_shows_under_the_desks_name(browser: FlaskClient) -> None:
    """The desk's own mail (an acknowledgement) shows under the desk's name."""
    mei = CustomerFactory(emails=["mei@example.com"])
    ticket = TicketFactory(customer=mei)
    tickets.add_message(
        db.session,
        ticket,
        body="We got it",
        channel="email",
        direction=Direction.OUTBOUND,
        author_kind=AuthorKind.SYSTEM,
        author_name="Supportdesk",
        automatic=True,
    )
    db.session.commit()

    page = text(signed_in(browser, mei).get(f"/help/en/portal/requests/{ticket.id}"))

    assert "<strong>Supportdesk</strong>" in page and "We got it" in page
