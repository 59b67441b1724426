"""The rate limiter's storage in a desk without Redis: limits' in-process memory storage,
swept for expired counters once a second instead of every 10 ms.

``limits.storage.MemoryStorage`` starts a 10 ms timer thread whenever a counter is
touched and the previous timer has ended, and that timer walks every key. At hundreds of
requests or chat messages a second, that was a thread started for every second request
and a walk over every visitor's counters a hundred times a second: 5-7% of the time a
ticket created through the API or a chat message costs (tests/perf/ticket_create.py,
tests/perf/chat_load.py). A counter's expiry is checked whenever it is read, so the
sweep only gives memory back, and once a second does that as well.

With ``SUPPORTDESK_REDIS_URL`` the limiter uses Redis instead, shared by every process.
"""

from __future__ import annotations

import threading

from limits.storage import MemoryStorage

#: seconds between sweeps of expired counters (limits' own storage: 0.01)
SWEEP_EVERY = 1.0
SCHEME = "supportdesk-memory"


class SweptMemoryStorage(MemoryStorage):
    """``memory://`` with one sweep a second (``supportdesk-memory://``)."""

    STORAGE_SCHEME = [SCHEME]  # limits registers storages by the schemes they name

    # MemoryStorage calls this (name-mangled) on every hit, to keep its sweeper going.
    def _MemoryStorage__schedule_expiry(self) -> None:
        if not self.timer.is_alive():
            sweep = self._MemoryStorage__expire_events  # type: ignore[attr-defined]
            self.timer = threading.Timer(SWEEP_EVERY, sweep)
            self.timer.daemon = True  # never what keeps a finished command alive
            self.timer.start()
