"""Deflection in a real browser (Playwright, Debian's chromium): a reader types a request's
subject, opens the article suggested, and writes to us anyway; the agent sees on the
request's customer what they read, and the suggestion counts as opened and contacted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from supportdesk.extensions import db
from supportdesk.knowledge.demo import load_knowledge_base
from supportdesk.knowledge.models import KbAction, KbActivity, Suggestion
from supportdesk.timeline.models import EntryKind, TimelineEntry
from tests.channels.chat.browser import browser_fixture  # noqa: F401 (fixture)
from tests.factories import UserFactory
from tests.peers import LiveServer


@pytest.fixture
def server(app: Flask) -> Iterator[LiveServer]:
    load_knowledge_base(db.session, UserFactory(name="Edith Editor"))
    db.session.commit()
    with LiveServer(app) as live:
        yield live


def test_a_reader_opens_the_suggested_article_then_files_the_request_anyway(
    browser: Any, server: LiveServer
) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/help/requests/new?locale=en")
    page.get_by_label("Subject").press_sequentially("refund")
    suggested = page.locator("#subject-suggestions").get_by_role(
        "link", name=re.compile("Refund policy")
    )
    suggested.click()
    page.get_by_role("heading", level=1, name="Refund policy").wait_for()
    assert "suggestion=" in page.url

    page.goto(f"{server.url}/help/requests/new?locale=en")
    page.get_by_label("Your name").fill("Mei Lin")
    page.get_by_label("Your e-mail address").fill("mei@example.com")
    page.get_by_label("Subject").fill("Refund for a gift")
    page.get_by_label("Description").fill("The policy says nothing about gifts.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Request received").wait_for()
    page.context.close()

    db.session.rollback()
    [shown] = db.session.scalars(sa.select(Suggestion).where(Suggestion.query == "refund")).all()
    assert shown.opened_at is not None and shown.contacted_at is not None
    on_timeline = db.session.execute(
        sa.select(KbActivity.action, KbActivity.query)
        .join(TimelineEntry, TimelineEntry.kb_activity_id == KbActivity.id)
        .where(
            TimelineEntry.kind == EntryKind.KB_ACTIVITY,
            TimelineEntry.customer_id == shown.customer_id,
        )
        .order_by(KbActivity.occurred_at, KbActivity.id)
    ).all()
    assert [tuple(row) for row in on_timeline][:2] == [
        (KbAction.SEARCHED, "refund"),
        (KbAction.VIEWED, None),
    ]
