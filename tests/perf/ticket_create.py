"""Benchmark: integrators creating tickets through the API, ``POST /api/v1/tickets``.

Run from the repository root::

    .venv/bin/python tests/perf/ticket_create.py [--tickets 2000] [--existing 1000|10000]
    .venv/bin/python tests/perf/ticket_create.py --tickets 500 --profile

Method:

1. A fresh SQLite file in a temporary directory (deleted afterwards), its schema from the
   real migrations (``flask_migrate.upgrade``); the app of ``bench.make_app``, whose rate
   limiter stays on (its real storage, with a budget no load test reaches), as an
   integrator with a token meets it.
2. An agent and their API token; 200 customers, each with an e-mail identity. With
   ``--existing N``, N tickets of those customers are seeded first with bulk inserts
   (``session.execute(insert(Model), rows)``), each with its first message, its events and
   their timeline entries, so that the growth from 1k to 10k tickets can be seen.
3. ``--tickets`` requests (after ``--warmup`` untimed ones), each a ``POST /api/v1/tickets``
   through the Flask test client with ``Authorization: Bearer <token>`` and the body an
   integrator sends: ``subject``, ``channel`` ``web``, ``customer: {email, name}`` (one of
   the 200 customers, or now and then an address the desk has not seen) and ``body``, the
   customer's first message; half the texts English, half Chinese.
   ``time.perf_counter`` brackets ``client.post`` only.
4. Prints tickets/s, p50/p95/p99 per request, the SQL statements one ticket costs (counted
   with a ``before_cursor_execute`` listener over every timed request), and PASS/MISS
   against 500 tickets/s. The process's CPU time per ticket is printed too: on a busy
   machine it moves much less than the wall clock does. ``--profile`` runs the timed
   requests under cProfile and prints the top 20 functions by own time and by
   cumulative time.

Timings are wall-clock on a shared machine: the load average is printed beside them. The
exit status is 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from supportdesk.core.channels import Channel  # noqa: E402
from supportdesk.customers.identities import IdentityKind  # noqa: E402
from supportdesk.customers.models import Customer, Identity  # noqa: E402
from supportdesk.extensions import db  # noqa: E402
from supportdesk.tickets.models import (  # noqa: E402
    AuthorKind,
    Direction,
    Message,
    Ticket,
    TicketEvent,
)
from supportdesk.timeline.models import EntryKind, TimelineEntry  # noqa: E402
from tests.perf.bench import bench_agent_token, loadavg, make_app, percentile, verdict  # noqa: E402
from tests.perf.desk_world import insert_rows, ticket_row  # noqa: E402

SEED = 20261203
CUSTOMERS = 200
NEW_CUSTOMER_EVERY = 20  # one request in 20 names a customer the desk has not seen
START = datetime(2026, 1, 1, tzinfo=UTC)
TARGET_PER_SECOND = 500

ENGLISH = (
    (
        "Router keeps dropping the connection",
        "My router drops the connection every evening "
        "around eight. I have restarted it twice and updated the firmware, still no luck.",
    ),
    (
        "Refund for order not received",
        "I returned the parcel two weeks ago and the refund "
        "has not arrived yet. The tracking number says it was delivered to your warehouse.",
    ),
    (
        "Invoice shows the wrong address",
        "The invoice for my last order shows my old "
        "address. Could you send me a corrected one? I need it for my tax return.",
    ),
)
CHINESE = (
    (
        "路由器总是断线",
        "我的路由器每天晚上八点左右就会断线。我已经重启了两次，也更新了固件，"
        "但问题还是没有解决。请帮我看一下。",
    ),
    (
        "退款还没有收到",
        "我两周前退回了包裹，但是退款还没有到账。物流信息显示已经送到你们的仓库了。",
    ),
    (
        "发票上的地址不对",
        "我上一个订单的发票上是我的旧地址。能不能给我重新开一张？我报税需要用。",
    ),
)


def _insert(model: type[Any], rows: Iterable[dict[str, Any]]) -> None:
    insert_rows(db.session, model, rows)


def _email(n: int) -> str:
    return f"customer{n}@mail.example"


def seed(app: Flask, existing: int) -> str:
    """The agent, the customers and ``existing`` tickets, in one transaction; the token."""
    with app.app_context():
        token = bench_agent_token(db.session)
        _insert(
            Customer,
            (
                {
                    "id": n,
                    "name": f"Customer {n}",
                    "locale": "en",
                    "created_at": START,
                    "updated_at": START,
                    "merged_into_id": None,
                }
                for n in range(1, CUSTOMERS + 1)
            ),
        )
        _insert(
            Identity,
            (
                {
                    "id": n,
                    "customer_id": n,
                    "kind": IdentityKind.EMAIL,
                    "value": _email(n),
                    "verified": True,
                    "created_at": START,
                }
                for n in range(1, CUSTOMERS + 1)
            ),
        )
        _seed_tickets(existing)
        db.session.commit()
    return token


def _seed_tickets(count: int) -> None:
    """``count`` tickets as the API leaves them: first message, ``created`` event, entries."""
    tickets, messages, events, entries = [], [], [], []
    for n in range(1, count + 1):
        customer_id = 1 + n % CUSTOMERS
        at = START + timedelta(minutes=n)
        subject, body = (ENGLISH + CHINESE)[n % 6]
        tickets.append(ticket_row(n, customer_id, subject, Channel.WEB, at))
        events.append(
            {
                "id": n,
                "ticket_id": n,
                "customer_id": customer_id,
                "event": "created",
                "actor_user_id": 1,
                "data": {"channel": "web"},
                "created_at": at,
            }
        )
        messages.append(
            {
                "id": n,
                "ticket_id": n,
                "channel": Channel.WEB,
                "direction": Direction.INBOUND,
                "author_kind": AuthorKind.CUSTOMER,
                "author_user_id": None,
                "author_customer_id": customer_id,
                "author_name": f"Customer {customer_id}",
                "body": body,
                "body_html": f"<p>{body}</p>",
                "created_at": at,
            }
        )
        common = {
            "customer_id": customer_id,
            "ticket_id": n,
            "occurred_at": at,
            "message_id": None,
            "call_id": None,
            "event_id": None,
        }
        entries.append(
            {
                **common,
                "id": 2 * n - 1,
                "kind": EntryKind.TICKET_EVENT,
                "channel": Channel.SYSTEM,
                "event_id": n,
            }
        )
        entries.append(
            {
                **common,
                "id": 2 * n,
                "kind": EntryKind.MESSAGE,
                "channel": Channel.WEB,
                "message_id": n,
            }
        )
    for model, rows in (
        (Ticket, tickets),
        (TicketEvent, events),
        (Message, messages),
        (TimelineEntry, entries),
    ):
        _insert(model, rows)


def bodies(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """What integrators send: half English, half Chinese; mostly known customers."""
    for n in range(count):
        subject, body = rng.choice(ENGLISH if n % 2 else CHINESE)
        if n % NEW_CUSTOMER_EVERY == NEW_CUSTOMER_EVERY - 1:
            email, name = f"new{n}-{rng.randrange(10**9)}@mail.example", f"New customer {n}"
        else:
            customer = rng.randint(1, CUSTOMERS)
            email, name = _email(customer), f"Customer {customer}"
        yield {
            "subject": f"{subject} ({n})",
            "channel": "web",
            "customer": {"email": email, "name": name},
            "body": body,
        }


def post_all(
    client: FlaskClient, payloads: Iterable[dict[str, Any]], headers: dict[str, str]
) -> list[float]:
    """Milliseconds per request; any answer but 201 breaks the benchmark."""
    samples = []
    for payload in payloads:
        start = time.perf_counter()
        response = client.post("/api/v1/tickets", json=payload, headers=headers)
        elapsed = time.perf_counter() - start
        if response.status_code != 201:
            raise SystemExit(f"benchmark broken: {response.status_code} {response.get_data()!r}")
        samples.append(elapsed * 1000)
    return samples


def print_profile(profile: cProfile.Profile) -> None:
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        print(f"\n-- top 20 by {title}")
        pstats.Stats(profile, stream=sys.stdout).strip_dirs().sort_stats(key).print_stats(20)


def benchmark(url: str, *, tickets: int, warmup: int, existing: int, profile: bool) -> bool:
    from flask_migrate import upgrade

    app = make_app(url)
    with app.app_context():
        upgrade()
        engine = db.engine
    token = seed(app, existing)
    print(f"seeded {CUSTOMERS} customers and {existing:,} tickets")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(SEED)
    post_all(client, bodies(warmup, rng), headers)

    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    payloads = list(bodies(tickets, rng))
    gc.collect()
    load = loadavg()
    event.listen(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile() if profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    samples = post_all(client, payloads, headers)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    event.remove(engine, "before_cursor_execute", count)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Ticket))
        engine.dispose()
    if stored != existing + warmup + tickets:
        raise SystemExit(f"benchmark broken: {stored} tickets stored")

    rate = tickets / seconds
    print(
        f"\n{tickets:,} x POST /api/v1/tickets after {warmup} warm-up ones "
        f"(load average before: {load}; {os.cpu_count()} CPUs"
        f"{'; under cProfile' if profile else ''})"
    )
    print(f"tickets/s            {rate:>8.1f}")
    for q in (50, 95, 99):
        print(f"p{q} per request (ms) {percentile(samples, q):>8.2f}")
    print(f"mean (ms)            {statistics.mean(samples):>8.2f}")
    print(f"CPU per ticket (ms)  {cpu_seconds * 1000 / tickets:>8.2f}")
    print(f"SQL statements/ticket {statements / tickets:>7.2f}")
    print(f"load average after: {loadavg()}")
    ok = rate >= TARGET_PER_SECOND
    print(f"\n{TARGET_PER_SECOND} tickets/s: {verdict(ok)} ({rate:.1f}/s)")
    if profiler:
        print_profile(profiler)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2_000, help="timed requests")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests first")
    parser.add_argument(
        "--existing",
        type=int,
        default=0,
        choices=(0, 1_000, 10_000),
        help="tickets seeded before the run",
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 20")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    # Config reads the environment; keep it from creating an instance secret file.
    os.environ.setdefault("SUPPORTDESK_SECRET_KEY", "perf-benchmark")
    with tempfile.TemporaryDirectory(prefix="supportdesk-perf-") as directory:
        url = f"sqlite:///{Path(directory) / 'tickets.db'}"
        ok = benchmark(
            url,
            tickets=args.tickets,
            warmup=args.warmup,
            existing=args.existing,
            profile=args.profile,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
