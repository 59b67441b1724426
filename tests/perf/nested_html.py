"""Benchmark: reading HTML mail nested N deep, for N from 10 thousand to 10 million tags.

Run from the repository root::

    .venv/bin/python tests/perf/nested_html.py [--max 10000000]

Each size is an HTML-only message of ``"<div>" * N`` + a sentence + ``"</div>" * N`` (11 bytes
per level), parsed with ``parse_email`` as the ingest pipeline does (sanitizing included). The
figures show whether reading grows linearly with the size: the time per MB should stay about
flat from one row to the next. Before nesting was bounded, 400 KB took 10-18 s and 10 MB did
not finish. PASS when the largest size costs at most 3 times per MB what 100 KB costs.
"""

from __future__ import annotations

import argparse
import sys
import time
from email.message import EmailMessage
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from supportdesk.channels.email.parse import parse_email  # noqa: E402


def tower(levels: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Mei Lin <mei@example.com>"
    mail["To"] = "support@desk.example"
    mail["Subject"] = f"{levels} levels deep"
    mail.set_content("<div>" * levels + "Still there?" + "</div>" * levels, subtype="html")
    return bytes(mail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=10_000_000, help="the deepest N (tags)")
    args = parser.parse_args()
    sizes = [n for n in (10_000, 100_000, 1_000_000, 10_000_000) if n <= args.max]
    per_mb: dict[int, float] = {}
    print(f"{'levels':>10} {'MB':>8} {'seconds':>9} {'s per MB':>9}")
    for levels in sizes:
        raw = tower(levels)
        started = time.perf_counter()
        parsed = parse_email(raw)
        took = time.perf_counter() - started
        assert "Still there?" in parsed.text
        megabytes = len(raw) / 1e6
        per_mb[levels] = took / megabytes
        print(f"{levels:>10} {megabytes:>8.1f} {took:>9.3f} {per_mb[levels]:>9.3f}")
    base = per_mb.get(100_000) or per_mb[sizes[0]]
    linear = max(per_mb.values()) <= 3 * base
    print("PASS: linear" if linear else "MISS: reading grows faster than the size")
    return 0 if linear else 1


if __name__ == "__main__":
    sys.exit(main())
