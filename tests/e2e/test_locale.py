"""The workspace speaks the agent's browser's language until the agent chooses one."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from tests.e2e.conftest import Desk, new_page, screenshot, serious_violations, sign_in

PASSWORD = "a long enough password"
#: resolves once an element's transitions (the option list fading in) are over
SETTLED = "menu => Promise.all(menu.getAnimations().map((animation) => animation.finished))"


def fresh_agent(desk: Desk) -> dict[str, str]:
    """An agent made over the REST API, who has never opened their preferences."""
    email = f"{uuid.uuid4().hex[:8]}@desk.example"
    body = {"email": email, "name": "Chen Jing", "password": PASSWORD, "role": "agent"}
    made = desk.call("POST", "/users", json=body)
    assert made.status_code == 201, made.text
    return {"email": email, "password": PASSWORD}


def account_locale(desk: Desk, agent: dict[str, str]) -> str | None:
    """The agent's locale as their account holds it (``GET /me``)."""
    own = requests.Session()
    assert own.post(f"{desk.url}/api/v1/session", json=agent, timeout=10).status_code == 200
    return own.get(f"{desk.url}/api/v1/me", timeout=10).json()["locale"]


def open_preferences(page: Any, account: str, preferences: str) -> Any:
    page.get_by_role("button", name=account).click()
    page.get_by_text(preferences, exact=True).click()
    return page.get_by_test_id("preferences-dialog")


def choose_language(page: Any, option: str) -> None:
    page.get_by_test_id("preferences-locale").click()
    page.locator(".n-base-select-option", has_text=option).click()


def test_a_new_agent_in_a_chinese_browser_gets_chinese_until_they_choose(
    desk: Desk, browser: Any
) -> None:
    agent = fresh_agent(desk)
    page = sign_in(new_page(browser, locale="zh-CN"), desk, agent)

    page.locator("header nav").get_by_text("收件箱").wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    dialog = open_preferences(page, "账户", "偏好设置")
    assert dialog.get_by_test_id("preferences-locale").inner_text() == "跟随浏览器"
    assert account_locale(desk, agent) is None  # following the browser chose nothing for them
    assert serious_violations(page) == []
    page.get_by_test_id("preferences-locale").click()
    english = page.locator(".n-base-select-option", has_text="English")
    english.wait_for()
    page.locator(".n-base-select-menu").evaluate(SETTLED)
    screenshot(page, "locale-follows-browser-zh-CN")

    english.click()
    dialog.get_by_test_id("preferences-save").click()
    page.get_by_text("Preferences saved.").wait_for()
    page.reload()

    page.locator("header nav").get_by_text("Inbox").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert account_locale(desk, agent) == "en"
    dialog = open_preferences(page, "Account", "Preferences")
    assert dialog.get_by_test_id("preferences-locale").inner_text() == "English"
    screenshot(page, "locale-chosen-en-in-zh-CN-browser")

    choose_language(page, "Browser language")
    dialog.get_by_test_id("preferences-save").click()
    page.get_by_text("偏好设置已保存。").wait_for()
    page.reload()
    page.locator("header nav").get_by_text("收件箱").wait_for()
    assert account_locale(desk, agent) is None
