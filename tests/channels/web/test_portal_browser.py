"""The portal's magic link end to end in a real browser (Playwright, Debian's chromium), through
the tests' real SMTP server: ask for a link, read the mail, open it, press "Sign in", read the
requests of every channel, reply (the solved ticket reopens), sign out; a second device that
opens the same link is told it was used. axe finds nothing serious on any portal page, and
each is photographed in both languages at desktop and 390 px phone widths
(``SUPPORTDESK_TEST_SCREENSHOTS`` keeps them in that folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from supportdesk.extensions import db
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.status import Status
from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser_fixture,
)
from tests.factories import AttachmentFactory, CustomerFactory, TicketFactory, UserFactory
from tests.peers import LiveServer, SmtpServer

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MEI = "mei.lin@example.com"
LINK = re.compile(r"http://\S+/portal/sign-in/[A-Za-z0-9_-]+")


@dataclass
class Desk:
    url: str
    email_ticket: int
    chat_ticket: int


@pytest.fixture
def desk(app: Flask, smtp_peer: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """Mei's history: an e-mail answered and solved (with her receipt), a chat; and a
    stranger's ticket, on a live server that mails the SMTP peer."""
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{smtp_peer.port}")
    monkeypatch.setitem(app.config, "PORTAL_LINK_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.config, "PORTAL_LINK_CLIENT_RATE_LIMIT", "1000 per minute")
    mei = CustomerFactory(name="Mei Lin", emails=[MEI])
    agent = UserFactory(name="Ada Agent")
    email = TicketFactory(customer=mei, subject="My router blinks red", body="Since this morning.")
    first = db.session.scalar(sa.select(Message).where(Message.ticket_id == email.id))
    AttachmentFactory(message=first)
    tickets.reply(db.session, email, agent, body="Unplug it for ten seconds, then plug it in.")
    tickets.update_ticket(db.session, email, status="solved")
    chat = TicketFactory(
        customer=mei, channel="chat", subject="Where is my parcel?", body="It was due on Monday."
    )
    TicketFactory(subject="A stranger's secret")
    db.session.commit()
    with LiveServer(app) as live:
        yield Desk(live.url, email.id, chat.id)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SUPPORTDESK_TEST_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_page(browser: Any, viewport: dict[str, int] = DESKTOP) -> Any:
    return browser.new_context(viewport=viewport).new_page()


def serious(page: Any) -> list[str]:
    return [v for v in axe_violations(page) if "(serious)" in v or "(critical)" in v]


def mailed_link(smtp_peer: SmtpServer, asked: int) -> str:
    """The link of the ``asked``-th sign-in mail to Mei (1 = the first)."""
    links = [
        match[0]
        for mail, to in zip(smtp_peer.messages, smtp_peer.recipients, strict=True)
        if MEI in to and (match := LINK.search(mail.get_body(("plain",)).get_content()))
    ]
    assert len(links) >= asked, links
    return links[asked - 1]


def ask_for_link(page: Any, words: dict[str, str]) -> None:
    page.get_by_label(words["email"]).fill(MEI)
    page.get_by_role("button", name=words["send"]).click()
    page.get_by_role("heading", name=words["sent"]).wait_for()


EN = {
    "sign_in": "Sign in",
    "email": "E-mail address",
    "send": "Send me a sign-in link",
    "sent": "Check your inbox",
    "requests": "My requests",
}
ZH = {
    "sign_in": "登录",
    "email": "电子邮箱",
    "send": "发送登录链接",
    "sent": "请查收邮件",
    "requests": "我的请求",
}


def test_a_customer_signs_in_by_mail_reads_every_channel_and_replies(
    browser: Any, desk: Desk, smtp_peer: SmtpServer
) -> None:
    page = new_page(browser)
    page.goto(f"{desk.url}/help/en/")
    page.locator("header").get_by_role("link", name="Sign in").click()
    page.get_by_role("heading", name="Sign in to see your requests").wait_for()
    assert serious(page) == [], "the sign-in page"
    ask_for_link(page, EN)
    assert page.get_by_text(f"We've sent a sign-in link to {MEI}.").is_visible()
    assert serious(page) == [], "check your inbox"

    link = mailed_link(smtp_peer, 1)
    scanner = new_page(browser)  # Outlook's Safe Links opens it first: that spends nothing
    scanner.goto(link)
    scanner.get_by_role("button", name="Sign in").wait_for()
    page.goto(link)
    page.get_by_text(f"Press the button to sign in as {MEI}.").wait_for()
    assert serious(page) == [], "the link's page"
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="My requests").wait_for()
    assert serious(page) == [], "my requests"
    rows = page.locator(".ticket-row")
    assert rows.count() == 2
    assert "Where is my parcel?" in rows.nth(0).inner_text()  # newest activity first
    assert "My router blinks red" in rows.nth(1).inner_text()
    assert "Solved" in rows.nth(1).inner_text()
    assert page.get_by_text("A stranger's secret").count() == 0
    assert page.locator("header").get_by_role("link", name="My requests").is_visible()

    rows.nth(1).get_by_role("link").click()
    page.get_by_role("heading", level=1, name="My router blinks red").wait_for()
    assert page.get_by_text("Unplug it for ten seconds, then plug it in.").is_visible()
    assert page.get_by_text("This request is solved. Writing again reopens it.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="receipt.pdf").click()
    assert download.value.suggested_filename == "receipt.pdf"
    assert serious(page) == [], "the request"
    page.get_by_label("Your reply").fill("It blinks again since the storm.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Your reply was sent.").wait_for()
    assert page.locator(".portal-head .status").inner_text().endswith("In progress")
    assert (
        page.locator(".entry--mine").last.inner_text().endswith("It blinks again since the storm.")
    )
    db.session.rollback()
    assert db.session.get(Ticket, desk.email_ticket).status is Status.OPEN

    laptop = new_page(browser)  # the same link on another device, after it was used
    laptop.goto(link)
    laptop.get_by_role("heading", name="This sign-in link can no longer be used").wait_for()
    assert serious(laptop) == [], "the used link"

    page.goto(f"{desk.url}/help/en/portal/requests")
    page.get_by_role("link", name="New request").click()
    with page.expect_request(
        lambda r: "/api/v1/kb/suggest?" in r.url and "surface=portal" in r.url
    ):
        page.get_by_label("Subject").fill("Refund for order 42")  # suggestions, as the portal's
    page.get_by_label("Description").fill("It arrived broken.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Request received").wait_for()
    page.locator("header").get_by_role("link", name="My requests").click()
    assert "Refund for order 42" in page.locator(".ticket-row").first.inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()
    page.goto(f"{desk.url}/help/en/portal/requests/{desk.chat_ticket}")
    page.get_by_role("heading", name="Sign in to see your requests").wait_for()
    for opened in (page, scanner, laptop):
        opened.context.close()


def test_in_chinese_two_devices_press_one_link_and_only_one_signs_in(
    browser: Any, desk: Desk, smtp_peer: SmtpServer
) -> None:
    page = new_page(browser, PHONE)
    page.goto(f"{desk.url}/help/zh-CN/portal")
    ask_for_link(page, ZH)
    link = mailed_link(smtp_peer, 1)
    assert "/help/zh-CN/portal/sign-in/" in link
    other = new_page(browser)
    for opened in (page, other):
        opened.goto(link)
        opened.get_by_role("button", name="登录", exact=True).wait_for()

    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("heading", name="我的请求").wait_for()
    other.get_by_role("button", name="登录", exact=True).click()

    other.get_by_role("heading", name="此登录链接已失效").wait_for()
    assert other.get_by_role("button", name="发送登录链接").is_visible()
    assert page.get_by_text("等待您的回复").count() == 0
    assert page.get_by_text("已解决").is_visible()
    for opened in (page, other):
        opened.context.close()


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_and_axe(
    browser: Any, desk: Desk, smtp_peer: SmtpServer, shots: Path, locale: str, size: str
) -> None:
    page = new_page(browser, DESKTOP if size == "desktop" else PHONE)
    words = EN if locale == "en" else ZH

    def shot(name: str) -> None:
        assert serious(page) == [], f"{name} {locale} {size}"
        page.screenshot(path=str(shots / f"portal-{name}-{locale}-{size}.png"), full_page=True)

    page.goto(f"{desk.url}/help/{locale}/portal")
    shot("sign-in")
    ask_for_link(page, words)
    shot("sent")
    link = mailed_link(smtp_peer, 1)
    page.goto(link)
    shot("confirm")
    page.locator("main").get_by_role("button").click()
    page.get_by_role("heading", name=words["requests"]).wait_for()
    shot("requests")
    page.goto(f"{desk.url}/help/{locale}/portal/requests/{desk.email_ticket}")
    shot("request")
    page.goto(f"{desk.url}/help/requests/new?locale={locale}")
    shot("new-request")
    page.goto(link)
    shot("link-used")
    page.context.close()
