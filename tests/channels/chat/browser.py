"""The widget in a real browser: built with npm, embedded by a customer's page on another origin
(localhost vs 127.0.0.1), driven through Playwright in Debian's chromium (never a downloaded one).

Test modules import the fixtures they use from here. ``SUPPORTDESK_TEST_FRONTEND`` builds another
checkout's ``frontend/`` instead (an older commit's, to watch a browser test fail before its fix).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from supportdesk.extensions import db
from supportdesk.tickets.models import Message
from tests.peers import LiveServer, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_FRONTEND = Path(__file__).resolve().parents[3] / "frontend"
FRONTEND = Path(os.environ.get("SUPPORTDESK_TEST_FRONTEND") or REPO_FRONTEND)
# The test's tool, not the widget's: always this checkout's.
AXE = REPO_FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
FRAME_URL = re.compile(r"/widget/frame")

# Phones the widget was tried on, upright and held sideways.
PHONES = {"375x667": (375, 667), "360x740": (360, 740), "740x360": (740, 360)}


def _install(frontend: Path) -> None:
    """``npm ci`` when node_modules lacks a package the lock file names (or its version)."""

    def packages(lock: Path) -> dict[str, str]:
        if not lock.exists():
            return {}
        found = json.loads(lock.read_text())["packages"]
        return {
            path: entry.get("version", "")
            for path, entry in found.items()
            if path and not entry.get("optional")  # other platforms' binaries
        }

    wanted = packages(frontend / "package-lock.json")
    if not wanted.items() <= packages(frontend / "node_modules" / ".package-lock.json").items():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=frontend, check=True)


@functools.cache
def _build(frontend: Path) -> Path:
    """``npm run build`` of a private copy of ``frontend`` (sharing its node_modules), so that
    nobody else's build, in the same working tree, can empty the folder this run serves."""
    _install(frontend)
    tree = Path(tempfile.mkdtemp(prefix="supportdesk-widget-"))
    atexit.register(shutil.rmtree, tree, ignore_errors=True)
    ignore = shutil.ignore_patterns("node_modules", "dist")
    shutil.copytree(frontend, tree, ignore=ignore, dirs_exist_ok=True)
    (tree / "node_modules").symlink_to(frontend / "node_modules")
    out = tree / "dist"
    env = {**os.environ, "SUPPORTDESK_WEB_OUT": str(out)}
    build = subprocess.run(
        ["npm", "run", "build"], cwd=tree, capture_output=True, text=True, env=env
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return out


@pytest.fixture(scope="session", name="built_widget")
def built_widget_fixture() -> Path:
    """The widget as the code says, built once per test run."""
    if FRONTEND != REPO_FRONTEND:
        _install(REPO_FRONTEND)  # for axe-core
    return _build(FRONTEND)


class _HostPage(BaseHTTPRequestHandler):
    html = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(name="host_page")
def host_page_fixture(server: LiveServer, built_widget: Path) -> Iterator[Callable[..., str]]:
    """``host_page(locale, tall=False)``: the URL of a customer's page embedding the widget.

    A tall page has a hundred paragraphs (``#p0``...) to scroll through, and a link at the end.
    """
    server.app.config["FRONTEND_DIST"] = str(built_widget)
    servers: list[ThreadingHTTPServer] = []

    def make(locale: str = "zh-CN", tall: bool = False) -> str:
        filler = "".join(f"<p id='p{i}'>Paragraph {i} of our catalogue.</p>" for i in range(100))
        page = (
            "<!doctype html><html lang='en'><head><title>Shop</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
            f"<body><main><h1>Our shop</h1>{filler if tall else ''}"
            "<a id='host-link' href='#top'>Opening hours</a></main>"
            f'<script src="{server.url}/widget.js" data-locale="{locale}" async></script>'
            "</body></html>"
        )
        handler = type("HostPage", (_HostPage,), {"html": page.encode()})
        httpd = ThreadingHTTPServer(("localhost", free_port()), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://localhost:{httpd.server_address[1]}/"

    yield make
    for httpd in servers:
        httpd.shutdown()


@pytest.fixture(name="host_site")
def host_site_fixture(host_page: Callable[..., str]) -> str:
    """A short page embedding the widget in Chinese."""
    return host_page("zh-CN")


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    """Chromium, one per test module (each module that imports this has a fixture of its own,
    and two Playwright drivers cannot share the thread)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def phone(browser: Any, size: str) -> Any:
    """A page in a touch phone of ``size`` (a key of PHONES)."""
    width, height = PHONES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    return context.new_page()


def open_widget(page: Any, url: str) -> tuple[Any, Any]:
    """Goes to ``url``, taps the launcher; the frame as a locator and as a Playwright Frame."""
    page.goto(url)
    page.locator("#launcher").click()
    frame = page.frame_locator("iframe")
    frame.locator("#sd-app header").wait_for()
    handle = page.frame(url=FRAME_URL)
    assert handle is not None
    return frame, handle


def swipe(page: Any, x: float, y: float, distance: float) -> None:
    """A finger's swipe from (x, y), in real touch events: ``distance`` > 0 drags the content up
    (towards newer messages), < 0 down. (CDP's synthesized touch gestures do not reach frames.)"""
    cdp = page.context.new_cdp_session(page)
    steps = 15
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        point = {"x": x, "y": y - distance * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    page.wait_for_timeout(400)  # the fling settles


#: What is moving (a toast fading in, a drawer sliding open) is checked once it has come to
#: rest: axe reads half-faded text as too faint. Endless ones (spinners) never rest.
SETTLED = """() => Promise.all(document.getAnimations()
    .filter((a) => a.playState === "running" && a.effect
        && a.effect.getComputedTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => null)))"""


def axe_violations(target: Any) -> list[str]:
    """axe-core's violations on a page or frame at rest, one line each (rule, impact, where)."""
    target.evaluate(SETTLED)
    if not target.evaluate("typeof window.axe === 'object'"):
        target.add_script_tag(content=AXE.read_text())
    result = target.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]} {v['help']}"
        for v in result["violations"]
    ]


def converse(frame: Any, api: Any, mine: list[str], replies: list[str]) -> int:
    """The visitor sends ``mine`` through the composer (each stored before the next), then an
    agent answers with ``replies`` over the REST API; returns the chat's ticket id."""
    composer = frame.locator("#sd-composer")
    for index, body in enumerate(mine):
        composer.fill(body)
        composer.press("Enter")
        frame.locator("#sd-messages .msg--customer.is-sent").nth(index).wait_for()
    db.session.rollback()  # a fresh snapshot: the server stored them
    ticket_id = db.session.scalars(select(Message.ticket_id).order_by(Message.id)).first()
    assert ticket_id is not None
    for body in replies:
        assert api.post(f"/tickets/{ticket_id}/messages", json={"body": body}).status_code == 201
    if replies:
        frame.locator("#sd-messages .msg--agent").nth(len(replies) - 1).wait_for()
    return ticket_id
