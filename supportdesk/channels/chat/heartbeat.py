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
    sweep the ones whose process died. Started by the first connection."""

    def __init__(self) -> None:
        self._sids: set[str] = set()
        self._lock = threading.Lock()
        self._started = False

    def track(self, sid: str) -> None:
        with self._lock:
            self._sids.add(sid)
            if not self._started:
                self._started = True
                app = current_app._get_current_object()  # type: ignore[attr-defined]
                socketio.start_background_task(self._run, app)

    def forget(self, sid: str) -> None:
        with self._lock:
            self._sids.discard(sid)

    def _run(self, app: Flask) -> None:
        while True:
            socketio.sleep(presence.HEARTBEAT.total_seconds())
            with self._lock:
                sids = list(self._sids)
            try:
                with app.app_context():
                    presence.heartbeat(db.session, sids)
                    presence.sweep(db.session)
                    db.session.commit()
            except Exception:  # the next beat tries again; a missed one costs nothing
                log.exception("presence heartbeat failed")


heartbeat = Heartbeat()
