"""Background work on Huey: SQLite storage beside the database by default, Redis in production.

Tasks run inside an app context. Work that depends on a transaction is enqueued
*after* it commits (``core.transaction.after_commit``), so a worker never looks for a
row that is not there yet, and a rolled-back request enqueues nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context


@contextmanager
def _hidden(*modules: str) -> Iterator[None]:
    """Make ``import`` of ``modules`` fail, unless already imported, for as long as this
    lasts; afterwards they import as usual."""
    hidden = [name for name in modules if name not in sys.modules]
    sys.modules.update(dict.fromkeys(hidden))  # type: ignore[arg-type]  # None: ImportError
    try:
        yield
    finally:
        for name in hidden:
            del sys.modules[name]


#: huey imports them, when installed, for what the desk never uses (a PostgreSQL task
#: queue, greenlet workers): 0.07 s of every command's start (``tests/perf/startup.py``).
#: SQLAlchemy imports psycopg for a PostgreSQL database, gunicorn's worker gevent, as usual.
with _hidden("psycopg", "gevent"):
    from huey import Huey
    from huey.consumer import Consumer
    from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

F = TypeVar("F", bound=Callable[..., Any])
_app: Flask | None = None


class _SqliteQueue(SqliteStorage):
    """Huey's SQLite storage, synced as the desk's own database is (WAL, ``NORMAL``).

    Huey leaves SQLite's default, ``FULL``: an fsync on every enqueue, a third of a
    millisecond of waiting for each acknowledgement filed with its mail. ``NORMAL`` in WAL
    mode survives a crash of the process; only a power cut can lose the latest
    transactions, as it can the database's, and what a lost delivery task would have
    sent is still queued on its message (``retry_due_deliveries`` sends it).
    """

    def _create_connection(self) -> Any:
        connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


#: the desk's one task queue; its storage is chosen in ``init_app``: SQLite file, or Redis
huey = Huey("supportdesk", immediate=True, storage_class=MemoryStorage)


def init_app(app: Flask) -> None:
    global _app
    _app = app
    if app.config["TASKS_IMMEDIATE"]:
        huey.immediate = True  # run each task inline when it is enqueued (tests)
        return
    huey.immediate = False
    if app.config["REDIS_URL"]:
        huey.storage = RedisStorage(name="supportdesk", url=app.config["REDIS_URL"])
    else:
        path = Path(app.instance_path) / "tasks.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage = _SqliteQueue(name="supportdesk", filename=str(path))


def _in_app_context(function: F) -> F:
    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        app = current_app._get_current_object() if has_app_context() else _app  # type: ignore[attr-defined]
        assert app is not None, "supportdesk.create_app() binds the task queue"
        with app.app_context():
            return function(*args, **kwargs)

    return run  # type: ignore[return-value]


def task(**options: Any) -> Callable[[F], Any]:
    """A Huey task that runs in a fresh app context (its own database session)."""

    def decorate(function: F) -> Any:
        return huey.task(name=f"{function.__module__}.{function.__name__}", **options)(
            _in_app_context(function)
        )

    return decorate


def periodic_task(schedule: Any, **options: Any) -> Callable[[F], Any]:
    def decorate(function: F) -> Any:
        return huey.periodic_task(
            schedule, name=f"{function.__module__}.{function.__name__}", **options
        )(_in_app_context(function))

    return decorate


class _EmbeddedConsumer(Consumer):
    """A consumer that lives beside the web server: the server keeps its signals."""

    def _set_signal_handlers(self) -> None:
        pass


def start_embedded_worker(app: Flask) -> Consumer | None:
    """On the embedded defaults (no Redis), ``serve`` runs the tasks too: one command."""
    if huey.immediate or app.config["REDIS_URL"]:
        return None
    consumer = _EmbeddedConsumer(huey, workers=1, worker_type="thread", periodic=True)
    consumer.start()
    return consumer
