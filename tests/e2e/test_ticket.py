"""The ticket page: the conversation, replying by e-mail and as a note, repairing threading."""

from __future__ import annotations

import base64
import time
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

import requests

from tests.e2e.conftest import (
    INBOUND_TOKEN,
    Desk,
    new_page,
    screenshot,
    serious_violations,
    sign_in,
)

#: a tiny PNG: one transparent pixel (70 bytes)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def find_ticket(desk: Desk, q: str) -> dict[str, Any]:
    found = desk.call("GET", "/tickets", params={"q": q, "view": "all"}).json()["items"]
    assert found, q
    return found[0]


def wait_until(check: Any, seconds: float = 15) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def choose(page: Any, text: str) -> None:
    """Picks an option of the open Naive UI menu (its options carry no ARIA role)."""
    page.locator(".n-base-select-option").filter(has_text=text).first.click()
    page.locator(".n-base-select-menu >> visible=true").wait_for(state="detached")


def text_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def post_email(desk: Desk, sender: tuple[str, str], subject: str, body: str) -> dict[str, Any]:
    mail = EmailMessage()
    mail["From"] = formataddr(sender)
    mail["To"] = "support@demo.supportdesk"
    mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="example.com")
    mail.set_content(body)
    answer = requests.post(
        f"{desk.url}/hooks/email",
        data=bytes(mail),
        headers={"Authorization": f"Bearer {INBOUND_TOKEN}", "Content-Type": "message/rfc822"},
        timeout=10,
    )
    assert answer.status_code == 202, answer.text
    return answer.json()


def test_a_ticket_shows_its_conversation_and_the_agent_replies_by_email_and_as_a_note(
    desk: Desk, browser: Any
):
    ticket = find_ticket(desk, "LC-90412")  # James Whitaker's lost grinder: e-mails and notes
    page = sign_in(new_page(browser), desk, path=f"/tickets/{ticket['id']}")
    messages = page.get_by_test_id("message")
    messages.first.wait_for()
    assert page.get_by_test_id("ticket-ref").inner_text() == ticket["ref"]
    assert messages.count() == 5
    note = page.locator("[data-testid=message][data-kind=note]")
    assert note.count() == 1
    assert "Internal note" in note.inner_text()
    assert "UPS Memphis hub" in note.inner_text()
    first = messages.first.inner_text()
    assert "James Whitaker" in first and "E-mail" in first
    assert page.get_by_test_id("composer-channel").inner_text() == "E-mail"
    page.wait_for_load_state("networkidle")  # the customer panel too
    screenshot(page, "ticket-en")
    assert serious_violations(page) == []

    # A reply by e-mail, sent with Ctrl+Enter: it shows at once, and reaches the customer.
    # With a photo attached: uploaded at once, sent with the e-mail, previewed in the message.
    page.get_by_test_id("composer-file").set_input_files(
        files=[{"name": "label.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_test_id("composer-upload").filter(has_text="label.png · 70 B").wait_for()
    body = page.get_by_test_id("composer-body").locator("textarea")
    body.fill("Good news, James: UPS found your grinder; it arrives on Thursday.")
    body.press("Control+Enter")
    reply = page.get_by_test_id("message").filter(has_text="UPS found your grinder")
    reply.wait_for()
    assert reply.get_by_test_id("attachment").inner_text().split() == ["label.png", "70", "B"]
    assert reply.locator("img[src^='/api/v1/attachments/']").count() == 1
    sent = wait_until(
        lambda: [m for m in desk.smtp.messages if "UPS found your grinder" in text_of(m)]
    )
    assert "james.whitaker@example.com" in sent[0]["To"]
    assert [a.get_filename() for a in sent[0].iter_attachments()] == ["label.png"]
    page.locator("[data-testid=delivery][data-status=sent]").wait_for(timeout=20_000)
    assert page.locator("textarea").input_value() == ""

    # "n" starts a note; the @mention is completed from the agents' names.
    page.get_by_test_id("ticket-ref").click()
    page.keyboard.press("n")
    note_body = page.get_by_test_id("composer-body").locator("textarea")
    note_body.type("Please check the claim form, @Zhou")
    choose(page, "Zhou Jun")
    note_body.press("Control+Enter")
    added = page.locator("[data-testid=message][data-kind=note]").filter(has_text="@ZhouJun")
    added.wait_for()
    mail_count = len(desk.smtp.received)
    time.sleep(0.5)
    assert len(desk.smtp.received) == mail_count  # a note goes to nobody outside

    # Properties are edited in place; "e" solves.
    page.get_by_test_id("ticket-priority").click()
    choose(page, "High")
    page.get_by_test_id("ticket-tags").click()
    page.keyboard.type("lost-parcel")
    page.keyboard.press("Enter")
    page.get_by_test_id("ticket-tags").filter(has_text="lost-parcel").wait_for()
    page.get_by_test_id("ticket-ref").click()
    page.keyboard.press("e")
    page.get_by_test_id("ticket-status").filter(has_text="Solved").wait_for()
    saved = wait_until(
        lambda: (
            (t := desk.call("GET", f"/tickets/{ticket['id']}").json())["status"] == "solved" and t
        )
    )
    assert saved["priority"] == "high"
    assert sorted(saved["tags"]) == ["lost-parcel", "shipping"]


def test_a_mis_threaded_email_moves_to_the_ticket_it_belongs_to(desk: Desk, browser: Any):
    espresso = find_ticket(desk, "Espresso machine leaks")
    maria = espresso["customer_id"]
    descaling = desk.call(
        "POST",
        "/tickets",
        json={
            "subject": "How often should I descale?",
            "channel": "email",
            "customer_id": maria,
            "body": "How often should I descale the new machine?",
        },
    ).json()
    # Maria answers about descaling, but in the thread of her old leak ticket.
    receipt = post_email(
        desk,
        ("Maria Gonzalez", "maria.gonzalez@example.com"),
        f"[{espresso['ref']}] Descaling",
        "Also: is every two months often enough for descaling?",
    )
    assert receipt["ticket_id"] == espresso["id"]

    page = sign_in(new_page(browser), desk, path=f"/tickets/{espresso['id']}")
    stray = page.get_by_test_id("message").filter(has_text="every two months")
    stray.wait_for()
    stray.get_by_test_id("why-here").click()
    assert (
        "subject carries this ticket's reference"
        in stray.get_by_test_id("threaded-by").inner_text()
    )
    stray.get_by_test_id("move-message").click()
    dialog = page.get_by_test_id("move-dialog")
    dialog.get_by_test_id("move-target").click()
    choose(page, descaling["ref"])
    dialog.get_by_test_id("move-confirm").click()
    page.get_by_text(f"Moved to {descaling['ref']}.").wait_for()
    assert page.get_by_test_id("message").filter(has_text="every two months").count() == 0

    moved = desk.call("GET", f"/tickets/{descaling['id']}/messages").json()["items"]
    assert any("every two months" in m["body"] for m in moved)


def test_a_ticket_merges_into_another_of_the_customers(desk: Desk, browser: Any):
    sparks = find_ticket(desk, "Sparks from the power cable")
    again = desk.call(
        "POST",
        "/tickets",
        json={
            "subject": "The cable again",
            "channel": "email",
            "customer_id": sparks["customer_id"],
            "body": "When is the pickup of the machine with the sparking cable?",
        },
    ).json()
    page = sign_in(new_page(browser), desk, path=f"/tickets/{again['id']}")
    page.get_by_test_id("merge-open").click()
    dialog = page.get_by_test_id("merge-dialog")
    dialog.get_by_test_id("merge-candidate").filter(has_text=sparks["ref"]).click()
    assert f"{again['ref']} will be closed" in dialog.inner_text()
    dialog.get_by_test_id("merge-confirm").click()
    # The ticket that stays opens, with the merged ticket's message.
    page.wait_for_url(f"{desk.url}/tickets/{sparks['id']}")
    page.get_by_test_id("message").filter(has_text="When is the pickup").wait_for()

    page.goto(f"{desk.url}/tickets/{again['id']}")
    banner = page.get_by_test_id("merged-banner")
    assert f"merged into {sparks['ref']}" in banner.inner_text()
    assert page.get_by_test_id("composer").count() == 0
    banner.get_by_test_id("merged-link").click()
    page.wait_for_url(f"{desk.url}/tickets/{sparks['id']}")


def test_the_ticket_page_in_chinese(desk: Desk, browser: Any):
    ticket = find_ticket(desk, "发票抬头")
    page = sign_in(new_page(browser, locale="zh-CN"), desk, path=f"/tickets/{ticket['id']}")
    page.get_by_test_id("message").first.wait_for()
    page.get_by_test_id("locale").click()
    choose(page, "简体中文")
    page.get_by_text("内部备注", exact=True).first.wait_for()
    assert page.get_by_test_id("composer-send").inner_text().startswith("发送")
    page.wait_for_load_state("networkidle")
    screenshot(page, "ticket-zh-CN")
    assert serious_violations(page) == []
    # Back to English: the preference is the admin's, and other tests read English.
    page.get_by_test_id("locale").click()
    choose(page, "English")
    page.get_by_test_id("composer-send").filter(has_text="Send").wait_for()
