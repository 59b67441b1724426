"""The inbox: the demo desk's tickets by customer name, views, filters, search, live arrivals,
bulk actions, the keyboard, and Chinese."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import AGENT, Desk, new_page, screenshot, serious_violations, sign_in


def rows(page: Any) -> Any:
    return page.get_by_test_id("ticket-row")


def row_of(page: Any, ticket_id: int) -> Any:
    return page.locator(f'[data-testid="ticket-row"][data-ticket-id="{ticket_id}"]')


def every_row(page: Any, condition: str) -> None:
    """Waits until the list shows rows and ``condition`` (JavaScript, of ``row``) holds for each."""
    page.wait_for_function(
        f"""() => {{ const rows = [...document.querySelectorAll('[data-testid=ticket-row]')];
            return rows.length > 0 && rows.every((row) => {condition}); }}"""
    )


def choose(page: Any, select: str, option: str) -> None:
    """Picks an option of a Naive UI select (its options live in a popup outside the select)."""
    page.get_by_test_id(select).click()
    page.locator(".n-base-select-option", has_text=option).click()


def open_ticket(desk: Desk, subject: str, name: str, email: str, **fields: Any) -> dict[str, Any]:
    body = {"subject": subject, "channel": "email", "customer": {"name": name, "email": email}}
    response = desk.call("POST", "/tickets", json={**body, "body": f"{subject}, please.", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_the_inbox_shows_the_demo_desk_by_customer_name_and_filters_it(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, AGENT)
    rows(page).first.wait_for()
    assert page.get_by_test_id("view-open").get_attribute("aria-current") == "true"
    assert (
        rows(page)
        .filter(has_text="Tom Becker")
        .filter(has_text="Sparks from the power cable")
        .count()
        == 1
    )
    assert rows(page).filter(has_text="Priya Natarajan").count() == 1

    page.get_by_test_id("view-all").click()
    row = rows(page).filter(has_text="Maria Gonzalez").first
    row.wait_for()
    # the last thing said, and who has it
    assert "The new one works perfectly!" in row.inner_text()
    assert "Zhou Jun" in row.inner_text()
    assert rows(page).filter(has_text="王芳").count() == 1

    choose(page, "filter-channel", "Phone")
    every_row(page, "row.querySelector('svg[aria-label=Phone]')")
    assert rows(page).filter(has_text="王芳").count() == 0
    assert rows(page).filter(has_text="Maria Gonzalez").count() >= 1

    page.get_by_role("button", name="Clear filters").click()
    page.get_by_test_id("inbox-search").fill("maria.gonzalez@example.com")
    every_row(page, "row.innerText.includes('Maria Gonzalez')")
    page.get_by_test_id("inbox-search").fill("nothing matches this")
    page.get_by_test_id("inbox-empty").wait_for()
    assert "No tickets match these filters." in page.get_by_test_id("inbox-empty").inner_text()


def test_a_new_ticket_appears_live_with_an_unread_marker(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, AGENT)
    rows(page).first.wait_for()
    before = page.get_by_test_id("view-open").inner_text()

    ticket = open_ticket(desk, "Milk frother stopped", "Ana Live", "ana.live@example.com")

    row = row_of(page, ticket["id"])
    row.wait_for()
    assert rows(page).first.get_attribute("data-ticket-id") == str(ticket["id"])
    assert "Ana Live" in row.inner_text() and "Milk frother stopped, please." in row.inner_text()
    assert row.get_by_test_id("unread").count() == 1
    # the view's count follows (re-read a moment later)
    page.wait_for_function(
        "before => document.querySelector('[data-testid=view-open]').innerText !== before",
        arg=before,
    )


def test_bulk_assign_two_rows_and_a_refusal_names_its_ticket(desk: Desk, browser: Any):
    first = open_ticket(desk, "Bulk one", "Bo One", "bo.one@example.com")
    second = open_ticket(desk, "Bulk two", "Bo Two", "bo.two@example.com")
    page = sign_in(new_page(browser), desk, AGENT)
    for ticket in (first, second):
        row_of(page, ticket["id"]).get_by_role("checkbox").click()
    assert "2 selected" in page.get_by_test_id("bulk-bar").inner_text()

    page.get_by_test_id("bulk-assign").click()
    page.locator(".n-dropdown-option", has_text="Assign to me").click()

    for ticket in (first, second):
        row = row_of(page, ticket["id"])
        row.filter(has_text="Zhou Jun").wait_for()
        assert desk.call("GET", f"/tickets/{ticket['id']}").json()["assignee"]["name"] == "Zhou Jun"
    assert page.get_by_test_id("bulk-bar").count() == 0

    # a ticket is closed only once solved: the desk refuses, and the row says why
    row_of(page, first["id"]).get_by_role("checkbox").click()
    page.get_by_test_id("bulk-status").click()
    page.get_by_role("option", name="Closed").or_(
        page.get_by_text("Closed", exact=True)
    ).first.click()
    row_of(page, first["id"]).get_by_text(re.compile("Not changed")).wait_for()


def test_an_agent_saves_the_filters_as_a_view_and_deletes_it(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, AGENT)
    rows(page).first.wait_for()
    choose(page, "filter-channel", "Chat")
    page.get_by_test_id("save-view").click()
    page.get_by_label("Name").fill("My chats")
    page.get_by_role("button", name="Save", exact=True).click()
    saved = page.get_by_test_id("saved-views").get_by_role("button", name="My chats", exact=True)
    saved.wait_for()
    assert saved.get_attribute("aria-current") == "true"

    page.get_by_test_id("view-all").click()
    saved.click()
    every_row(page, "row.querySelector('svg[aria-label=Chat]')")
    page.get_by_role("button", name="Delete view My chats").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    saved.wait_for(state="detached")


def test_the_keyboard_walks_the_list_and_opens_a_ticket(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, AGENT)
    rows(page).nth(1).wait_for()
    second = rows(page).nth(1).get_attribute("data-ticket-id")

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert rows(page).nth(1).get_attribute("aria-current") == "true"
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert "1 selected" in page.get_by_test_id("bulk-bar").inner_text()
    page.keyboard.press("x")

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.dataset.testid") == "inbox-search"
    page.keyboard.type("j")  # typed into the search, not a shortcut
    page.keyboard.press("Escape")
    page.get_by_test_id("inbox-search").fill("")
    page.keyboard.press("Escape")
    rows(page).nth(1).wait_for()

    page.keyboard.press("?")
    overlay = page.get_by_test_id("shortcuts-overlay")
    overlay.wait_for()
    for words in (
        "Next ticket",
        "Open the ticket",
        "Reply",
        "Add an internal note",
        "Mark as solved",
    ):
        assert words in overlay.inner_text()
    assert "Reply · on another page" in overlay.inner_text()
    page.keyboard.press("j")  # the overlay holds the keys: the list below stays put
    page.keyboard.press("Escape")
    overlay.wait_for(state="hidden")

    for key in ("k", "k", "k", "k", "j"):  # up to the first row (and no further), one down
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{desk.url}/tickets/{second}")


def test_the_inbox_in_english_and_chinese_has_no_serious_accessibility_problem(
    desk: Desk, browser: Any
):
    open_ticket(
        desk, "Grinder jams on fine settings", "Lena Fischer", "lena@example.com", priority="urgent"
    )
    page = sign_in(new_page(browser), desk, AGENT)
    rows(page).nth(2).wait_for()
    row_of(page, int(rows(page).first.get_attribute("data-ticket-id"))).get_by_role(
        "checkbox"
    ).click()
    assert serious_violations(page) == []
    screenshot(page, "inbox-en")

    choose(page, "locale", "简体中文")
    views = page.get_by_test_id("inbox-views")
    views.get_by_text("全部待处理").wait_for()
    assert "未分配" in views.inner_text()
    assert page.get_by_test_id("bulk-bar").get_by_text("已选 1 个").count() == 1
    page.get_by_test_id("bulk-bar").get_by_role("button", name="取消选择").click()
    page.get_by_test_id("view-all").click()
    rows(page).filter(has_text="张晓明").first.wait_for()
    assert serious_violations(page) == []
    screenshot(page, "inbox-zh-CN")
