"""The ticket status machine.

``new`` until someone works it; ``pending`` waits on the customer, ``on_hold`` on a
third party; ``solved`` can still be reopened; ``closed`` is final, and a later
reply starts a follow-up ticket instead.
"""

from __future__ import annotations

import enum

from supportdesk.core.errors import InvalidInput


class Status(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


WORKING = {Status.OPEN, Status.PENDING, Status.ON_HOLD}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset(WORKING | {Status.SOLVED}),
    Status.OPEN: frozenset({Status.PENDING, Status.ON_HOLD, Status.SOLVED}),
    Status.PENDING: frozenset({Status.OPEN, Status.ON_HOLD, Status.SOLVED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def check_transition(current: Status, target: Status) -> None:
    if target != current and target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none: the ticket is closed"
        message = f"A {current.value} ticket cannot become {target.value} (allowed: {allowed})."
        raise InvalidInput.field("status", message)


def after_customer_message(current: Status) -> Status:
    """A customer writing again means the ball is back with us."""
    if current in {Status.PENDING, Status.ON_HOLD, Status.SOLVED}:
        return Status.OPEN
    return current


def after_agent_reply(current: Status) -> Status:
    return Status.OPEN if current is Status.NEW else current
