"""Benchmark: the agents' workspace in a real browser, on a desk with 10,000 tickets.

Run from the repository root::

    .venv/bin/python tests/perf/workspace.py

Method:

1. A fresh SQLite file in a temporary directory (deleted afterwards), its schema from the
   real migrations, seeded with bulk inserts (``session.execute(insert(Model), rows)``):
   * 10,000 open tickets of 1,000 customers, each with its customer's first message and
     that message's timeline entry;
   * the newest ticket, "the long conversation", with 500 messages (inbound and outbound
     in turn, a note every tenth);
   * customer "Tess Timeline" with a 5,000-entry timeline: 100 of the tickets above are
     hers, 50 messages each.
2. The front ends built as the e2e tests build them (``tests/channels/chat/browser.py``:
   a private copy of ``frontend/``; ``SUPPORTDESK_TEST_FRONTEND`` builds another one), and
   served by ``supportdesk serve`` (``tests/peers.serve_process``).
3. Debian's chromium, headless, through Playwright; the agent signs in over the API (the
   session cookie is the browser context's), then the Performance API measures:
   * **initial JS**: every script the page fetched before the inbox showed its first row
     (``performance.getEntriesByType("resource")``), gzipped here at level 9 (the desk
     serves them uncompressed; a proxy in front compresses them);
   * **inbox first rows**: from navigation start to the first ticket row in the DOM;
   * **DOM rows at the 5,000th**: the list scrolled (page by page, as an agent's wheel
     would load them) until the 5,000th ticket is in view, then the rows in the DOM counted;
   * **ticket open** and **customer open**: from ``router.push`` in the running app (as a
     click in the inbox does) to the first ``[data-testid=message]`` /
     ``[data-testid=timeline-entry]`` on screen, the median of 5 opens. A page that never
     shows one (not built yet) prints "n/a".
4. PASS/MISS against the targets: JS < 250 KB gzipped, first rows < 1 s, DOM rows < 200,
   ticket and customer < 500 ms. The exit status is 1 when a target is missed (n/a is not
   a miss, and is said).

Timings are wall-clock on a shared machine: the load average is printed beside them.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import insert  # noqa: E402

from supportdesk.core.channels import Channel  # noqa: E402
from supportdesk.customers.identities import IdentityKind  # noqa: E402
from supportdesk.customers.models import Customer, Identity  # noqa: E402
from supportdesk.extensions import db  # noqa: E402
from supportdesk.tickets.models import AuthorKind, Direction, Message, Priority, Ticket  # noqa: E402
from supportdesk.tickets.status import Status  # noqa: E402
from supportdesk.timeline.models import EntryKind, TimelineEntry  # noqa: E402
from supportdesk.users.service import create_user  # noqa: E402
from tests.channels.chat.browser import CHROMIUM, CHROMIUM_ARGS, FRONTEND, _build  # noqa: E402
from tests.peers import serve_process  # noqa: E402
from tests.perf.bench import loadavg, make_app, verdict  # noqa: E402

# The world
TICKETS = 10_000
CUSTOMERS = 1_000
LONG_CONVERSATION = 500  # messages on the newest ticket
TIMELINE_TICKETS, TIMELINE_MESSAGES = 100, 50  # Tess's 5,000 entries
CHANNELS = (Channel.EMAIL, Channel.CHAT, Channel.PHONE, Channel.WEB)
START = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 5_000
AGENT = {"email": "bench@desk.example", "password": "benchmark-password"}

# The measurement
SCROLL_TO = 5_000
OPENS = 5
TARGET_JS_KB = 250
TARGET_FIRST_ROWS_MS = 1000
TARGET_DOM_ROWS = 200
TARGET_OPEN_MS = 500
WAIT_MS = 5000  # for a page that may not exist yet

SUBJECTS = (
    "Router keeps dropping the connection",
    "Refund for order not received",
    "Cannot log in after password reset",
    "Invoice shows the wrong address",
    "Parcel marked delivered but missing",
    "Question about my subscription renewal",
)
BODY = (
    "Hello, I have been trying to get this sorted since last week and it still does not work. "
    "Could you please have a look and tell me what to do next? Thanks a lot."
)


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _insert(model: type[Any], rows: Iterable[dict[str, Any]]) -> None:
    for batch in _batches(rows):
        db.session.execute(insert(model), batch)


class Seeder:
    """Rows with explicit ids, in time order: tickets, then messages and timeline entries."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []

    def message(self, ticket: dict[str, Any], at: datetime, direction: Direction, n: int) -> None:
        inbound = direction is Direction.INBOUND
        message_id = len(self.messages) + 1
        self.messages.append(
            {
                "id": message_id,
                "ticket_id": ticket["id"],
                "channel": ticket["channel"],
                "direction": direction,
                "author_kind": AuthorKind.CUSTOMER if inbound else AuthorKind.AGENT,
                "author_user_id": None if inbound else 1,
                "author_customer_id": ticket["customer_id"] if inbound else None,
                "author_name": "Customer" if inbound else "Bench Agent",
                "body": f"{BODY} ({n})",
                "body_html": f"<p>{BODY} ({n})</p>",
                "created_at": at,
            }
        )
        if direction is not Direction.INTERNAL:
            self.entries.append(
                {
                    "id": len(self.entries) + 1,
                    "customer_id": ticket["customer_id"],
                    "ticket_id": ticket["id"],
                    "kind": EntryKind.MESSAGE,
                    "channel": ticket["channel"],
                    "occurred_at": at,
                    "message_id": message_id,
                    "call_id": None,
                    "event_id": None,
                }
            )


def seed(app: Any) -> dict[str, int]:
    """The world, in one transaction; the ids the measurements open."""
    with app.app_context():
        create_user(db.session, name="Bench Agent", role="agent", **AGENT)
        customers = [
            {
                "id": n,
                "name": "Tess Timeline" if n == 1 else f"Customer {n}",
                "locale": "en",
                "created_at": START,
                "updated_at": START,
                "merged_into_id": None,
            }
            for n in range(1, CUSTOMERS + 1)
        ]
        _insert(Customer, customers)
        _insert(
            Identity,
            (
                {
                    "id": n,
                    "customer_id": n,
                    "kind": IdentityKind.EMAIL,
                    "value": f"customer{n}@mail.example",
                    "verified": True,
                    "created_at": START,
                }
                for n in range(1, CUSTOMERS + 1)
            ),
        )
        tickets = []
        for n in range(1, TICKETS + 1):
            # Tess has every hundredth ticket (not the newest: the long conversation)
            tess = n % (TICKETS // TIMELINE_TICKETS) == TICKETS // TIMELINE_TICKETS // 2
            customer_id = 1 if tess else 2 + n % (CUSTOMERS - 1)
            at = START + timedelta(minutes=n)
            tickets.append(
                {
                    "id": n,
                    "subject": f"{SUBJECTS[n % len(SUBJECTS)]} #{n}",
                    "status": Status.OPEN,
                    "priority": Priority.NORMAL,
                    "channel": CHANNELS[n % len(CHANNELS)],
                    "customer_id": customer_id,
                    "assignee_id": None,
                    "follow_up_of_id": None,
                    "created_at": at,
                    "updated_at": at,
                    "first_response_due_at": None,
                    "resolution_due_at": None,
                }
            )
        _insert(Ticket, tickets)
        seeder = Seeder()
        for ticket in tickets:
            count = TIMELINE_MESSAGES if ticket["customer_id"] == 1 else 1
            if ticket["id"] == TICKETS:
                count = LONG_CONVERSATION
            for n in range(count):
                direction = (Direction.INBOUND, Direction.OUTBOUND)[n % 2]
                if n % 10 == 9 and ticket["customer_id"] != 1:  # notes are not on timelines
                    direction = Direction.INTERNAL
                at = ticket["created_at"] + timedelta(seconds=n)
                seeder.message(ticket, at, direction, n)
        _insert(Message, seeder.messages)
        _insert(TimelineEntry, seeder.entries)
        db.session.commit()
        timeline = sum(1 for entry in seeder.entries if entry["customer_id"] == 1)
        print(
            f"seeded {len(tickets):,} tickets, {len(seeder.messages):,} messages, "
            f"{len(seeder.entries):,} timeline entries ({timeline:,} of Tess Timeline)"
        )
    return {"ticket": TICKETS, "customer": 1}


# ---------------------------------------------------------------------------- the browser

# Set before the app's scripts run: the moment the first ticket row enters the DOM.
FIRST_ROWS = """
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid=ticket-row]')) {
    window.__firstRows = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""

# Pushes a route in the running app; resolves with the ms until `selector` is on screen
# (after the frame that paints it), or null after WAIT_MS.
OPEN = """
async ([path, selector, wait]) => {
  const router = document.querySelector('#app').__vue_app__.config.globalProperties.$router;
  await router.push('/');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = performance.now();
  const shown = new Promise((resolve) => {
    const check = () => document.querySelector(selector) && (observer.disconnect(), resolve(true));
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true });
    setTimeout(() => (observer.disconnect(), resolve(false)), wait);
    router.push(path).then(check);
  });
  if (!(await shown)) return null;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}
"""


def initial_js(page: Any) -> dict[str, int]:
    """Every script fetched before the first rows showed: its path and gzipped size."""
    urls = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .filter((r) => r.startTime <= window.__firstRows)
            .map((r) => r.name)
            .filter((name) => new URL(name).pathname.endsWith('.js'))"""
    )
    sizes = {}
    for url in sorted(set(urls)):
        body = requests.get(url, timeout=10).content
        sizes[urlsplit(url).path] = len(gzip.compress(body, compresslevel=9))
    return sizes


def dom_rows_at(page: Any, index: int) -> tuple[int, float]:
    """Scrolls the inbox until row ``index`` (0-based) is in view; the rows in the DOM then,
    and the seconds it took (every page on the way is fetched, as an agent scrolling)."""
    started = time.perf_counter()
    page.evaluate(
        """async (index) => {
          const list = document.querySelector('[data-testid=ticket-list]');
          const rowHeight = 56;
          for (let round = 0; round < 2000; round += 1) {
            list.scrollTop = Math.min(index * rowHeight, list.scrollHeight);
            await new Promise((resolve) => setTimeout(resolve, 30));
            if (list.scrollHeight > index * rowHeight + list.clientHeight) {
              list.scrollTop = index * rowHeight;
              await new Promise((resolve) => setTimeout(resolve, 100));
              return;
            }
          }
        }""",
        index,
    )
    wanted = TICKETS - index  # newest first: the ids count down from TICKETS
    page.locator(f'[data-testid="ticket-row"][data-ticket-id="{wanted}"]').wait_for()
    return page.locator('[data-testid="ticket-row"]').count(), time.perf_counter() - started


def median_open(page: Any, path: str, selector: str) -> float | None:
    times = []
    for _ in range(OPENS):
        ms = page.evaluate(OPEN, [path, selector, WAIT_MS])
        if ms is None:
            return None
        times.append(ms)
    return statistics.median(times)


def measure(base: str, ids: dict[str, int]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
        signed_in = context.request.post(f"{base}/api/v1/session", data=AGENT)
        assert signed_in.ok, signed_in.text()
        page = context.new_page()
        page.add_init_script(FIRST_ROWS)
        # one untimed visit: the server's first requests (imports, caches) are not the page's
        page.goto(base + "/")
        page.locator('[data-testid="ticket-row"]').first.wait_for(timeout=20_000)
        page.goto(base + "/")
        page.locator('[data-testid="ticket-row"]').first.wait_for(timeout=20_000)
        first_rows = page.evaluate("window.__firstRows")
        scripts = initial_js(page)
        rows, scroll_seconds = dom_rows_at(page, SCROLL_TO - 1)
        ticket = median_open(page, f"/tickets/{ids['ticket']}", '[data-testid="message"]')
        customer = median_open(
            page, f"/customers/{ids['customer']}", '[data-testid="timeline-entry"]'
        )
        browser.close()
    return {
        "scripts": scripts,
        "first_rows": first_rows,
        "rows": rows,
        "scroll_seconds": scroll_seconds,
        "ticket": ticket,
        "customer": customer,
    }


def report(figures: dict[str, Any]) -> bool:
    def line(name: str, value: float | None, unit: str, target: float, note: str = "") -> bool:
        if value is None:
            print(f"  {name:<34} {'n/a':>9}          (the page shows no such element yet)")
            return True
        ok = value < target
        print(f"  {name:<34} {value:>9.1f} {unit:<3} < {target:g} {unit}  {verdict(ok)}{note}")
        return ok

    print(f"\nload average before the browser: {figures['load']}; {os.cpu_count()} CPUs")
    scripts = figures["scripts"]
    for path, size in sorted(scripts.items(), key=lambda item: -item[1]):
        print(f"  {path:<60} {size / 1024:>7.1f} KB gzipped")
    count = f"  ({len(scripts)} scripts)"
    results = [
        line("initial JS, gzipped", sum(scripts.values()) / 1024, "KB", TARGET_JS_KB, count),
        line("inbox: first rows", figures["first_rows"], "ms", TARGET_FIRST_ROWS_MS),
        line(
            f"inbox: DOM rows at the {SCROLL_TO:,}th",
            figures["rows"],
            "",
            TARGET_DOM_ROWS,
            f"  (scrolled there in {figures['scroll_seconds']:.1f} s)",
        ),
        line(
            f"ticket with {LONG_CONVERSATION} messages: open",
            figures["ticket"],
            "ms",
            TARGET_OPEN_MS,
        ),
        line("customer, 5,000-entry timeline: open", figures["customer"], "ms", TARGET_OPEN_MS),
    ]
    return all(results)


def main() -> int:
    from flask_migrate import upgrade

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ.setdefault("SUPPORTDESK_SECRET_KEY", "perf-benchmark")
    print(f"building the front ends from {FRONTEND} ...")
    built = _build(FRONTEND)
    with tempfile.TemporaryDirectory(prefix="supportdesk-perf-") as directory:
        url = f"sqlite:///{Path(directory) / 'workspace.db'}"
        app = make_app(url)
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        ids = seed(app)
        print(f"seeded in {time.perf_counter() - started:.1f} s")
        with app.app_context():
            db.engine.dispose()
        env = {
            **os.environ,
            "SUPPORTDESK_INSTANCE_PATH": directory,
            "SUPPORTDESK_DATABASE_URL": url,
            "SUPPORTDESK_FRONTEND_DIST": str(built),
            "SUPPORTDESK_RATE_LIMIT_DEFAULT": "1000000 per minute",
        }
        with serve_process(env) as base:
            load = loadavg()
            figures = measure(base, ids)
    return 0 if report({**figures, "load": load}) else 1


if __name__ == "__main__":
    sys.exit(main())
