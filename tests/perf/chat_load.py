"""Benchmark: live chat under load, on one server process.

Run from the repository root::

    .venv/bin/python tests/perf/chat_load.py [--visitors 100 1000] [--agents 2]
        [--rate 500] [--seconds 20] [--server gunicorn|serve]

Method, once per visitor count N:

1. A fresh SQLite database in a temporary folder (``SUPPORTDESK_DATABASE_URL`` may name
   a scratch PostgreSQL database instead: its schema ``public`` is DROPPED and recreated
   for each N), brought up by ``supportdesk db upgrade``;
   M agents made with ``supportdesk create-user`` and ``create-token``.
2. One server process, started by the README's production command (``--server gunicorn``,
   the default: gunicorn's gevent worker on ``supportdesk.wsgi``) or by its start command
   (``--server serve``: ``supportdesk serve``, a thread per socket), with the per-visitor
   message limit raised out of the way (the load sends faster than one person types).
3. M agents and N visitors connect as real Socket.IO clients over WebSocket
   (python-socketio's asyncio client, all in this process), 50 connects at a time.
   ``connected`` counts visitors that got their ``session``.
4. Load: for ``--seconds``, messages are sent at ``--rate`` per second in all, round-robin
   over the visitors, each with a unique ``client_id``; every message is a real chat
   message (stored, first one opens the visitor's ticket). Every time is counted from
   the message's scheduled moment (``n / rate`` after the start), not from when the
   client got round to sending it, so a server (or client) that falls behind shows as
   latency instead of hiding it. Delivery is that moment to each agent's
   ``message.created`` for it, on this process's clock; acks are timed the same way.
5. ``held`` counts visitors still connected after the load.

Prints, per N: connected and held counts, achieved messages/s (acked, over the time from
the first scheduled send to the last ack), ack p50/p99 and delivery p50/p99/max in ms,
the client's own lag (how late it got round to sending each message: a client that falls
behind inflates every figure, so it is printed beside them), messages lost (sent, never
acked or never delivered), and PASS/MISS against the targets:
every visitor held (N = 1,000 included), no message lost, the asked rate achieved (at least
97% of it: 425 of 500 messages/s is a MISS), and p99 delivery under 100 ms when the rate is
500 messages/s or more. Client and server share the machine's 2 cores; the load average is
printed beside the figures, and the client collects no garbage while it measures (its
pauses would count as the server's latency). The delivery p99 of each second of the load
shows when a tail grew. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import socketio

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.peers import SUPPORTDESK, gunicorn_command, serve_command, serve_process  # noqa: E402
from tests.perf.bench import loadavg, percentile, reset_postgres, verdict  # noqa: E402

CONNECT_BATCH = 50
SERVERS = {"gunicorn": gunicorn_command, "serve": serve_command}
BODY = re.compile(r"^bench (\d+)$")
#: the share of the asked rate a run must achieve
RATE_TOLERANCE = 0.97


@dataclass
class Figures:
    visitors: int
    connected: int = 0
    held: int = 0
    #: when each message was due to be sent (its scheduled moment), by number
    sent: dict[int, float] = field(default_factory=dict)
    #: how late the client got round to sending each message (ms): its own lag
    send_lag: list[float] = field(default_factory=list)
    acked: dict[int, float] = field(default_factory=dict)
    delivered: dict[int, list[float]] = field(default_factory=dict)
    seconds: float = 0.0


def _desk(env: dict[str, str], agents: int) -> list[str]:
    """Migrate the database and make the agents; their API tokens."""

    def run(*args: str) -> str:
        return subprocess.run(
            [*SUPPORTDESK, *args], env=env, check=True, capture_output=True, text=True
        ).stdout

    run("db", "upgrade")
    tokens = []
    for n in range(agents):
        email = f"agent{n}@bench.example"
        run("create-user", "--email", email, "--name", f"Agent {n}", "--password",
            "bench-password-1", "--role", "agent")  # fmt: skip
        tokens.append(run("create-token", "--email", email).strip().splitlines()[-1])
    return tokens


async def _agent(url: str, token: str, figures: Figures) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)

    @client.on("message.created", namespace="/agent")
    async def heard(message: dict) -> None:
        match = BODY.match(message.get("body", ""))
        if match:
            figures.delivered.setdefault(int(match[1]), []).append(time.perf_counter())

    await client.connect(url, namespaces=["/agent"], auth={"token": token},
                         transports=["websocket"], wait_timeout=30)  # fmt: skip
    return client


async def _visitor(url: str, figures: Figures) -> socketio.AsyncClient | None:
    client = socketio.AsyncClient(reconnection=False)
    ready = asyncio.Event()
    client.on("session", lambda _payload: ready.set(), namespace="/widget")
    try:
        await client.connect(url, namespaces=["/widget"], transports=["websocket"],
                             wait_timeout=30)  # fmt: skip
        await asyncio.wait_for(ready.wait(), 30)
    except (socketio.exceptions.ConnectionError, TimeoutError):
        return None
    figures.connected += 1
    return client


async def _send(client: socketio.AsyncClient, n: int, due: float, figures: Figures) -> None:
    figures.sent[n] = due
    figures.send_lag.append((time.perf_counter() - due) * 1000)
    try:
        ack = await client.call("message", {"body": f"bench {n}", "client_id": f"b{n}"},
                                namespace="/widget", timeout=30)  # fmt: skip
    except socketio.exceptions.TimeoutError:
        return
    if isinstance(ack, dict) and "id" in ack:
        figures.acked[n] = time.perf_counter()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection in this process while it measures: with a thousand clients
    it made a full collection every few seconds (65-730 ms each at load 5-6), and every
    message due meanwhile counted the pause as the server's latency. What the load makes
    in 20 s is collected afterwards."""
    gc.freeze()  # the clients, made before: never looked at again
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def _load(url: str, tokens: list[str], visitors: int, rate: int, seconds: int) -> Figures:
    figures = Figures(visitors)
    agents = [await _agent(url, token, figures) for token in tokens]
    clients: list[socketio.AsyncClient] = []
    for start in range(0, visitors, CONNECT_BATCH):
        batch = range(start, min(start + CONNECT_BATCH, visitors))
        connected = await asyncio.gather(*(_visitor(url, figures) for _ in batch))
        clients.extend(c for c in connected if c is not None)
    print(f"  {figures.connected} of {visitors} visitors connected", flush=True)

    pending = []
    with _collector_paused():
        began = time.perf_counter()
        for n in range(rate * seconds):
            due = began + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(_send(clients[n % len(clients)], n, due, figures)))
        await asyncio.gather(*pending)
    figures.seconds = max(figures.acked.values(), default=began) - began
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(
        len(figures.delivered.get(n, ())) < len(agents) for n in figures.acked
    ):
        await asyncio.sleep(0.1)
    figures.held = sum(1 for c in clients if c.connected)
    await asyncio.gather(*(c.disconnect() for c in [*clients, *agents]))
    return figures


def _report(figures: Figures, rate: int, agents: int) -> bool:
    acks = [(figures.acked[n] - figures.sent[n]) * 1000 for n in figures.acked]
    deliveries = [
        (at - figures.sent[n]) * 1000 for n, times in figures.delivered.items() for at in times
    ]
    lost = len(figures.sent) - sum(
        1 for n in figures.acked if len(figures.delivered.get(n, ())) == agents
    )
    achieved = len(figures.acked) / figures.seconds if figures.seconds else 0.0
    print(f"  held after the load: {figures.held} of {figures.visitors}")
    print(f"  messages: {len(figures.sent)} sent, {len(figures.acked)} acked, "
          f"{achieved:.1f}/s (asked {rate}/s, needs {RATE_TOLERANCE * rate:.0f}/s), "
          f"{lost} not delivered to every agent")  # fmt: skip
    if acks and deliveries:
        print(f"  ack ms: p50 {percentile(acks, 50):.1f}  p99 {percentile(acks, 99):.1f}")
        print(f"  delivery ms (visitor to agent): p50 {percentile(deliveries, 50):.1f}  "
              f"p99 {percentile(deliveries, 99):.1f}  max {max(deliveries):.1f}")  # fmt: skip
        lag = figures.send_lag
        print(f"  the client's own lag (sent after due), ms: p50 {percentile(lag, 50):.1f}  "
              f"p99 {percentile(lag, 99):.1f}")  # fmt: skip
        print("  delivery p99 ms by second of the load: " + " ".join(
            f"{p99:.0f}" for p99 in _p99_by_second(figures)))  # fmt: skip
    p99 = percentile(deliveries, 99) if len(deliveries) > 1 else float("inf")
    ok = figures.held == figures.visitors and lost == 0 and achieved >= RATE_TOLERANCE * rate
    if rate >= 500:
        ok = ok and p99 < 100
    print(f"  {verdict(ok)}  load average {loadavg()}")
    return ok


def _p99_by_second(figures: Figures) -> list[float]:
    """Delivery p99 of the messages due in each second of the load, to show when a tail grew."""
    began = min(figures.sent.values())
    seconds: dict[int, list[float]] = {}
    for n, times in figures.delivered.items():
        due = figures.sent[n]
        seconds.setdefault(int(due - began), []).extend((at - due) * 1000 for at in times)
    return [percentile(seconds[s], 99) for s in sorted(seconds)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--agents", type=int, default=2)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--server", choices=sorted(SERVERS), default="gunicorn")
    args = parser.parse_args()
    passed = True
    for visitors in args.visitors:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **os.environ,
                "SUPPORTDESK_INSTANCE_PATH": folder,
                "SUPPORTDESK_DATABASE_URL": os.environ.get(
                    "SUPPORTDESK_DATABASE_URL", f"sqlite:///{folder}/chat.db"
                ),
                "SUPPORTDESK_CHAT_MESSAGE_RATE_LIMIT": "1000000 per minute",
                "SUPPORTDESK_RATE_LIMIT_DEFAULT": "1000000 per minute",
            }
            if env["SUPPORTDESK_DATABASE_URL"].startswith("postgresql"):
                reset_postgres(env["SUPPORTDESK_DATABASE_URL"])
            tokens = _desk(env, args.agents)
            print(f"N = {visitors} visitors, M = {args.agents} agents, "
                  f"{args.rate} messages/s for {args.seconds} s "
                  f"(load average {loadavg()})", flush=True)  # fmt: skip
            with serve_process(env, SERVERS[args.server]) as url:
                figures = asyncio.run(_load(url, tokens, visitors, args.rate, args.seconds))
            passed = _report(figures, args.rate, args.agents) and passed
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
