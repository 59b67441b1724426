"""Domain errors. Services raise these; the web layer turns them into problem+json.

They carry an HTTP status because every caller (API, CLI, Socket.IO) maps them the
same way, and keeping the mapping here means it exists once. Their title is the
status's (``core.api.status_title``); what went wrong goes in ``detail``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
S = TypeVar("S")


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


def referenced(session: S, field: str, lookup: Callable[[S, int], T], ident: int) -> T:
    """Look up an id given in a request body: a missing one is that field's error (422)."""
    try:
        return lookup(session, ident)
    except NotFound as error:
        raise InvalidInput.field(field, error.detail) from None


@contextmanager
def fields_under(name: str) -> Iterator[None]:
    """Input errors raised inside name their fields as the caller nested them.

    A rule checked on an object's ``email`` is, for a caller who sent that object as
    ``customer``, the error of ``customer.email``; one about ``customer`` stays its own.
    """
    try:
        yield
    except InvalidInput as error:
        errors = {
            key if key == name else f"{name}.{key}": messages
            for key, messages in (error.errors or {}).items()
        }
        raise InvalidInput(error.detail, errors=errors, **error.extra) from None


class TooManyRequests(DomainError):
    status = 429
