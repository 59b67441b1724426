"""Ticket refs (``SD-1042``): the name people give a ticket, derived from its id.

The one home of the ref's shape: the API's search, the reply address's token and
the ``[SD-1042]`` tag in a subject all read refs with these.
"""

from __future__ import annotations

import re

from supportdesk.core.settings import settings

#: refs start above the ids, so that the first ticket is not "SD-1"
REF_OFFSET = 1000
#: a ref as written anywhere (any prefix: a desk may have changed its own)
REF = r"[A-Za-z]+-\d{1,18}"
_NUMBER = re.compile(r"[A-Za-z]+-(\d{1,18})")


def ticket_ref(ticket_id: int) -> str:
    return f"{settings().ticket_ref_prefix}-{ticket_id + REF_OFFSET}"


def ticket_id_from_ref(ref: str) -> int | None:
    """``SD-1042`` -> 42, whatever the prefix; None if it is not a ref."""
    match = _NUMBER.fullmatch(ref.strip())
    return int(match.group(1)) - REF_OFFSET if match else None


def subject_refs(subject: str) -> list[str]:
    """The ``[SD-1042]`` tags in a subject that carry this desk's prefix."""
    prefix = settings().ticket_ref_prefix.upper()
    return [
        ref
        for ref in re.findall(rf"\[({REF})\]", subject)
        if ref.partition("-")[0].upper() == prefix
    ]
