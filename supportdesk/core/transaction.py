"""What a transaction carries until it ends: work for after its commit, and facts that
last as long as it does. The one after-commit mechanism of the desk.

Services only flush; the edge (a view, a socket handler, a task, a CLI command)
commits. Whatever must follow the commit, and only a commit (a task enqueued, a push
to browsers, a socket joined to a room), is queued here with ``after_commit``: a
rolled-back transaction runs none of it, and a worker never looks for a row that is
not there yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from supportdesk.core.models import DbSession

T = TypeVar("T")
_KEY = "supportdesk.transaction"
_UNPREPARED = object()


@dataclass
class _Job:
    run: Callable[..., Any]
    args: tuple[Any, ...]
    prepare: Callable[[], Any] | None
    prepared: Any = _UNPREPARED

    def __call__(self) -> None:
        if self.prepare is None:
            self.run(*self.args)
            return
        if self.prepared is _UNPREPARED:  # queued while the commit was already under way
            self.prepared = self.prepare()
        self.run(*self.args, self.prepared)


@dataclass
class _State:
    jobs: list[_Job] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _state(session: DbSession) -> _State:
    state = session.info.get(_KEY)
    if state is None:
        state = session.info[_KEY] = _State()
    return state


def after_commit(
    session: DbSession,
    job: Callable[..., Any],
    *args: Any,
    prepare: Callable[[], Any] | None = None,
) -> None:
    """Run ``job(*args)`` once ``session`` commits; forget it if the session rolls back.

    ``prepare`` runs just before the commit, while the transaction's rows can still be
    read without a query of their own, and what it returns is passed to ``job`` as its
    last argument (a push's payload is built from the rows it announces). Jobs run in
    the order they were queued.
    """
    _state(session).jobs.append(_Job(job, args, prepare))


def transaction_value(session: DbSession, name: str, factory: Callable[[], T]) -> T:
    """A value (``factory()`` the first time) that lives as long as the session's
    transaction: facts a service learnt that its listeners need before the commit."""
    values = _state(session).values
    if name not in values:
        values[name] = factory()
    return values[name]


@event.listens_for(Session, "before_commit")
def _prepare(session: Session) -> None:
    state = session.info.get(_KEY)
    if state is not None:
        for job in state.jobs:
            if job.prepare is not None and job.prepared is _UNPREPARED:
                job.prepared = job.prepare()


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    # Taken off first: a job may commit the session again (a task run inline), and that
    # commit runs what was queued since, not these once more.
    state = session.info.pop(_KEY, None)
    if state is not None:
        for job in state.jobs:
            job()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
