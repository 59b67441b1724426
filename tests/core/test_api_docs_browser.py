"""/api/docs in real headless Chromium: an agent signs in with "Try it out" and can then
call an unsafe method there, the page sending the session's X-CSRF-Token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from supportdesk.extensions import db
from tests.factories import PASSWORD, UserFactory
from tests.peers import LiveServer

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture
def page() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield chromium.new_context().new_page()
        finally:
            chromium.close()


def _try_it_out(page: Any, method: str, path: str, body: str) -> str:
    """Open an operation, send ``body`` with "Try it out", and return the status shown."""
    operation = page.locator(f".opblock-{method}").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
    )
    operation.locator(".opblock-summary").first.click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("textarea.body-param__text").fill(body)
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    return status.inner_text().strip()


def test_sign_in_with_try_it_out_then_create_a_customer(app, live_url, page):
    UserFactory(email="mia@desk.example")
    db.session.commit()
    page.goto(live_url + "/api/docs")
    page.locator(".opblock").first.wait_for()

    signed_in = _try_it_out(
        page,
        "post",
        "/api/v1/session",
        f'{{"email": "mia@desk.example", "password": "{PASSWORD}"}}',
    )
    created = _try_it_out(page, "post", "/api/v1/customers", '{"name": "Zoe from the docs"}')

    assert signed_in == "200"
    assert created == "201"
