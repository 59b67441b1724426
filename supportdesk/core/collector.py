"""Python's garbage collector, tuned for a long-running desk process (every entry point:
``supportdesk.wsgi``, ``supportdesk serve``, ``supportdesk worker``).

A full collection walks every tracked object; with the defaults it came every 3 s and
took 40 ms in a process holding a thousand live sockets, which put p99 chat delivery
over 100 ms (tests/perf/chat_load.py, N = 1,000) and an API call's p95 at 2-2.5 times
its p50 (tests/perf/timeline.py). Frozen, the app's own objects (modules, mappers,
schemas) are never walked again, and young collections a tenth as often make full ones
rare. Cycles are still collected.
"""

from __future__ import annotations

import gc

#: young collections after this many allocations (default 700); older ones as by default
THRESHOLDS = (10_000, 10, 10)


def tune_for_serving() -> None:
    """Call once the app is built, before serving: what exists now is kept for good."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
