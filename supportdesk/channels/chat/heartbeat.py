"""Keeps this process's connections fresh in the shared presence table."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from supportdesk.channels.chat import presence
from supportdesk.extensions import db, socketio

log = logging.getLogger(__name__)


class Heartbeat:
    """Every ``presence.HEARTBEAT``, re-stamp the connections this process holds, and
    sweep the ones whose process died. One per app (``heartbeat()``), started by the
    app's first connection."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._sids: set[str] = set()
        self._lock = threading.Lock()
        self._started = False

    def track(self, sid: str) -> None:
        with self._lock:
            self._sids.add(sid)
            if not self._started:
                self._started = True
                socketio.start_background_task(self._run)

    def forget(self, sid: str) -> None:
        with self._lock:
            self._sids.discard(sid)

    def _run(self) -> None:
        while True:
            socketio.sleep(presence.HEARTBEAT.total_seconds())
            with self._lock:
                sids = list(self._sids)
            try:
                with self._app.app_context():
                    presence.heartbeat(db.session, sids)
                    presence.sweep(db.session)
                    db.session.commit()
            except Exception:  # the next beat tries again; a missed one costs nothing
                log.exception("presence heartbeat failed")


def heartbeat() -> Heartbeat:
    """This app's heartbeat (made by ``runtime.init_app``)."""
    return current_app.extensions["supportdesk.chat_heartbeat"]
