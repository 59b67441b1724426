"""Signing in and out of the workspace, and a session that ends while the agent works."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import AGENT, Desk, new_page, screenshot, sign_in


def test_signed_out_the_workspace_asks_to_sign_in_then_shows_the_inbox(desk: Desk, browser: Any):
    page = new_page(browser)
    page.goto(desk.url + "/")
    assert page.locator("h1").inner_text() == "Sign in to Supportdesk"
    page.locator("#sign-in-email").fill(AGENT["email"])
    page.locator("#sign-in-password").fill("not the password")
    page.locator("form button[type=submit]").click()
    assert "do not match" in page.get_by_test_id("sign-in-error").inner_text()

    sign_in(page, desk, AGENT)
    assert page.locator("header").get_by_text("Zhou Jun").is_visible()
    screenshot(page, "signed-in")


def test_a_deep_link_survives_signing_in(desk: Desk, browser: Any):
    page = new_page(browser)
    sign_in(page, desk, AGENT, path="/customers")
    page.wait_for_url(desk.url + "/customers")


def test_signing_out_ends_the_session(desk: Desk, browser: Any):
    page = sign_in(new_page(browser), desk, AGENT)
    page.get_by_role("button", name="Account").click()
    page.get_by_text("Sign out").click()
    page.locator("#sign-in-email").wait_for()
    page.goto(desk.url + "/")
    page.locator("#sign-in-email").wait_for()
