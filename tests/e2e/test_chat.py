"""A chat from a visitor (a real Socket.IO client on ``/widget``) rings in the workspace, the
agent answers it from the ticket page, and the visitor receives the answer."""

from __future__ import annotations

import re
from typing import Any

import socketio

from tests.e2e.conftest import ADMIN, Desk, new_page, screenshot, serious_violations, sign_in

TIMEOUT = 10


def visitor_event(visitor: Any, wanted: str, where: Any = lambda _: True) -> Any:
    """The next ``wanted`` event the visitor hears whose payload passes ``where``."""
    while True:
        name, *args = visitor.receive(timeout=TIMEOUT)
        payload = args[0] if args else None
        if name == wanted and where(payload):
            return payload


def test_a_chat_rings_and_the_agent_answers_it(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, ADMIN)
    bell = page.get_by_test_id("notifications-bell")
    rings_before = int(bell.get_attribute("data-rings") or 0)
    assert page.get_by_test_id("ring-toggle").get_attribute("aria-pressed") == "true"

    visitor = socketio.SimpleClient()
    visitor.connect(
        desk.url,
        namespace="/widget",
        auth={"locale": "en", "identity": {"name": "Lena Fischer"}},
        transports=["websocket"],
        wait_timeout=TIMEOUT,
    )
    try:
        visitor_event(visitor, "session")
        ack = visitor.call(
            "message", {"body": "Hello, my milk frother stopped working.", "client_id": "1"}
        )
        ticket_id = ack["ticket_id"]

        # It rings: a notice, the bell's count, the tab's title.
        notice = page.locator(".n-notification").filter(has_text="New chat from")
        notice.wait_for()
        page.wait_for_function(
            "([before]) => Number(document.querySelector('[data-testid=notifications-bell]')"
            ".dataset.rings) > before",
            arg=[rings_before],
        )
        assert int(bell.get_attribute("data-unread") or 0) >= 1
        assert re.match(r"^\(\d+\) ", page.title())

        # Answering is the ticket page, with the chat live.
        notice.get_by_test_id("notice-open").click()
        page.wait_for_url(f"{desk.url}/tickets/{ticket_id}")
        page.get_by_test_id("message").filter(has_text="milk frother").wait_for()
        assert page.get_by_test_id("composer-channel").inner_text() == "Chat"

        visitor.emit("typing", {"typing": True})
        page.get_by_test_id("visitor-typing").wait_for()
        visitor.call("message", {"body": "It makes no foam at all.", "client_id": "2"})
        page.get_by_test_id("message").filter(has_text="no foam at all").wait_for()

        body = page.get_by_test_id("composer-body").locator("textarea")
        body.fill("Sorry to hear that, Lena! Is the frother's light on?")
        body.press("Control+Enter")
        answer = visitor_event(
            visitor, "message", lambda m: m and m.get("author", {}).get("kind") == "agent"
        )
        assert answer["body"] == "Sorry to hear that, Lena! Is the frother's light on?"
        screenshot(page, "ticket-chat")
        assert serious_violations(page) == []
    finally:
        visitor.disconnect()
