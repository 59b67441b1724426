"""The customer panel and the customers page: one customer, one history, on every channel.

Maria Gonzalez (demo data) called, e-mailed and chatted: her history shows all three. The
other customers here are made through the REST API, each test its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Desk, new_page, screenshot, serious_violations, sign_in
from tests.peers import free_port

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "context_integration.py"


def customer(desk: Desk, name: str, **fields: Any) -> dict[str, Any]:
    made = desk.call("POST", "/customers", json={"name": name, **fields})
    assert made.status_code == 201, made.text
    return made.json()


def ticket(desk: Desk, customer_id: int, subject: str, channel: str = "email") -> dict[str, Any]:
    body = {"subject": subject, "channel": channel, "customer_id": customer_id, "body": subject}
    made = desk.call("POST", "/tickets", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


def open_customer(page: Any, desk: Desk, customer_id: int) -> Any:
    page.goto(f"{desk.url}/customers/{customer_id}")
    page.get_by_test_id("customer-name").wait_for()
    page.get_by_test_id("timeline-entry").first.wait_for()
    return page


#: the timeline rows in the DOM (the list is virtualized: the rows in sight, and a few more)
ROWS = "[...document.querySelectorAll('[data-testid=timeline-entry]')]"
CONTEXT_LOADED = "() => !document.querySelector('[data-testid=context-panel][aria-busy=true]')"


def timeline_channels(page: Any) -> set[str]:
    return set(
        page.get_by_test_id("timeline-entry").evaluate_all(
            "(rows) => rows.map((r) => r.dataset.channel)"
        )
    )


def choose(page: Any, select_test_id: str, option: str) -> None:
    page.get_by_test_id(select_test_id).click()
    page.locator(".n-base-select-option", has_text=option).first.click()


@pytest.fixture(scope="module", name="shop")
def shop_fixture(desk: Desk) -> Iterator[dict[str, Any]]:
    """The context integration from docs/examples/, as a real local HTTP server, registered
    through the admin API; with a second one that does not answer."""
    secret = "an e2e secret of some length"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(EXAMPLE), "--port", str(port)],
        env={**os.environ, "CONTEXT_SECRET": secret},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert (
            server.stdout is not None
            and "context integration on" in server.stdout.readline().decode()
        )
        shop = desk.call(
            "POST",
            "/integrations",
            json={"name": "Shop", "url": f"http://127.0.0.1:{port}/context", "secret": secret},
        )
        assert shop.status_code == 201, shop.text
        dead = desk.call(
            "POST",
            "/integrations",
            json={
                "name": "Billing",
                "url": f"http://127.0.0.1:{free_port()}/context",
                "secret": secret,
            },
        )
        assert dead.status_code == 201, dead.text
        yield {"shop": shop.json(), "dead": dead.json()}
    finally:
        server.terminate()
        server.wait(timeout=10)
        for integration in desk.call("GET", "/integrations").json()["items"]:
            desk.call("DELETE", f"/integrations/{integration['id']}")


def test_maria_called_emailed_and_chatted_and_her_history_shows_all_three(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, path="/customers")
    page.get_by_test_id("customer-search").locator("input").fill("Maria")
    # the search runs once the agent pauses typing: the list narrows to her
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=customer-row]').length === 1"
    )
    assert "Maria Gonzalez" in page.get_by_test_id("customer-row").inner_text()
    page.get_by_role("link", name="Maria Gonzalez").click()

    page.get_by_test_id("timeline-entry").first.wait_for()
    assert page.get_by_test_id("customer-name").inner_text() == "Maria Gonzalez"
    assert {"email", "phone", "chat"} <= timeline_channels(page)
    # each entry names its ticket, and the ref opens it
    assert page.get_by_test_id("timeline-ticket").first.inner_text().startswith("SD-")
    counted = page.get_by_test_id("contact-count").evaluate_all(
        "(c) => c.map((x) => x.dataset.channel)"
    )
    assert {"email", "phone", "chat"} <= set(counted)
    # identities with their badge
    assert (
        page.get_by_test_id("identity").filter(has_text="maria.gonzalez@example.com").count() == 1
    )

    choose(page, "timeline-channel", "Phone")
    page.wait_for_function(
        f"() => {ROWS}.length && {ROWS}.every((r) => r.dataset.channel === 'phone')"
    )
    assert timeline_channels(page) == {"phone"}
    choose(page, "timeline-kind", "Messages")
    page.get_by_test_id("timeline-empty").or_(
        page.get_by_test_id("timeline-entry").first
    ).wait_for()
    assert page.get_by_test_id("timeline-entry").evaluate_all(
        "(rows) => rows.every((r) => r.dataset.kind === 'message')"
    )
    choose(page, "timeline-channel", "All channels")
    choose(page, "timeline-kind", "All kinds")
    page.wait_for_function(f"() => new Set({ROWS}.map((r) => r.dataset.channel)).size >= 3")

    page.get_by_test_id("timeline-ticket").first.click()
    page.wait_for_url(f"{desk.url}/tickets/*")


def test_a_customer_who_got_in_touch_twice_about_one_thing_shows_the_signal_first(
    desk: Desk, browser: Any
):
    name = unique("Chen Jing")
    chen = customer(desk, name, emails=[f"{uuid.uuid4().hex[:8]}@example.com"], phones=[])
    router = ticket(desk, chen["id"], "My router keeps dropping the connection")
    called = desk.call(
        "POST",
        "/calls",
        json={
            "customer_id": chen["id"],
            "ticket_id": router["id"],
            "direction": "inbound",
            "duration_seconds": 245,
            "notes": "Still dropping",
        },
    )
    assert called.status_code in (200, 201), called.text
    repeat = desk.call(
        "GET", f"/customers/{chen['id']}/contacts", params={"ticket_id": router["id"]}
    ).json()["repeat"]
    assert repeat and repeat["count"] == 2, repeat

    page = open_customer(sign_in(new_page(browser), desk), desk, chen["id"])
    signal = page.get_by_test_id("repeat-signal")
    assert "2nd contact in 7 days, on 2 channels" in signal.inner_text()
    assert router["ref"] in signal.inner_text()
    # first in the panel: above the identities and the history
    top = page.get_by_test_id("customer-panel").bounding_box()["y"]
    assert signal.bounding_box()["y"] - top < 120

    screenshot(page, "customer-repeat")

    # live: they write again, about the same thing, while the agent reads
    again = ticket(desk, chen["id"], "Router keeps dropping the connection")
    signal.filter(has_text="3rd contact in 7 days, on 2 channels").wait_for()
    assert again["ref"] in signal.inner_text()
    page.get_by_test_id("timeline-ticket").filter(has_text=again["ref"]).first.wait_for()

    page.get_by_test_id("locale").click()
    page.locator(".n-base-select-option", has_text="简体中文").click()
    signal.filter(has_text="7 天内第 3 次联系，涉及 2 个渠道").wait_for()
    page.get_by_test_id("locale").click()
    page.locator(".n-base-select-option", has_text="English").click()


def test_beside_a_ticket_the_panel_leads_with_the_signal(desk: Desk, browser: Any):
    li = customer(desk, unique("李娜"), emails=[f"{uuid.uuid4().hex[:8]}@example.com"])
    first = ticket(desk, li["id"], "发票抬头需要修改")
    second = ticket(desk, li["id"], "发票抬头修改", channel="chat")

    page = sign_in(new_page(browser), desk, path=f"/tickets/{second['id']}")
    panel = page.get_by_test_id("customer-panel")
    signal = panel.get_by_test_id("repeat-signal")
    signal.filter(has_text="2nd contact in 7 days, on 2 channels").wait_for()
    assert first["ref"] in signal.inner_text() and second["ref"] in signal.inner_text()
    screenshot(page, "ticket-customer-panel")
    overview = panel.get_by_role("tab", name="Overview")
    overview.focus()
    page.keyboard.press("ArrowRight")  # a real tablist: roles, focus, arrow keys
    assert panel.get_by_role("tab", name="History").get_attribute("aria-selected") == "true"
    panel.get_by_test_id("timeline-entry").first.wait_for()
    assert {"email", "chat"} <= timeline_channels(page)
    screenshot(page, "ticket-customer-history")
    assert serious_violations(page) == []


def test_an_agent_edits_identities_and_sees_errors_by_the_field(desk: Desk, browser: Any):
    wei = customer(desk, unique("Wang Wei"), emails=[f"{uuid.uuid4().hex[:8]}@example.com"])
    page = sign_in(new_page(browser), desk)
    page.goto(f"{desk.url}/customers/{wei['id']}")
    page.get_by_test_id("customer-edit-open").click()
    form = page.get_by_test_id("customer-edit")
    form.get_by_test_id("add-phone").click()
    form.get_by_test_id("edit-phone").last.locator("input").fill("12")
    form.get_by_test_id("customer-save").click()
    error = form.locator(".n-form-item-feedback__line", has_text="Not a valid phone number.")
    error.wait_for()
    # the message is under the phone it is about
    phone_box = form.get_by_test_id("edit-phone").last.bounding_box()
    assert 0 < error.bounding_box()["y"] - phone_box["y"] < 60

    form.get_by_test_id("edit-phone").last.locator("input").fill("+86 138 0013 9000")
    form.locator("#customer-edit-external").fill("crm-7")
    form.get_by_test_id("customer-save").click()
    form.wait_for(state="detached")
    page.get_by_test_id("identity").filter(has_text="+8613800139000").wait_for()
    assert page.get_by_test_id("identity").filter(has_text="crm-7").count() == 1
    assert desk.call("GET", f"/customers/{wei['id']}").json()["phones"] == ["+8613800139000"]


def test_merging_two_customers_shows_what_moves_first(desk: Desk, browser: Any):
    name = unique("Zhang Min")
    survivor = customer(desk, name, emails=[f"{uuid.uuid4().hex[:8]}@example.com"])
    twin = customer(desk, f"{name} (chat)", emails=[f"{uuid.uuid4().hex[:8]}@example.com"])
    moved = ticket(desk, twin["id"], "Invoice for November", channel="chat")
    ticket(desk, survivor["id"], "Address change")

    page = open_customer(sign_in(new_page(browser), desk), desk, survivor["id"])
    page.get_by_test_id("customer-merge-open").click()
    picker = page.get_by_test_id("merge-picker")
    picker.get_by_test_id("merge-picker-select").click()
    page.keyboard.type(f"{name} (chat)")
    page.locator(".n-base-select-option", has_text=f"{name} (chat)").click()
    picker.get_by_test_id("merge-preview-open").click()

    preview = page.get_by_test_id("merge-preview")
    preview.get_by_test_id("merge-preview-tickets").wait_for()
    assert preview.get_by_test_id("merge-preview-tickets").inner_text() == "1 ticket"
    assert twin["emails"][0] in preview.inner_text()
    page.get_by_test_id("merge-confirm").click()

    page.get_by_test_id("merge-record").filter(has_text=f"{name} (chat)").wait_for()
    page.get_by_test_id("timeline-ticket").filter(has_text=moved["ref"]).first.wait_for()
    assert page.get_by_test_id("identity").filter(has_text=twin["emails"][0]).count() == 1
    gone = desk.call("GET", f"/customers/{twin['id']}")
    assert gone.status_code == 404 and gone.json()["merged_into"] == survivor["id"]
    # a link to the merged customer leads to the survivor
    page.goto(f"{desk.url}/customers/{twin['id']}")
    page.wait_for_url(f"{desk.url}/customers/{survivor['id']}")


def test_the_context_panel_shows_what_other_systems_know(
    desk: Desk, browser: Any, shop: dict[str, Any]
):
    address = f"{uuid.uuid4().hex[:8]}@example.com"
    li = customer(desk, unique("Li Na"), emails=[address])
    ticket(desk, li["id"], "Where is my order?")

    page = open_customer(sign_in(new_page(browser), desk), desk, li["id"])
    cards = page.get_by_test_id("context-card")
    cards.first.wait_for()
    shop_card = cards.filter(has_text="Shop")
    assert "No verified shop account." in shop_card.inner_text()
    assert address in shop_card.inner_text()  # a list, shown as one
    assert "Note" in shop_card.inner_text()  # keys as labels
    dead = cards.filter(has_text="Billing")
    assert dead.get_attribute("data-status") == "unavailable"
    assert "Unavailable" in dead.inner_text()


def test_the_customer_page_is_accessible_in_both_languages(desk: Desk, browser: Any):
    maria = desk.call("GET", "/customers", params={"q": "Maria Gonzalez"}).json()["items"][0]
    page = open_customer(sign_in(new_page(browser), desk), desk, maria["id"])
    page.get_by_test_id("context-panel").wait_for()
    page.wait_for_function(CONTEXT_LOADED)
    assert serious_violations(page) == []
    screenshot(page, "customer-en")

    zh = open_customer(sign_in(new_page(browser, locale="zh-CN"), desk), desk, maria["id"])
    zh.get_by_test_id("locale").click()
    zh.locator(".n-base-select-option", has_text="简体中文").click()
    zh.get_by_role("heading", name="历史记录").wait_for()
    zh.wait_for_function(CONTEXT_LOADED)
    assert serious_violations(zh) == []
    screenshot(zh, "customer-zh-CN")
    zh.get_by_test_id("locale").click()
    zh.locator(".n-base-select-option", has_text="English").click()

    customers = sign_in(new_page(browser), desk, path="/customers")
    customers.get_by_test_id("customer-row").first.wait_for()
    assert serious_violations(customers) == []
    screenshot(customers, "customers-en")
