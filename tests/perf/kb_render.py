"""Benchmark: rendering an article's Markdown stays linear in its size, whatever it holds.

Run from the repository root::

    .venv/bin/python tests/perf/kb_render.py

Each case is a body as long as an article may be (``BODY_MAX``), shaped to make a careless
parser backtrack (the cases of ``tests/knowledge/test_articles_rendering.py``). It is rendered
at half and at full length: PASS when the full length takes at most 3.5 times the half (linear
is 2) and under 5 seconds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from supportdesk.knowledge.rendering import render_markdown  # noqa: E402
from tests.knowledge.test_articles_rendering import PATHOLOGICAL  # noqa: E402


def seconds(text: str) -> float:
    started = time.perf_counter()
    render_markdown(text)
    return time.perf_counter() - started


def main() -> int:
    passed = True
    print(f"{'case':<10} {'half s':>8} {'full s':>8} {'ratio':>6}")
    for name, body in PATHOLOGICAL.items():
        half, full = seconds(body[: len(body) // 2]), seconds(body)
        ratio = full / max(half, 1e-6)
        ok = full < 5.0 and full < 3.5 * half + 0.05
        passed &= ok
        print(f"{name:<10} {half:>8.3f} {full:>8.3f} {ratio:>6.2f}  {'PASS' if ok else 'MISS'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
