"""What every Socket.IO namespace's handlers share: dotted event names, payloads
validated like the REST API's bodies, refusals answered as problems.

Apart from ``core.sockets`` (pushes after a commit), which the listeners of every
process import: only a server's namespaces need Flask-SocketIO itself.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask_socketio import Namespace, emit

from supportdesk.core.api import flatten_errors, problem_body
from supportdesk.core.database import db
from supportdesk.core.errors import DomainError, InvalidInput

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


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


@functools.cache
def _instance(schema: type[ma.Schema]) -> ma.Schema:
    """One instance per schema, as the REST API's: a load keeps nothing on it, and
    making one cost more than twice the load of a chat message (every widget event)."""
    return schema()


def load(schema: type[ma.Schema], data: Any) -> dict[str, Any]:
    """The event's payload, or ``InvalidInput`` with the field errors."""
    try:
        return _instance(schema).load(data if data is not None else {})
    except ma.ValidationError as error:
        raise InvalidInput(
            "The event has invalid fields; see errors.", errors=flatten_errors(error.messages)
        ) from None
