"""The help center in a real browser (Playwright, Debian's chromium), on the demo's articles:
search in both languages, read, rate, change the vote, "No" then file the request and see its
ref; the same without JavaScript; axe finds nothing serious; screenshots at desktop and phone
widths in both languages (``SUPPORTDESK_TEST_SCREENSHOTS`` keeps them in that folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from supportdesk.extensions import db
from supportdesk.knowledge.demo import load_knowledge_base
from supportdesk.knowledge.models import Article, Category
from supportdesk.tickets.models import Ticket, TicketEvent
from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser_fixture,
)
from tests.factories import UserFactory
from tests.peers import LiveServer

#: a vote counts from a page shown this long (``knowledge.feedback.MIN_DWELL``) and a bit
DWELL_MS = 2300
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def server(app: Flask) -> Iterator[LiveServer]:
    load_knowledge_base(db.session, UserFactory(name="Edith Editor"))
    db.session.commit()
    with LiveServer(app) as live:
        yield live


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SUPPORTDESK_TEST_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_page(browser: Any, *, javascript: bool = True, viewport: dict[str, int] = DESKTOP) -> Any:
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
    return context.new_page()


def serious(target: Any) -> list[str]:
    return [v for v in axe_violations(target) if "(serious)" in v or "(critical)" in v]


def _first_category_slug() -> str:
    db.session.rollback()
    slug = db.session.scalar(sa.select(Category.slug).order_by(Category.position, Category.id))
    assert slug is not None
    return slug


def slug_of(title: str) -> str:
    db.session.rollback()
    slug = db.session.scalar(sa.select(Article.slug).where(Article.title == title))
    assert slug is not None, title
    return slug


def test_search_read_rate_change_the_vote_then_file_a_request(
    browser: Any, server: LiveServer
) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/help")
    assert page.url.endswith("/help/en/")
    page.get_by_label("Search the help center").fill("refund")
    page.get_by_label("Search the help center").press("Enter")
    page.get_by_role("heading", name="Search results for “refund”").wait_for()
    assert page.locator(".results mark").first.inner_text().lower() == "refund"
    assert serious(page) == [], "search results"

    page.get_by_role("link", name="Refund policy").first.click()
    page.get_by_role("heading", level=1, name="Refund policy").wait_for()
    page.wait_for_timeout(DWELL_MS)
    yes, no = page.get_by_role("button", name="Yes"), page.get_by_role("button", name="No")
    yes.click()
    page.get_by_text("You found this helpful. Thank you!").wait_for()
    assert yes.get_attribute("aria-pressed") == "true"
    assert page.get_by_text("43 of 46 readers found this helpful").is_visible()
    assert page.get_by_text("Changed your mind?").is_visible()

    no.click()  # the reader changes their mind: the vote is replaced
    page.get_by_text("You found this not helpful.").wait_for()
    assert (
        no.get_attribute("aria-pressed") == "true" and yes.get_attribute("aria-pressed") == "false"
    )
    assert page.get_by_text("42 of 46 readers found this helpful").is_visible()
    page.get_by_label("What was missing or wrong? (optional)").fill("Nothing about gift cards")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment was saved.").wait_for()
    assert serious(page) == [], "the article after a No"

    page.get_by_role("link", name="Contact support").first.click()
    page.get_by_role("heading", name="Submit a request").wait_for()
    assert page.get_by_label("Subject").input_value() == "Question about “Refund policy”"
    assert page.get_by_label("Description").input_value() == "Nothing about gift cards"
    assert serious(page) == [], "the request form"
    page.get_by_label("Your name").fill("Mei Lin")
    page.get_by_label("Your e-mail address").fill("mei@example.com")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Request received").wait_for()
    ref = page.locator("#request-ref").inner_text()
    assert re.fullmatch(r"SD-\d+", ref)

    db.session.rollback()
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.id == int(ref[3:]) - 1000))
    assert ticket is not None and ticket.channel.value == "web"
    event = db.session.scalar(
        sa.select(TicketEvent.data).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.event == "web_request"
        )
    )
    assert event["article_title"] == "Refund policy"
    assert event["vote_comment"] == "Nothing about gift cards"
    page.context.close()


def test_a_two_character_chinese_query_finds_its_article(browser: Any, server: LiveServer) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/help/zh-CN/")
    page.get_by_role("link", name="English").wait_for()
    box = page.get_by_label("搜索帮助中心")
    box.fill("退款")
    box.press("Enter")
    page.get_by_role("heading", name="“退款”的搜索结果").wait_for()
    page.get_by_role("link", name="退款政策").first.click()
    page.get_by_role("heading", level=1, name="退款政策").wait_for()
    # the language switch goes to the same article's translation
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", level=1, name="Refund policy").wait_for()
    page.context.close()


def test_nothing_found_offers_the_request_form(browser: Any, server: LiveServer) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/help/en/search?q=xylophone")
    page.get_by_text("We found nothing for “xylophone”.").wait_for()
    assert serious(page) == [], "no results"
    page.locator(".empty").get_by_role("link", name="Contact support").click()
    assert page.get_by_label("Subject").input_value() == "xylophone"
    page.context.close()


def test_without_javascript_a_reader_reads_and_votes(browser: Any, server: LiveServer) -> None:
    page = new_page(browser, javascript=False)
    page.goto(f"{server.url}/help/zh-CN/articles/{slug_of('如何重置密码')}")
    page.get_by_role("heading", level=1, name="如何重置密码").wait_for()
    page.wait_for_timeout(DWELL_MS)
    page.get_by_role("button", name="没有帮助").click()
    page.get_by_text("您认为这篇文章没有帮助，感谢您的反馈。").wait_for()
    assert page.get_by_role("heading", name="仍然需要帮助？").is_visible()
    page.get_by_role("button", name="有帮助", exact=True).click()
    page.get_by_text("您认为这篇文章有帮助，谢谢！").wait_for()
    assert not page.get_by_role("heading", name="仍然需要帮助？").is_visible()
    db.session.rollback()
    counts = db.session.execute(
        sa.select(Article.helpful_count, Article.not_helpful_count).where(
            Article.title == "如何重置密码"
        )
    ).one()
    assert tuple(counts) == (18 + 1, 2)
    page.context.close()


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_and_axe(
    browser: Any, server: LiveServer, shots: Path, locale: str, size: str
) -> None:
    page = new_page(browser, viewport=DESKTOP if size == "desktop" else PHONE)
    refund = slug_of("Refund policy" if locale == "en" else "退款政策")
    pages = {
        "home": f"/help/{locale}/",
        "article": f"/help/{locale}/articles/{refund}",
        "category": f"/help/{locale}/categories/{_first_category_slug()}",
        "search": f"/help/{locale}/search?q={'refund' if locale == 'en' else '退款'}",
        "request": f"/help/requests/new?locale={locale}",
    }
    for name, path in pages.items():
        answer = page.goto(server.url + path)
        assert answer is not None and answer.status == 200, (path, answer and answer.status)
        if name == "article":
            page.locator("#feedback button[value=no]").click()
            page.locator(".still").wait_for()
        assert serious(page) == [], f"{name} {locale} {size}"
        page.screenshot(path=str(shots / f"{name}-{locale}-{size}.png"), full_page=True)
    # nothing wider than the screen on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


def test_suggestions_while_typing_the_search_and_the_subject(
    browser: Any, server: LiveServer
) -> None:
    if ("GET", "/api/v1/kb/suggest") not in {
        (m, r.rule) for r in server.app.url_map.iter_rules() for m in r.methods or ()
    }:
        pytest.skip("GET /kb/suggest is not served yet")
    page = new_page(browser)
    page.goto(f"{server.url}/help/en/")
    page.get_by_label("Search the help center").press_sequentially("refu")
    suggestion = page.locator("#q-suggestions").get_by_role(
        "link", name=re.compile("Refund policy")
    )
    suggestion.wait_for()
    page.get_by_label("Search the help center").press("ArrowDown")
    assert suggestion.evaluate("el => el === document.activeElement")

    page.goto(f"{server.url}/help/requests/new?locale=zh-CN")
    page.get_by_label("主题").press_sequentially("密码")
    page.locator("#subject-suggestions").get_by_role(
        "link", name=re.compile("如何重置密码")
    ).wait_for()
    page.context.close()
