"""The widget on phones: touch, the full-screen panel, the on-screen keyboard, thumbs.

Sizes as it was tried: 375x667 and 360x740 upright, 740x360 held sideways; touch events
(``has_touch``, ``is_mobile``) and a finger's swipes (``swipe``), in Debian's chromium.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from supportdesk.extensions import db
from supportdesk.tickets.models import Ticket
from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    PHONES,
    browser_fixture,
    built_widget_fixture,
    converse,
    host_page_fixture,
    open_widget,
    phone,
    swipe,
)

MINE = [f"Question {n}: where is parcel {n}?" for n in range(1, 6)]
REPLIES = [f"Answer {n}: it left the warehouse." for n in range(1, 16)]


def frame_stays_whole(frame: Any, handle: Any) -> None:
    """The frame itself has not moved: header, close button and composer where they belong."""
    assert handle.evaluate("document.scrollingElement.scrollTop") == 0
    height = handle.evaluate("innerHeight")
    header = frame.locator("#sd-app header").bounding_box()
    assert header["y"] == 0
    composer = frame.locator("#sd-composer").bounding_box()
    assert composer["y"] + composer["height"] <= height
    frame.locator("#sd-close").wait_for(state="visible")


@pytest.mark.parametrize("size", ["375x667", "360x740", "740x360"])
def test_only_the_message_list_scrolls_under_a_finger_or_a_wheel(
    size: str, browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent_peer()
    page = phone(browser, size)
    frame, handle = open_widget(page, host_page("en"))
    converse(frame, api, MINE, REPLIES)  # 20 messages, each with its hidden "You"/author label
    log = frame.locator("#sd-messages")
    box = log.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    at_newest = log.evaluate("log => log.scrollTop")

    swipe(page, x, y, -400)  # back through the history: the list scrolls
    assert log.evaluate("log => log.scrollTop") < at_newest
    frame_stays_whole(frame, handle)

    swipe(page, x, y, 1500)  # past the newest message
    frame_stays_whole(frame, handle)
    page.mouse.move(x, y)
    page.mouse.wheel(0, 1500)  # a wheel at the newest message
    page.wait_for_timeout(300)
    frame_stays_whole(frame, handle)
    swipe(page, x, 30, 400)  # on the header
    frame_stays_whole(frame, handle)
    assert log.evaluate("log => log.scrollHeight - log.scrollTop - log.clientHeight") < 2
    page.context.close()


def test_the_page_behind_stays_put_and_the_visitor_is_put_back_where_they_were(
    browser: Any, host_page: Callable[..., str], agent_peer: Any
) -> None:
    agent_peer()
    page = phone(browser, "375x667")
    page.goto(host_page("en", tall=True))
    page.evaluate("window.scrollTo(0, 1200)")
    paragraph = page.locator("#p40")
    where = paragraph.bounding_box()["y"]

    page.locator("#launcher").click()
    frame = page.frame_locator("iframe")
    frame.locator("#sd-composer").wait_for()
    swipe(page, 187, 30, 600)  # on the panel's header, then the other way
    swipe(page, 187, 300, -600)
    assert paragraph.bounding_box()["y"] == where

    frame.locator("#sd-close").click()
    page.locator("#launcher").wait_for()
    assert page.evaluate("scrollY") == 1200
    assert paragraph.bounding_box()["y"] == where
    page.context.close()


@pytest.mark.parametrize("size", ["375x667", "740x360"])
def test_the_full_screen_panel_is_modal_upright_and_sideways(
    size: str, browser: Any, host_page: Callable[..., str], agent_peer: Any
) -> None:
    agent_peer()
    page = phone(browser, size)
    frame, _ = open_widget(page, host_page("en", tall=True))
    frame.locator("#sd-composer").wait_for()
    width, height = PHONES[size]
    assert page.locator("#panel").bounding_box() == {
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
    }
    assert page.locator("#panel").get_attribute("aria-modal") == "true"
    assert page.locator("main").evaluate("main => main.inert")  # hidden from screen readers

    for _ in range(12):  # Tab as long as you like: the focus never leaves the panel
        page.keyboard.press("Tab")
        on_host = page.evaluate(
            "document.activeElement && document.activeElement.closest('main') !== null"
        )
        assert not on_host

    frame.locator("#sd-close").click()
    page.locator("#launcher").wait_for()
    assert not page.locator("main").evaluate("main => main.inert")
    page.context.close()


def test_the_newest_message_stays_in_view_when_the_keyboard_opens(
    browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent_peer()
    page = phone(browser, "375x667")
    frame, _ = open_widget(page, host_page("zh-CN"))
    converse(frame, api, MINE[:3], REPLIES[:8])
    frame.locator("#sd-composer").focus()

    page.set_viewport_size({"width": 375, "height": 367})  # what the keyboard leaves visible
    page.wait_for_timeout(300)

    log = frame.locator("#sd-messages").bounding_box()
    newest = frame.locator("#sd-messages .msg").last.bounding_box()
    assert newest["y"] + newest["height"] <= log["y"] + log["height"] + 1
    assert frame.locator("#sd-composer").bounding_box()["y"] < 367
    page.context.close()


TARGETS = """() => Array.from(document.querySelectorAll('button, input, textarea, select'))
  .filter(el => el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect();
    return {id: el.id || el.textContent.trim(), width: r.width, height: r.height,
            font: parseFloat(getComputedStyle(el).fontSize),
            field: el.matches('input, textarea')}; })"""


def assert_thumb_sized(handle: Any) -> None:
    targets = handle.evaluate(TARGETS)
    assert targets
    small = [t for t in targets if t["width"] < 44 or t["height"] < 44]
    assert not small, f"tap targets under 44 px: {small}"
    zooming = [t for t in targets if t["field"] and t["font"] < 16]
    assert not zooming, f"fields under 16 px (iOS zooms in on focus): {zooming}"


def test_fields_do_not_make_ios_zoom_and_every_tap_target_fits_a_thumb(
    browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent = agent_peer()
    page = phone(browser, "360x740")
    frame, handle = open_widget(page, host_page("zh-CN"))
    converse(frame, api, MINE[:1], REPLIES[:1])  # the composer, the transcript and verify links
    assert_thumb_sized(handle)

    frame.locator("#sd-verify-button").click()  # a sheet's fields and buttons
    frame.locator("#sd-email-address").wait_for()
    assert_thumb_sized(handle)
    frame.locator("#sd-email-cancel").click()

    agent.close()  # nobody online: the offline form
    frame.locator("#sd-offline-form").wait_for()
    assert_thumb_sized(handle)
    page.context.close()


REFERENCE_LINES = """ref => {
  const thanks = document.getElementById('sd-offline-thanks');
  const walker = document.createTreeWalker(thanks, NodeFilter.SHOW_TEXT);
  let text = '', nodes = [];
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const at = text.indexOf(ref), range = document.createRange();
  const place = offset => { for (let i = nodes.length - 1; i >= 0; i--)
    if (offset >= nodes[i][1]) return [nodes[i][0], offset - nodes[i][1]]; };
  range.setStart(...place(at)); range.setEnd(...place(at + ref.length));
  const rects = Array.from(range.getClientRects()).filter(r => r.width);
  return new Set(rects.map(r => Math.round(r.top))).size;
}"""


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_a_ticket_reference_never_breaks_across_lines(
    locale: str, browser: Any, host_page: Callable[..., str]
) -> None:
    page = phone(browser, "375x667")
    frame, handle = open_widget(page, host_page(locale))  # nobody online
    frame.locator("#sd-offline-email").fill("mei@example.com")
    frame.locator("#sd-offline-body").fill("请尽快回复我。")
    frame.locator("#sd-offline-send").click()
    thanks = frame.locator("#sd-offline-thanks")
    thanks.wait_for()
    db.session.rollback()  # a fresh snapshot: the server filed the ticket
    ref = db.session.scalars(select(Ticket)).one().ref
    assert ref in thanks.inner_text()

    broken = []
    for width in range(300, 481, 2):
        page.set_viewport_size({"width": width, "height": 667})
        if handle.evaluate(REFERENCE_LINES, ref) != 1:
            broken.append(width)
    assert not broken, f"{ref} breaks across lines at widths {broken}"
    page.context.close()


REACHABLE = """el => { const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return r.bottom <= innerHeight && (hit === el || el.contains(hit)); }"""


@pytest.mark.parametrize("size", ["375x667", "laptop"])
def test_the_offline_form_leaves_room_for_the_conversation_and_its_button_in_reach(
    size: str, browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent = agent_peer()
    if size == "laptop":  # where its button fell out of reach: 1366x640
        page = browser.new_context(viewport={"width": 1366, "height": 640}).new_page()
    else:
        page = phone(browser, size)
    frame, handle = open_widget(page, host_page("en"))
    converse(frame, api, MINE[:3], REPLIES[:3])
    agent.close()  # the agent leaves: the composer gives way to the offline form
    send = frame.locator("#sd-offline-send")
    send.wait_for()

    log_height = frame.locator("#sd-messages").bounding_box()["height"]
    assert log_height >= handle.evaluate("innerHeight") / 3, "the conversation is squeezed"
    assert send.evaluate(REACHABLE)

    frame.locator("#sd-offline-email").fill("mei@example.com")
    frame.locator("#sd-offline-body").fill("   ")  # the desk refuses a blank message
    send.click()
    error = frame.locator("#sd-offline-error")
    error.wait_for()
    assert error.inner_text() == "Write a message, within the length limit."
    assert error.evaluate(REACHABLE), "the visitor cannot see why"
    assert send.evaluate(REACHABLE)
    page.context.close()
