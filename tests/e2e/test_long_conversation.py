"""A long conversation opens at its newest page; older pages load above as the agent scrolls
up, and what the agent was reading stays where it was."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Desk, new_page, sign_in

NOTES = 120


def in_view(page: Any, text: str) -> bool:
    """Whether the message saying ``text`` is rendered within the conversation's box."""
    return bool(
        page.get_by_test_id("conversation").evaluate(
            """(box, text) => {
                const shown = box.getBoundingClientRect();
                return [...box.querySelectorAll("[data-testid=message]")].some((m) => {
                    const r = m.getBoundingClientRect();
                    const seen = r.bottom > shown.top && r.top < shown.bottom;
                    return seen && m.innerText.includes(text);
                });
            }""",
            text,
        )
    )


def scroll_to_top(page: Any) -> None:
    page.get_by_test_id("conversation").evaluate("box => { box.scrollTop = 0; }")


def test_a_long_conversation_opens_at_its_end_and_pages_back_without_jumping(
    desk: Desk, browser: Any
):
    created = desk.call(
        "POST",
        "/tickets",
        json={
            "subject": "A very long story",
            "channel": "email",
            "customer": {"name": "Lena Long", "email": "lena.long@example.com"},
            "body": "Note 000",
        },
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    for number in range(1, NOTES):
        said = desk.call(
            "POST",
            f"/tickets/{ticket['id']}/messages",
            json={"body": f"Note {number:03}", "internal": True},
        )
        assert said.status_code == 201, said.text

    page = new_page(browser)
    pages_read: list[str] = []
    page.on(
        "request",
        lambda request: (
            pages_read.append(request.url)
            if f"/tickets/{ticket['id']}/messages" in request.url
            else None
        ),
    )
    sign_in(page, desk, path=f"/tickets/{ticket['id']}")
    page.get_by_test_id("message").filter(has_text="Note 119").wait_for()
    page.wait_for_load_state("networkidle")

    # One page, the newest, read on open.
    assert len(pages_read) == 1, pages_read
    assert "order=newest" in pages_read[0] and "limit=50" in pages_read[0]
    assert in_view(page, "Note 119")

    # Up to the oldest loaded message: the next older page loads above it, and it stays in view.
    with page.expect_response(lambda response: "cursor=" in response.url):
        scroll_to_top(page)
    page.get_by_test_id("message").filter(has_text="Note 069").wait_for(state="attached")
    assert len(pages_read) == 2, pages_read
    assert in_view(page, "Note 070")
    assert not in_view(page, "Note 030")

    # On up to the beginning.
    head = page.get_by_test_id("conversation-head")
    for _ in range(10):
        if head.inner_text() == "Beginning of the conversation":
            break
        scroll_to_top(page)
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
    assert head.inner_text() == "Beginning of the conversation"
    assert len(pages_read) == 3, pages_read
    scroll_to_top(page)
    page.get_by_test_id("message").filter(has_text="Note 000").wait_for()
    assert in_view(page, "Note 000")
