"""What the Socket.IO namespaces share: refusals as problems, and rate limits."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask import current_app
from flask_socketio import Namespace, emit
from limits import parse
from sqlalchemy.exc import IntegrityError

from supportdesk.core.api import flatten_errors, problem_body
from supportdesk.core.errors import Conflict, DomainError, InvalidInput, TooManyRequests
from supportdesk.extensions import db, limiter

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class EventNamespace(Namespace):
    """Dotted event names (``verify.start``) reach ``on_verify_start``."""

    def trigger_event(self, event: str, *args: Any) -> Any:
        return super().trigger_event(event.replace(".", "_"), *args)


def problem_of(error: DomainError) -> dict[str, Any]:
    """The RFC 9457 body for a refusal, as the REST API would answer it."""
    return problem_body(error.status, error.detail, errors=error.errors, **error.extra)


def answers_problems(handler: F) -> F:
    """A refused event acks ``{error: problem}`` and tells the client with ``problem``."""

    @functools.wraps(handler)
    def wrapper(self: Any, *args: Any) -> Any:
        try:
            return handler(self, *args)
        except DomainError as error:
            db.session.rollback()
            body = problem_of(error)
        except Exception:
            db.session.rollback()
            log.exception("socket event %s failed", handler.__name__)
            body = problem_body(500, "Something went wrong on our side. It has been logged.")
        event = handler.__name__.removeprefix("on_").replace("_", ".")
        emit("problem", {**body, "event": event})
        return {"error": body}

    return wrapper  # type: ignore[return-value]


def again_if_raced(action: Callable[[], T]) -> T:
    """Run ``action``, which commits; if it lost a race on a unique identity (two tabs
    signing in with one new id, two visitors proving one new address at once), roll
    back and run it once more: the second time it finds the winner's row.

    The loser hears of it either from the unique index (``IntegrityError``) or, when
    the winner committed between its lookup and its insert, from the identities'
    own check (``Conflict``)."""
    try:
        return action()
    except (IntegrityError, Conflict):
        db.session.rollback()
        return action()


def load(schema: type[ma.Schema], data: Any) -> dict[str, Any]:
    """The event's payload, or ``InvalidInput`` with the field errors."""
    try:
        return schema().load(data if data is not None else {})
    except ma.ValidationError as error:
        raise InvalidInput(
            "The event has invalid fields; see errors.", errors=flatten_errors(error.messages)
        ) from None


def throttle(setting: str, *keys: object) -> None:
    """Spend one unit of the budget named by the config ``setting`` for ``keys``."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    item = parse(current_app.config[setting])
    identifiers = [str(key) for key in keys]
    if not limiter.limiter.hit(item, setting, *identifiers):
        reset_at = limiter.limiter.get_window_stats(item, setting, *identifiers).reset_time
        retry_after = max(1, int(reset_at - time.time()))
        raise TooManyRequests(
            f"Slow down: try again in {retry_after} seconds.", retry_after=retry_after
        )
