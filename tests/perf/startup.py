"""Benchmark: how fast the ``supportdesk`` command starts, and how much memory it takes.

Run from the repository root::

    .venv/bin/python tests/perf/startup.py [--runs 5] [--no-bytecode-cache]

An MTA runs ``supportdesk ingest-email`` once per message, and scripts run
``create-token``: their start-up is most of their cost.

Method:

1. A fresh SQLite database and instance folder in a temporary directory (deleted
   afterwards), brought up by ``supportdesk db upgrade``; an admin made by
   ``supportdesk create-user``.
2. Each of ``supportdesk --help``, ``supportdesk create-token --email <the admin>`` and
   ``supportdesk ingest-email --file <a small .eml>`` runs ``--runs`` times as a
   subprocess of the console script, in turn, after one warm-up run of each. Each must
   exit 0. ``ingest-email`` runs twice a turn: a new ticket from a customer the desk
   knows (a new Message-ID each run), and a new customer's first mail (a new sender
   too), which also tells the customer's language from the text (the warm-up's run
   keeps the language model, uncompressed, in the instance folder, as the first new
   sender after an installation does). ``ingest-email --url``
   (the mail gate) hands the known customer's kind of message to a ``supportdesk serve``
   started on the same database for the run (only the gate's process is measured).
3. ``time.perf_counter`` brackets each subprocess; GNU time (``/usr/bin/time``) gives
   its CPU time and peak RSS.
4. Print median and max wall time, median CPU time (user + system: less disturbed by
   other work on the machine than wall time) and max RSS per command, and PASS/MISS for
   the targets: median wall under 0.3 s for ``--help``, under 0.5 s for the others.

By default the subprocesses keep a bytecode cache in the temporary directory
(``PYTHONPYCACHEPREFIX``, ``PYTHONDONTWRITEBYTECODE`` unset), as an installed desk
has (pip compiles on install); ``--no-bytecode-cache`` runs them with the caller's
environment, compiling the desk's modules on every start if it says so.

Timings are wall-clock, so other work on the machine shows up in them: the load
average before timing is printed beside the figures.

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.peers import serve_process  # noqa: E402
from tests.perf.bench import loadavg, verdict  # noqa: E402

SUPPORTDESK = str(Path(sys.executable).with_name("supportdesk"))
GNU_TIME = "/usr/bin/time"
ADMIN = "startup-bench@desk.example"
#: median wall time a command must start, work and exit in
TARGETS = {
    "--help": 0.3,
    "create-token": 0.5,
    "ingest-email": 0.5,
    "ingest (new)": 0.5,
    "ingest-email --url": 0.5,
}


@dataclass
class Runs:
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    max_rss_kb: int = 0


def run(args: list[str], env: dict[str, str], scratch: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KB) of ``supportdesk *args``.

    GNU time reports the CPU and memory: a child of this process would count the
    memory of this one, which has imported SQLAlchemy, in its own peak.
    """
    usage = scratch / "usage"
    with (scratch / "out").open("wb") as out, (scratch / "err").open("wb") as err:
        started = time.perf_counter()
        done = subprocess.run(
            [GNU_TIME, "-f", "%U %S %M", "-o", str(usage), SUPPORTDESK, *args],
            env=env,
            stdout=out,
            stderr=err,
        )
        wall = time.perf_counter() - started
    if done.returncode != 0:
        problem = (scratch / "err").read_text(errors="replace").strip()
        raise SystemExit(f"supportdesk {' '.join(args)} exited {done.returncode}: {problem}")
    user, system, rss = usage.read_text().split()
    return wall, float(user) + float(system), int(rss)


def small_email(path: Path, sender: str = "carol@example.com") -> Path:
    """A new ticket's first message from ``sender``, under a new Message-ID."""
    message = EmailMessage()
    message["From"] = f"Carol Customer <{sender}>"
    message["To"] = "support@desk.example"
    message["Subject"] = "The router blinks red"
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content("Since this morning the router blinks red. What can I do?\n")
    path.write_bytes(message.as_bytes())
    return path


def new_sender() -> str:
    return f"customer-{uuid.uuid4().hex[:12]}@example.com"


def environment(scratch: Path, *, bytecode_cache: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "SUPPORTDESK_INSTANCE_PATH": str(scratch / "instance"),
        "SUPPORTDESK_DATABASE_URL": f"sqlite:///{scratch / 'startup.db'}",
        "SUPPORTDESK_SECRET_KEY": "startup-benchmark",
        "SUPPORTDESK_INBOUND_EMAIL_TOKEN": "startup-benchmark",
    }
    for name in ("SUPPORTDESK_REDIS_URL", "SUPPORTDESK_SMTP_URL", "SUPPORTDESK_IMAP_URL"):
        env.pop(name, None)  # the zero-setup desk: nothing to wait for on the network
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode-cache", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="supportdesk-startup-") as tmp, ExitStack() as desk:
        scratch = Path(tmp)
        env = environment(scratch, bytecode_cache=not options.no_bytecode_cache)
        run(["db", "upgrade"], env, scratch)
        run(
            ["create-user", "--email", ADMIN, "--name", "Bench", "--password", "bench-password",
             "--role", "admin"],
            env,
            scratch,
        )  # fmt: skip
        desk_url = desk.enter_context(serve_process(env))  # for the mail gate
        commands = {
            "--help": lambda: ["--help"],
            "create-token": lambda: ["create-token", "--email", ADMIN],
            "ingest-email": lambda: ["ingest-email", "--file", str(small_email(scratch / "x.eml"))],
            "ingest (new)": lambda: [
                "ingest-email",
                "--file",
                str(small_email(scratch / "y.eml", new_sender())),
            ],
            "ingest-email --url": lambda: [
                "ingest-email",
                "--url",
                desk_url,
                "--file",
                str(small_email(scratch / "z.eml")),
            ],
        }
        for args in commands.values():  # warm-up: the bytecode cache, the page cache
            run(args(), env, scratch)
        print(f"load average before timing: {loadavg()}")
        results = {name: Runs() for name in commands}
        for _ in range(options.runs):
            for name, args in commands.items():
                wall, cpu, rss = run(args(), env, scratch)
                results[name].walls.append(wall)
                results[name].cpus.append(cpu)
                results[name].max_rss_kb = max(results[name].max_rss_kb, rss)

    cache = "off" if options.no_bytecode_cache else "on"
    print(f"{options.runs} runs each, bytecode cache {cache}; load average after: {loadavg()}")
    print(f"{'command':<18} {'median':>8} {'max':>8} {'cpu med':>8} {'max RSS':>9}  target")
    missed = False
    for name, runs in results.items():
        median = statistics.median(runs.walls)
        ok = median < TARGETS[name]
        missed |= not ok
        print(
            f"{name:<18} {median:>7.3f}s {max(runs.walls):>7.3f}s "
            f"{statistics.median(runs.cpus):>7.3f}s {runs.max_rss_kb / 1024:>6.0f} MB  "
            f"{verdict(ok)} (< {TARGETS[name]} s)"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
