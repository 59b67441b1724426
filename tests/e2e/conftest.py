"""The workspace end to end: a real ``supportdesk serve`` with the demo desk (the README's start
command), the front ends built with npm, and Debian's chromium driven by Playwright.

One server per test module (``desk``): tests in a module share its demo data, so each test
makes or picks the rows it changes. Screenshots go to ``tests/e2e/artifacts/`` (not in git).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller

from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    built_widget_fixture,
)
from tests.peers import SUPPORTDESK, SmtpServer, free_port, serve_process

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ADMIN = {"email": "admin@demo.supportdesk", "password": "demo-admin-password"}
AGENT = {"email": "agent@demo.supportdesk", "password": "demo-agent-password"}
#: the mail provider's credential for ``POST /hooks/email`` on the test desk
INBOUND_TOKEN = "e2e-inbound-token"


@dataclass
class Desk:
    """A running desk: its base URL, the mail it sent, and an admin's API session."""

    url: str
    smtp: SmtpServer
    api: requests.Session
    csrf: str
    env: dict[str, str]

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The REST API as the demo admin (``path`` after ``/api/v1``)."""
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.api.request(
            method, f"{self.url}/api/v1{path}", headers=headers, timeout=10, **kwargs
        )


@pytest.fixture(scope="module", name="smtp")
def smtp_fixture() -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


@pytest.fixture(scope="module", name="desk")
def desk_fixture(
    tmp_path_factory: pytest.TempPathFactory, built_widget: Path, smtp: SmtpServer
) -> Iterator[Desk]:
    """``supportdesk demo`` then ``supportdesk serve``, as a newcomer starts the product."""
    instance = tmp_path_factory.mktemp("desk")
    env = {
        **os.environ,
        "SUPPORTDESK_INSTANCE_PATH": str(instance),
        "SUPPORTDESK_DATABASE_URL": f"sqlite:///{instance / 'desk.db'}",
        "SUPPORTDESK_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "SUPPORTDESK_FRONTEND_DIST": str(built_widget),
        "SUPPORTDESK_INBOUND_EMAIL_TOKEN": INBOUND_TOKEN,
    }
    demo = subprocess.run([*SUPPORTDESK, "demo"], env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    with serve_process(env) as url:
        api = requests.Session()
        signed_in = api.post(f"{url}/api/v1/session", json=ADMIN, timeout=10)
        assert signed_in.status_code == 200, signed_in.text
        yield Desk(url, smtp, api, signed_in.json()["csrf_token"], env)


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser: Any, locale: str = "en-US", width: int = 1440, height: int = 900) -> Any:
    """A fresh browser profile (its own cookies and storage) at a laptop's size."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale=locale, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def sign_in(page: Any, desk: Desk, who: dict[str, str] = ADMIN, path: str = "/") -> Any:
    """Opens ``path`` signed out, signs in on the sign-in page, and waits for the workspace."""
    page.goto(desk.url + path)
    return submit_sign_in(page, who)


def submit_sign_in(page: Any, who: dict[str, str] = ADMIN) -> Any:
    """Signs in on the sign-in page the browser shows now, and waits for the workspace."""
    page.locator("#sign-in-email").fill(who["email"])
    page.locator("#sign-in-password").fill(who["password"])
    page.locator("form button[type=submit]").click()
    page.locator("header nav").wait_for()
    return page


def screenshot(page: Any, name: str) -> Path:
    """Saves the page under tests/e2e/artifacts/ (to be looked at) and returns the path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page (minor ones are reported by
    axe's own tooling; these fail the test)."""
    return [v for v in axe_violations(page) if "(serious)" in v or "(critical)" in v]
