"""The widget in a real browser (Debian's chromium, driven by Playwright).

A plain page on another origin embeds ``widget.js`` with one script tag, as a
customer's site would; the visitor chats, an agent answers over the REST API,
and the answer appears in the widget without a reload.
"""

from __future__ import annotations

from typing import Any

from supportdesk.extensions import db
from supportdesk.tickets.models import Message
from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    browser_fixture,
    built_widget_fixture,
    host_page_fixture,
    host_site_fixture,
)
from tests.channels.chat.conftest import eventually


def test_a_visitor_chats_from_a_customers_site_and_sees_the_reply_arrive(
    host_site: str, browser: Any, agent_peer: Any, api: Any
) -> None:
    agent_peer()  # an agent is online, so the widget offers the chat, not the offline form
    page = browser.new_page()
    page.goto(host_site)

    launcher = page.locator("#launcher")
    launcher.click()
    frame = page.frame_locator('iframe[title="在线客服"]')
    composer = frame.locator("#sd-composer")
    composer.fill("你好，我的包裹在哪里？")
    composer.press("Enter")

    sent = frame.locator("#sd-messages .msg--customer.is-sent .bubble")
    sent.wait_for()
    assert sent.inner_text() == "你好，我的包裹在哪里？"
    stored: list[Message] = []
    eventually(lambda: bool(stored.extend(db.session.query(Message).all()) or stored))
    ticket_id = stored[0].ticket_id

    api.post(f"/tickets/{ticket_id}/messages", json={"body": "It left our warehouse today."})

    reply = frame.locator("#sd-messages .msg--agent .bubble")
    reply.wait_for()
    assert reply.inner_text() == "It left our warehouse today."
    assert frame.locator("#sd-messages .msg--agent .author").inner_text() == "Ada Agent"

    # Closed panel: the next reply raises the unread badge on the launcher.
    launcher.click()
    api.post(f"/tickets/{ticket_id}/messages", json={"body": "Tracking: SF123"})
    page.locator("#launcher .badge").filter(has_text="1").wait_for()
    page.close()


def test_the_composer_keeps_to_the_desks_length_limit_and_counts_down_near_it(
    host_site: str, browser: Any, agent_peer: Any, chat_app: Any
) -> None:
    chat_app.config["CHAT_MAX_MESSAGE_CHARS"] = 300  # sent to the widget in `session`
    agent_peer()
    page = browser.new_page()
    page.goto(host_site)
    page.locator("#launcher").click()
    frame = page.frame_locator('iframe[title="在线客服"]')
    composer = frame.locator("#sd-composer")
    left = frame.locator("#sd-composer-left")
    frame.locator('#sd-composer[maxlength="300"]').wait_for()  # the `session` has arrived

    composer.fill("好" * 50)
    assert left.is_hidden()  # far from the limit: no count to distract

    composer.fill("好" * 295)
    composer.press_sequentially("abcdefghij")  # typed keys stop at the limit

    assert composer.input_value() == "好" * 295 + "abcde"
    assert left.inner_text() == "还可输入 0 个字"
    page.close()
