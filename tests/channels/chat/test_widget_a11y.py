"""The widget for every hand: axe-core finds nothing, screen readers get one group per message
and hear "We're away", the keyboard's focus is never lost or faint, any script's direction is
kept, and the desk's refusals read in the visitor's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser_fixture,
    built_widget_fixture,
    converse,
    host_page_fixture,
    open_widget,
    phone,
)

TOO_FAST = {
    "en": r"You're sending messages too quickly\. Try again in \d+ s\.",
    "zh-CN": r"您发送消息太快了。 请 \d+ 秒后再试。",
}
BLANK_MESSAGE = {
    "en": "Write a message, within the length limit.",
    "zh-CN": "请填写留言，且不要超过字数上限。",
}


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_finds_nothing_closed_open_refused_or_offline(
    locale: str, browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent = agent_peer()
    page = phone(browser, "375x667")
    page.goto(host_page(locale))
    page.locator("#launcher").wait_for()
    assert axe_violations(page) == [], "closed launcher"

    frame, handle = open_widget(page, page.url)
    converse(frame, api, ["Hello", "Is my order on its way?", "Order 1234"], ["Let me look."])
    assert axe_violations(handle) == [], "open conversation"
    assert axe_violations(page) == [], "the host page with the panel open"

    composer = frame.locator("#sd-composer")
    for body in ("Thanks", "Any news?", "Hello again?"):  # the desk takes 5 a minute
        composer.fill(body)
        composer.press("Enter")
    frame.locator("#sd-messages .msg.is-failed").wait_for()
    problem = frame.locator("#sd-problem")
    assert re.fullmatch(TOO_FAST[locale], problem.inner_text())
    assert axe_violations(handle) == [], "a refused message"

    agent.close()
    frame.locator("#sd-offline-form").wait_for()
    assert axe_violations(handle) == [], "offline form"

    frame.locator("#sd-offline-email").fill("mei@example.com")
    frame.locator("#sd-offline-body").fill("   ")
    frame.locator("#sd-offline-send").click()
    error = frame.locator("#sd-offline-error")
    error.wait_for()
    assert error.inner_text() == BLANK_MESSAGE[locale]
    assert axe_violations(handle) == [], "offline form refused"
    page.context.close()


def test_each_message_is_one_group_named_by_its_author_and_time_at_once(
    browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent_peer()
    page = phone(browser, "375x667")
    frame, _ = open_widget(page, host_page("en"))
    converse(frame, api, ["Where is my parcel?"], ["It left our warehouse today."])

    mine = frame.get_by_role("group", name=re.compile(r"^You \d\d:\d\d"))
    assert mine.get_by_text("Where is my parcel?").count() == 1  # no reload needed
    theirs = frame.get_by_role("group", name=re.compile(r"^Ada Agent \d\d:\d\d"))
    assert theirs.get_by_text("It left our warehouse today.").count() == 1
    page.context.close()


def test_messages_and_the_composer_follow_the_writing_direction(
    browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent_peer()
    page = phone(browser, "375x667")
    frame, _ = open_widget(page, host_page("en"))
    converse(frame, api, ["Hello"], ["مرحبا، كيف يمكنني مساعدتك؟"])

    arabic = frame.locator("#sd-messages .msg--agent .bubble")
    assert arabic.evaluate("el => el.matches(':dir(rtl)')")
    english = frame.locator("#sd-messages .msg--customer .bubble")
    assert english.evaluate("el => el.matches(':dir(ltr)')")
    composer = frame.locator("#sd-composer")
    composer.fill("أين طلبي؟")
    assert composer.evaluate("el => el.matches(':dir(rtl)')")
    page.context.close()


def test_links_keep_their_closing_parenthesis_and_www_addresses_are_linked(
    browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent_peer()
    page = phone(browser, "375x667")
    frame, _ = open_widget(page, host_page("zh-CN"))
    converse(
        frame,
        api,
        ["Where can I read about tea?"],
        [
            "See https://en.wikipedia.org/wiki/Tea_(drink), or our FAQ "
            "(https://shop.example/faq). Opening hours: www.shop.example/hours."
            " 中文说明：www.shop.example/zh。"
        ],
    )
    links = frame.locator("#sd-messages .msg--agent .bubble a")
    assert links.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "https://en.wikipedia.org/wiki/Tea_(drink)",
        "https://shop.example/faq",
        "https://www.shop.example/hours",
        "https://www.shop.example/zh",
    ]
    page.context.close()


def test_opening_while_nobody_is_online_puts_focus_in_the_form_and_promises_no_quick_reply(
    browser: Any, host_page: Callable[..., str]
) -> None:
    page = phone(browser, "375x667")
    frame, handle = open_widget(page, host_page("en"))
    frame.locator("#sd-offline-form").wait_for()

    assert handle.evaluate("document.activeElement.id") == "sd-offline-name"
    assert frame.locator("#sd-status").inner_text() == "We're away right now"
    assert "within a few minutes" not in frame.locator("#sd-app").inner_text()
    page.context.close()


def test_we_are_away_is_announced_when_the_composer_becomes_the_offline_form(
    browser: Any, host_page: Callable[..., str], agent_peer: Any
) -> None:
    agent = agent_peer()
    page = phone(browser, "375x667")
    frame, handle = open_widget(page, host_page("zh-CN"))
    composer = frame.locator("#sd-composer")
    composer.wait_for()
    composer.focus()
    status = frame.get_by_role("status").filter(has_text="客服在线")
    status.wait_for()  # the live region is there before it changes

    agent.close()
    frame.get_by_role("status").filter(has_text="客服暂时不在").wait_for()
    frame.locator("#sd-offline-form").wait_for()
    assert handle.evaluate("document.activeElement.id") == "sd-offline-name"
    page.context.close()


def test_a_wrong_code_is_refused_in_chinese(browser: Any, host_page: Callable[..., str]) -> None:
    page = phone(browser, "375x667")
    frame, _ = open_widget(page, host_page("zh-CN"))  # nobody online
    frame.locator("#sd-verify-button").click()
    frame.locator("#sd-email-address").fill("mei@example.com")
    frame.locator("#sd-email-send-code").click()
    code = frame.locator("#sd-code")
    code.wait_for()
    code.fill("000000")  # one in a million is right; then this test would say so
    frame.locator("#sd-code-check").click()
    error = frame.locator("#sd-code-error")
    error.wait_for()
    assert re.fullmatch(r"验证码不正确。 还可以尝试 \d 次。", error.inner_text())
    page.context.close()


CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const style = getComputedStyle(el);
  let behind = el.parentElement || document.documentElement, bg;
  while (behind) {
    bg = rgb(getComputedStyle(behind).backgroundColor);
    if (bg.length < 4 || bg[3] > 0) break;
    behind = behind.parentElement || (behind.getRootNode().host ?? null);
  }
  if (!behind) bg = [255, 255, 255];
  const ring = rgb(style.outlineColor);
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  return {id: el.id || el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          opaque: ring.length < 4 || ring[3] === 1, ratio: (a + 0.05) / (b + 0.05)};
}"""


def test_focus_rings_stand_out_at_least_3_to_1(
    browser: Any, host_page: Callable[..., str], agent_peer: Any, api: Any
) -> None:
    agent_peer()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(host_page("en"))
    launcher = page.locator("#launcher")
    launcher.wait_for()
    for _ in range(3):  # past the page's own link to the launcher
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.shadowRoot?.activeElement?.id") == "launcher":
            break
    rings = [launcher.evaluate(CONTRAST)]
    page.keyboard.press("Enter")
    frame = page.frame_locator("iframe")
    converse(frame, api, ["Hello, see https://shop.example/faq"], ["Sure: https://shop.example/a"])
    handle = page.frame(url=re.compile("/widget/frame"))
    for _ in range(9):  # from the composer backwards through the frame
        if handle.evaluate("document.activeElement !== document.body"):
            rings.append(handle.evaluate(f"({CONTRAST})(document.activeElement)"))
        page.keyboard.press("Shift+Tab")

    assert {"launcher", "sd-close", "sd-composer", "sd-messages"} <= {r["id"] for r in rings}
    faint = [r for r in rings if r["style"] == "none" or r["width"] < 2 or not r["opaque"]]
    faint += [r for r in rings if r["ratio"] < 3]
    assert not faint, f"focus rings under 3:1: {faint}"
    page.close()
