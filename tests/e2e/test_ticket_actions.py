"""What an agent does on a ticket besides writing: signing in again mid-reply without losing
it, canned responses filled in for the customer, splitting an e-mail off into a ticket of its
own, and sending again a reply the mail server refused."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from tests.e2e.conftest import (
    AGENT,
    Desk,
    new_page,
    screenshot,
    sign_in,
    submit_sign_in,
)
from tests.e2e.test_inbox import open_ticket
from tests.e2e.test_ticket import choose, post_email, text_of, wait_until


def composer_body(page: Any) -> Any:
    return page.get_by_test_id("composer-body").locator("textarea")


def end_browser_session(desk: Desk, page: Any) -> None:
    """Signs out, on the server, the session this browser holds, the way another tab of the
    same browser would: its cookie, its CSRF token, ``DELETE /session``. The page is not told."""
    other_tab = requests.Session()
    for cookie in page.context.cookies(desk.url):
        other_tab.cookies.set(cookie["name"], cookie["value"], domain=cookie["domain"])
    current = other_tab.get(f"{desk.url}/api/v1/session", timeout=10)
    assert current.status_code == 200, current.text
    ended = other_tab.delete(
        f"{desk.url}/api/v1/session",
        headers={"X-CSRF-Token": current.json()["csrf_token"]},
        timeout=10,
    )
    assert ended.status_code == 204, ended.text
    # The cookie the browser still holds names a session that is gone.
    stale = requests.get(f"{desk.url}/api/v1/session", cookies=other_tab.cookies, timeout=10)
    assert stale.status_code == 401


def test_a_session_that_ends_mid_reply_keeps_the_draft_through_signing_in_again(
    desk: Desk, browser: Any
):
    ticket = open_ticket(desk, "Grinder makes a burning smell", "Aiko Tanaka", "aiko@example.com")
    path = f"/tickets/{ticket['id']}"
    page = sign_in(new_page(browser), desk, AGENT, path=path)
    draft = "Hi Aiko, please unplug the grinder and send us a photo of the motor housing."
    composer_body(page).fill(draft)

    page.wait_for_load_state("networkidle")  # the page asks the desk nothing more by itself

    end_browser_session(desk, page)
    # The agent does nothing: the desk cuts the /agent socket of the session that ended, and
    # the workspace, finding the session gone, asks the agent to sign in again.
    page.locator("#sign-in-email").wait_for()
    assert parse_qs(urlsplit(page.url).query)["next"] == [path]
    page.get_by_text("Your session ended. Sign in again; your drafts are kept.").wait_for()

    submit_sign_in(page, AGENT)
    page.wait_for_url(desk.url + path)
    page.get_by_test_id("composer").wait_for()
    assert composer_body(page).input_value() == draft
    screenshot(page, "ticket-actions-draft-kept")

    # The new session works: the kept draft goes out, and is a draft no more.
    composer_body(page).press("Control+Enter")
    page.get_by_test_id("message").filter(has_text="photo of the motor housing").wait_for()
    wait_until(lambda: [m for m in desk.smtp.messages if "motor housing" in text_of(m)])
    assert composer_body(page).input_value() == ""


def test_a_canned_response_is_filled_in_for_the_tickets_customer(desk: Desk, browser: Any):
    title = "Refund on its way"
    created = desk.call(
        "POST",
        "/canned-responses",
        json={
            "title": title,
            "bodies": {
                "en": (
                    "Hi {{ customer.name }}, your refund for {{ ticket.ref }} is on its way "
                    "({{ customer.email }}).\n{{ agent.name }}"
                ),
                "zh-CN": "{{ customer.name }}，您好：{{ ticket.ref }} 的退款已在途中。",
            },
        },
    )
    assert created.status_code == 201, created.text
    ticket = open_ticket(
        desk, "Refund for my returned kettle", "Ingrid Bergström", "ingrid@example.com"
    )

    page = sign_in(new_page(browser), desk, AGENT, path=f"/tickets/{ticket['id']}")
    page.get_by_test_id("canned-picker").click()
    page.keyboard.type("refund")
    choose(page, title)
    filled = (
        f"Hi Ingrid Bergström, your refund for {ticket['ref']} is on its way "
        "(ingrid@example.com).\nZhou Jun"
    )
    page.wait_for_function(
        "(text) => document.querySelector('[data-testid=composer-body] textarea').value === text",
        arg=filled,
    )

    page.get_by_test_id("composer-send").click()
    sent = page.get_by_test_id("message").filter(has_text="your refund for")
    sent.wait_for()
    assert "Hi Ingrid Bergström" in sent.inner_text() and "{{" not in sent.inner_text()
    page.locator("[data-testid=delivery][data-status=sent]").wait_for(timeout=20_000)
    mail = wait_until(lambda: [m for m in desk.smtp.messages if "refund for" in text_of(m)])
    assert "ingrid@example.com" in mail[0]["To"]
    assert text_of(mail[0]).startswith("Hi Ingrid Bergström, your refund")
    screenshot(page, "ticket-actions-canned")


def test_an_email_splits_off_into_a_new_ticket(desk: Desk, browser: Any):
    customer = ("Tomás Ruiz", "tomas.ruiz@example.com")
    first = post_email(desk, customer, "Milk frother stopped", "The milk frother stopped working.")
    old = desk.call("GET", f"/tickets/{first['ticket_id']}").json()
    # A new question, asked in the old thread: the desk files it by the subject's reference.
    again = post_email(
        desk,
        customer,
        f"Re: [{old['ref']}] Milk frother stopped",
        "Unrelated: can I change the delivery address of my bean subscription?",
    )
    assert again["ticket_id"] == old["id"]

    page = sign_in(new_page(browser), desk, path=f"/tickets/{old['id']}")
    question = page.get_by_test_id("message").filter(has_text="bean subscription")
    question.get_by_test_id("split-message").click()
    dialog = page.get_by_role("dialog")
    assert "start a new ticket of its own" in dialog.inner_text()
    dialog.get_by_role("button", name="Split into a new ticket").click()

    # The new ticket opens with that e-mail, and only it.
    page.wait_for_url(
        lambda url: url.startswith(f"{desk.url}/tickets/") and not url.endswith(f"/{old['id']}")
    )
    new_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    new = desk.call("GET", f"/tickets/{new_id}").json()
    page.get_by_text(f"Split into {new['ref']}.").wait_for()
    assert page.get_by_test_id("ticket-ref").inner_text() == new["ref"]
    page.get_by_test_id("message").filter(has_text="bean subscription").wait_for()
    assert page.get_by_test_id("message").filter(has_text="frother stopped working").count() == 0
    assert new["customer_id"] == old["customer_id"]
    dialog.wait_for(state="hidden")
    screenshot(page, "ticket-actions-split")

    # The old ticket keeps its first e-mail, without the one split off (read afresh).
    page.goto(f"{desk.url}/tickets/{old['id']}")
    page.get_by_test_id("message").filter(has_text="frother stopped working").wait_for()
    assert page.get_by_test_id("message").filter(has_text="bean subscription").count() == 0
    left = desk.call("GET", f"/tickets/{old['id']}/messages").json()["items"]
    assert not any("bean subscription" in m["body"] for m in left)


def test_a_reply_the_mail_server_refused_is_sent_again_with_retry(desk: Desk, browser: Any):
    ticket = open_ticket(desk, "Descaler arrived broken", "Olu Adeyemi", "olu.adeyemi@example.com")
    page = sign_in(new_page(browser), desk, path=f"/tickets/{ticket['id']}")
    page.get_by_test_id("composer").wait_for()
    desk.smtp.refuse = True  # the mail server answers 550 to every recipient
    try:
        composer_body(page).fill("Sorry, Olu: a new bottle of descaler leaves today.")
        page.get_by_test_id("composer-send").click()
        reply = page.get_by_test_id("message").filter(has_text="a new bottle of descaler")
        failed = reply.locator("[data-testid=delivery][data-status=failed]")
        failed.wait_for(timeout=20_000)
        assert "Not delivered" in failed.inner_text()
        reason = failed.get_by_test_id("delivery-error").inner_text()
        assert "olu.adeyemi@example.com refused: 550 5.1.1 No such mailbox" in reason
        assert not [m for m in desk.smtp.messages if "new bottle" in text_of(m)]
        screenshot(page, "ticket-actions-delivery-failed")
    finally:
        desk.smtp.refuse = False  # the mail server is put right

    failed.get_by_test_id("delivery-retry").click()
    sent = reply.locator("[data-testid=delivery][data-status=sent]")
    sent.wait_for(timeout=20_000)
    assert sent.get_by_test_id("delivery-error").count() == 0
    assert sent.get_by_test_id("delivery-retry").count() == 0
    assert "2 attempts" in sent.inner_text()
    mail = wait_until(lambda: [m for m in desk.smtp.messages if "new bottle" in text_of(m)])
    assert len(mail) == 1 and "olu.adeyemi@example.com" in mail[0]["To"]
    screenshot(page, "ticket-actions-delivery-retried")
