"""The admin pages and the agent's preferences, as the demo admin (and agents) use them.

Each test makes the rows it changes (a user, a token, a mail in quarantine), so the module's
one demo desk serves them all in any order. The demo admin signs in once for the module (the
desk allows 10 sign-ins a minute from one address).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests

from tests.e2e.conftest import (
    AGENT,
    INBOUND_TOKEN,
    Desk,
    new_page,
    screenshot,
    serious_violations,
    sign_in,
)

PASSWORD = "a long enough password"


@pytest.fixture(scope="module", name="admin")
def admin_fixture(desk: Desk, browser: Any) -> Any:
    """The demo admin's browser tab, signed in once."""
    return sign_in(new_page(browser), desk)


def settled(page: Any) -> Any:
    """Waits out the table's loading veil (it fades after the rows are in), for a screenshot."""
    page.locator(".n-data-table-loading-wrapper").wait_for(state="detached")
    return page


def open_page(admin: Any, desk: Desk, path: str) -> Any:
    admin.goto(desk.url + path)
    admin.locator("header nav").wait_for()
    return admin


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


def make_user(desk: Desk, role: str = "agent") -> dict[str, str]:
    """A user made over the REST API; returns their credentials."""
    email = f"{uuid.uuid4().hex[:8]}@desk.example"
    made = desk.call(
        "POST",
        "/users",
        json={"email": email, "name": unique("Lin"), "password": PASSWORD, "role": role},
    )
    assert made.status_code == 201, made.text
    return {"email": email, "password": PASSWORD}


def choose(page: Any, select: str, option: str, search: str | None = None) -> None:
    """Picks an option of a Naive UI select (typing ``search`` first in a filterable one)."""
    page.get_by_test_id(select).click()
    if search:
        page.keyboard.type(search)
    page.locator(".n-base-select-option", has_text=option).first.click()


def confirm(page: Any) -> None:
    """Presses the confirm button of the "are you sure?" dialog."""
    page.locator(".n-dialog").get_by_test_id("confirm").click()


def quarantine(raw: bytes, desk: Desk) -> int:
    """Hands the desk ``raw`` as the mail provider would; it cannot be filed, so it is kept."""
    answer = requests.post(
        f"{desk.url}/hooks/email",
        data=raw,
        headers={"Authorization": f"Bearer {INBOUND_TOKEN}", "Content-Type": "message/rfc822"},
        timeout=10,
    )
    assert answer.status_code == 202 and answer.json()["quarantined"], answer.text
    return int(answer.json()["inbound_id"])


def test_the_admin_adds_an_agent_who_then_signs_in(desk: Desk, browser: Any, admin: Any) -> None:
    page = open_page(admin, desk, "/admin")
    users = page.get_by_test_id("admin-users")
    users.get_by_text("Zhou Jun").wait_for()
    screenshot(settled(page), "admin-users-en")
    assert serious_violations(page) == []

    # Esc closes a dialog (its focus in a field); a click outside it does not
    page.get_by_test_id("add-user").click()
    dialog = page.get_by_test_id("user-dialog")
    dialog.get_by_label("Name").fill("half-typed")
    page.mouse.click(5, 5)
    assert dialog.get_by_label("Name").input_value() == "half-typed"
    dialog.get_by_label("Name").press("Escape")
    dialog.wait_for(state="detached")

    name, email = unique("Chen Jing"), f"{uuid.uuid4().hex[:8]}@desk.example"
    page.get_by_test_id("add-user").click()
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("E-mail").fill(email)
    dialog.get_by_label("Password").fill("short")
    dialog.get_by_test_id("save").click()
    # the desk's refusal, under the field it is about
    dialog.locator(".n-form-item-feedback--error").wait_for()
    assert "8" in dialog.locator(".n-form-item-feedback--error").inner_text()

    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_test_id("save").click()
    users.get_by_text(name).wait_for()
    row = users.locator("tr", has_text=name)
    assert "Agent" in row.inner_text() and "Active" in row.inner_text()

    theirs = sign_in(new_page(browser), desk, {"email": email, "password": PASSWORD})
    assert theirs.locator("header").get_by_text(name).is_visible()
    # they are an agent: no admin pages for them
    assert theirs.locator("header nav").get_by_text("Admin").count() == 0


def test_the_admin_cannot_deactivate_themselves_but_can_deactivate_an_agent(
    desk: Desk, admin: Any
) -> None:
    agent = make_user(desk)
    page = open_page(admin, desk, "/admin/users")
    users = page.get_by_test_id("admin-users")
    mine = users.locator("tr", has_text="admin@demo.supportdesk")
    assert mine.get_by_test_id("deactivate").is_disabled()

    users.locator("tr", has_text=agent["email"]).get_by_test_id("deactivate").click()
    confirm(page)
    users.locator("tr", has_text=agent["email"]).get_by_text("Deactivated").wait_for()
    refused = requests.post(f"{desk.url}/api/v1/session", json=agent, timeout=10)
    assert refused.status_code == 401


def test_a_token_is_shown_once_and_stops_working_when_revoked(desk: Desk, admin: Any) -> None:
    page = open_page(admin, desk, "/admin/tokens")
    # the header says where the admin is, in any section
    assert "is-active" in (
        page.locator("header nav a", has_text="Admin").get_attribute("class") or ""
    )
    name = unique("CRM sync")
    page.get_by_test_id("add-token").click()
    dialog = page.get_by_test_id("token-dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_test_id("save").click()
    token = dialog.get_by_test_id("new-token").input_value()
    assert "shown this once" in dialog.inner_text()
    me = requests.get(
        f"{desk.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert me.status_code == 200 and me.json()["email"] == "admin@demo.supportdesk"
    dialog.get_by_test_id("token-done").click()

    row = page.get_by_test_id("admin-tokens").locator("tr", has_text=name)
    row.get_by_test_id("revoke").click()
    confirm(page)
    row.wait_for(state="detached")
    me = requests.get(
        f"{desk.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert me.status_code == 401


def test_the_admin_rewords_the_chinese_acknowledgement_with_a_live_preview(
    desk: Desk, admin: Any
) -> None:
    page = open_page(admin, desk, "/admin/templates")
    page.get_by_test_id("edit-ticket_acknowledgement-zh-CN").click()
    editor = page.get_by_test_id("template-editor")
    editor.get_by_label("Subject").fill("来信已收到：{{ ticket_subject }}（{{ ticket_ref }}）")
    preview = editor.get_by_test_id("template-preview")
    # the samples speak the template's language
    assert "来信已收到：路由器反复重启（SD-1042）" in preview.inner_text()
    assert serious_violations(page) == []
    editor.get_by_test_id("save").click()
    editor.wait_for(state="detached")

    [saved] = [
        t
        for t in desk.call("GET", "/email/templates").json()["items"]
        if (t["key"], t["locale"]) == ("ticket_acknowledgement", "zh-CN")
    ]
    assert saved["customized"] and saved["subject"].startswith("来信已收到")

    page.get_by_test_id("edit-ticket_acknowledgement-zh-CN").click()
    editor.get_by_test_id("reset-template").click()
    confirm(page)
    editor.wait_for(state="detached")
    [reset] = [
        t
        for t in desk.call("GET", "/email/templates").json()["items"]
        if (t["key"], t["locale"]) == ("ticket_acknowledgement", "zh-CN")
    ]
    assert not reset["customized"]


def test_a_canned_response_with_a_bad_placeholder_is_refused_by_the_field(
    desk: Desk, admin: Any
) -> None:
    page = open_page(admin, desk, "/admin/canned")
    title = unique("Refund on its way")
    page.get_by_test_id("add-canned").click()
    dialog = page.get_by_test_id("canned-dialog")
    assert "{{ customer.name }}" in dialog.inner_text()
    dialog.get_by_label("Title").fill(title)
    dialog.get_by_label("Text in English").fill("Hello {{ customer.nam }}, the refund is sent.")
    dialog.get_by_label("Text in 简体中文").fill("{{ customer.name }}，您好：退款已发出。")
    dialog.get_by_test_id("save").click()
    error = dialog.locator(".n-form-item-feedback--error")
    error.wait_for()
    assert "customer.nam" in error.inner_text()

    dialog.get_by_label("Text in English").fill("Hello {{ customer.name }}, the refund is sent.")
    dialog.get_by_test_id("save").click()
    row = page.get_by_test_id("admin-canned").locator("tr", has_text=title)
    row.wait_for()
    assert "English" in row.inner_text() and "简体中文" in row.inner_text()
    listed = desk.call("GET", "/canned-responses").json()["items"]
    [made] = [canned for canned in listed if canned["title"] == title]
    assert made["bodies"]["zh-CN"].startswith("{{ customer.name }}")


def test_a_quarantined_mail_is_read_as_text_reprocessed_and_deleted(desk: Desk, admin: Any) -> None:
    marker = uuid.uuid4().hex[:8]
    inbound_id = quarantine(f"<script>alert('{marker}')</script> not mail".encode(), desk)
    page = open_page(admin, desk, "/admin/quarantine")
    section = page.get_by_test_id("admin-quarantine")
    row = section.locator("tr", has_text="(no sender)").first
    row.wait_for()
    assert serious_violations(page) == []

    row.get_by_test_id("read-raw").click()
    raw = page.get_by_test_id("raw-message")
    # the bytes as text: the script is shown, never run or rendered
    assert f"<script>alert('{marker}')</script>" in raw.inner_text()
    page.get_by_test_id("raw-dialog").get_by_role("button", name="Close").last.click()

    row.get_by_test_id("reprocess").click()
    page.get_by_text("Still quarantined").wait_for()

    row.get_by_test_id("delete-mail").click()
    confirm(page)
    page.get_by_text("The e-mail is deleted.").wait_for()
    assert desk.call("GET", f"/email/inbound/{inbound_id}").status_code == 404


def test_the_admin_adds_an_integration_whose_secret_is_never_shown(desk: Desk, admin: Any) -> None:
    page = open_page(admin, desk, "/admin/integrations")
    name = unique("Shop")
    page.get_by_test_id("add-integration").click()
    dialog = page.get_by_test_id("integration-dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("URL").fill("ftp://shop.example/orders")
    dialog.get_by_label("Secret").fill("too short")
    dialog.get_by_test_id("save").click()
    dialog.locator(".n-form-item-feedback--error").first.wait_for()
    assert dialog.locator(".n-form-item-feedback--error").count() == 2  # url and secret

    dialog.get_by_label("URL").fill("http://127.0.0.1:9/context")
    dialog.get_by_label("Secret").fill("s3cret-shared-with-the-shop")
    dialog.get_by_test_id("save").click()
    row = page.get_by_test_id("admin-integrations").locator("tr", has_text=name)
    row.wait_for()
    assert "…shop" in row.inner_text() and "s3cret" not in page.content()


def test_an_agent_is_kept_out_of_the_admin_pages(desk: Desk, browser: Any) -> None:
    page = sign_in(new_page(browser), desk, AGENT, path="/admin/users")
    page.wait_for_url(desk.url + "/")
    assert page.locator("header nav").get_by_text("Admin").count() == 0
    refused = requests.Session()
    refused.post(f"{desk.url}/api/v1/session", json=AGENT, timeout=10)
    assert refused.get(f"{desk.url}/api/v1/integrations", timeout=10).status_code == 403


def test_preferences_are_remembered_after_a_reload(desk: Desk, browser: Any) -> None:
    agent = make_user(desk)
    page = sign_in(new_page(browser), desk, agent)
    page.get_by_role("button", name="Account").click()
    page.get_by_text("Preferences").click()
    dialog = page.get_by_test_id("preferences-dialog")
    choose(page, "preferences-time-zone", "America/New York", search="New York")
    choose(page, "preferences-locale", "简体中文")
    dialog.get_by_test_id("preferences-save").click()
    page.get_by_text("偏好设置已保存。").wait_for()

    page.reload()
    page.locator("header nav").get_by_text("收件箱").wait_for()
    page.get_by_role("button", name="账户").click()
    page.get_by_text("偏好设置").click()
    zone = page.get_by_test_id("preferences-time-zone").inner_text()
    assert re.search(r"America/New York · UTC-0[45]:00", zone), zone


def test_the_admin_pages_in_chinese(desk: Desk, browser: Any) -> None:
    chinese_admin = make_user(desk, role="admin")
    page = sign_in(new_page(browser, locale="zh-CN"), desk, chinese_admin, path="/admin/users")
    page.get_by_test_id("locale").click()
    page.locator(".n-base-select-option", has_text="简体中文").click()
    page.get_by_role("heading", name="用户").wait_for()
    page.get_by_test_id("admin-menu-quarantine").click()
    page.get_by_role("heading", name="邮件隔离区").wait_for()
    page.get_by_test_id("admin-menu-users").click()
    page.get_by_test_id("admin-users").get_by_text("管理员").first.wait_for()
    screenshot(settled(page), "admin-zh-CN")
    assert serious_violations(page) == []
