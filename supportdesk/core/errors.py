"""Domain errors. Services raise these; the web layer turns them into problem+json.

They carry an HTTP status because every caller (API, CLI, Socket.IO) maps them the
same way, and keeping the mapping here means it exists once. Their title is the
status's (``core.api.status_title``); what went wrong goes in ``detail``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule (an illegal status move, a bad phone)."""

    status = 422

    @classmethod
    def field(cls, field: str, message: str) -> InvalidInput:
        return cls(message, errors={field: [message]})


def referenced(field: str, lookup: Callable[[Any, int], T], ident: int) -> T:
    """Look up an id given in a request body: a missing one is that field's error (422)."""
    from supportdesk.extensions import db

    try:
        return lookup(db.session, ident)
    except NotFound as error:
        raise InvalidInput.field(field, error.detail) from None


class TooManyRequests(DomainError):
    status = 429
