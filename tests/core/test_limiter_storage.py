"""A desk without Redis keeps its rate limits in this process, swept once a second."""

from __future__ import annotations

import threading
import time

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from supportdesk.core import limiter_storage


def test_a_desk_without_redis_limits_in_process_with_the_swept_storage(app):
    limiter = next(iter(app.extensions["limiter"]))

    assert app.config["RATELIMIT_STORAGE_URI"] == "supportdesk-memory://"
    assert isinstance(limiter.storage, limiter_storage.SweptMemoryStorage)


@pytest.mark.parametrize("strategy", [FixedWindowRateLimiter, MovingWindowRateLimiter])
def test_a_budget_refuses_past_its_limit_and_comes_back_when_its_window_ends(strategy):
    limiter = strategy(storage_from_string("supportdesk-memory://"))
    budget = parse("3 per second")

    spent = [limiter.hit(budget, "budget", "caller") for _ in range(5)]
    time.sleep(1.1)

    assert spent == [True, True, True, False, False]
    assert limiter.hit(budget, "budget", "caller")
    assert limiter.hit(budget, "budget", "someone else")


def test_a_burst_of_hits_starts_one_sweeper_not_one_per_hit(monkeypatch):
    started: list[threading.Timer] = []

    class CountedTimer(threading.Timer):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(limiter_storage.threading, "Timer", CountedTimer)
    storage = storage_from_string("supportdesk-memory://")
    limiter = FixedWindowRateLimiter(storage)
    budget = parse("1000 per minute")

    for n in range(500):
        limiter.hit(budget, "budget", f"caller {n % 50}")

    assert len(started) == 1
