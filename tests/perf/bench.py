"""What the benchmark scripts share: an app on a scratch database, and the statistics."""

from __future__ import annotations

import os
import statistics
from typing import Any

import sqlalchemy as sa
from flask import Flask

from supportdesk import create_app


def make_app(url: str, **overrides: Any) -> Flask:
    """The app on ``url``, with limits out of the way of a load test."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "perf-benchmark",
            "RATELIMIT_DEFAULT": "1000000 per minute",
            "RATELIMIT_LOGIN": "1000000 per minute",
            **overrides,
        }
    )


def bench_agent_token(session: Any) -> str:
    """The benchmark's agent (``bench@desk.example``, user 1 on a fresh desk) and an API
    token of theirs."""
    from supportdesk.users.service import create_token, create_user

    agent = create_user(
        session,
        email="bench@desk.example",
        name="Bench Agent",
        password="benchmark-password",
        role="agent",
    )
    return create_token(session, agent, "benchmark")


def reset_postgres(url: str) -> None:
    """Empty a scratch PostgreSQL database (its whole public schema)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def warm_language_model() -> None:
    """Load the model a new customer's locale is told by, as a running desk has it after
    its first new customer (once per process, 0.4 s here from py3langid's wheel): the
    e-mail measures time filing, not that. Call it in the app's context, so the model is
    also kept uncompressed for later runs (``customers.language``)."""
    from supportdesk.customers.language import detect_locale

    detect_locale("Warming up the language model before the timed messages.")


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def loadavg() -> str:
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
