"""Visitors' messages are written by one thread per process, in batches (group commit).

Hundreds of socket handlers each opening a transaction would queue on SQLite's single
write lock (sleeping in its busy handler) or on PostgreSQL's connection pool. Instead a
handler hands its message to the writer and waits; the writer stores whatever has
queued up (up to ``BATCH``) in one transaction, commits once, and answers each handler.
A message is still stored before its acknowledgement: the answer comes after the commit.

If the batch fails as a whole (a message that cannot be stored, a retry racing on
another process), each of its messages is tried again alone, so one bad message never
costs the others.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from supportdesk.channels.chat import conversation, identity
from supportdesk.channels.chat.models import Visitor
from supportdesk.core.errors import NotFound
from supportdesk.extensions import db, socketio
from supportdesk.tickets.models import Message

log = logging.getLogger(__name__)
BATCH = 200
#: how long a handler waits for its message to be stored before it gives up (and the
#: widget retries with the same client id, which stores nothing twice)
TIMEOUT = 15.0


@dataclass(frozen=True)
class Posted:
    id: int
    created_at: datetime
    ticket_id: int
    #: ``Message.author``
    author: dict[str, Any]


@dataclass
class _Job:
    visitor_id: int
    body: str
    client_id: str
    done: Future[Posted] = field(default_factory=Future)

    @property
    def key(self) -> tuple[int, str]:
        return self.visitor_id, self.client_id


def _posted(message: Message) -> Posted:
    return Posted(message.id, message.created_at, message.ticket_id, message.author)


class MessageWriter:
    """One per app (``writer()``), so that each app writes to its own database."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._started = False

    def post(self, visitor_id: int, body: str, client_id: str) -> Posted:
        """Store the message (or find it, for a retried ``client_id``) and return it."""
        self._start()
        job = _Job(visitor_id, body, client_id)
        self._jobs.put(job)
        return job.done.result(TIMEOUT)

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                self._started = True
                socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            jobs = [self._jobs.get()]
            while len(jobs) < BATCH:
                try:
                    jobs.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            with self._app.app_context():
                try:
                    self._write_batch(jobs)
                except Exception:
                    db.session.rollback()
                    for job in jobs:
                        self._write_one(job)
                finally:
                    db.session.remove()

    def _write_batch(self, jobs: list[_Job]) -> None:
        session = db.session
        stored = conversation.already_posted(session, [job.key for job in jobs])
        visitors = {
            visitor.id: visitor
            for visitor in session.scalars(
                select(Visitor)
                .options(joinedload(Visitor.customer))
                .where(Visitor.id.in_({job.visitor_id for job in jobs}))
            )
        }
        customer_ids = {v.customer_id for v in visitors.values() if v.customer_id}
        chats = conversation.open_tickets(session, customer_ids)
        # the customers of visitors who write for the first time, made together
        writing = [visitors[job.visitor_id] for job in jobs if job.visitor_id in visitors]
        identity.customers_for(session, [v for v in writing if v.customer_id is None])
        answers: list[tuple[_Job, Message]] = []
        # Each message flushes itself (for its id); queries in between need not flush too.
        with session.no_autoflush:
            for job in jobs:
                if job.key not in stored:
                    visitor = visitors.get(job.visitor_id)
                    if visitor is None:
                        raise NotFound("This chat session has ended; reconnect.")
                    # a customer made just now has no open chat
                    chat = chats.get(visitor.customer_id) if visitor.customer_id else None
                    message = conversation.store(session, visitor, job.body, job.client_id, chat)
                    chats[message.ticket.customer_id] = message.ticket
                    stored[job.key] = message
                answers.append((job, stored[job.key]))
            session.flush()
        posted = [(job, _posted(message)) for job, message in answers]
        session.commit()
        for job, result in posted:
            job.done.set_result(result)

    def _write_one(self, job: _Job) -> None:
        try:
            self._write_batch([job])
        except Exception as error:
            db.session.rollback()
            if not isinstance(error, NotFound):
                log.exception("chat message from visitor %s not stored", job.visitor_id)
            job.done.set_exception(error)


def writer() -> MessageWriter:
    """This app's writer (made by ``runtime.init_app``)."""
    return current_app.extensions["supportdesk.chat_writer"]
