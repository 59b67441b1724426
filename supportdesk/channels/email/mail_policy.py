"""The policy the desk writes its mail with: the standard library's default, with its
header classes made once.

``email.headerregistry.HeaderRegistry`` makes a new class (``type(...)``) for every
header it is asked for: each field a composed message sets, and each its parts'
``set_content`` writes, so about twenty per acknowledgement. The classes it makes for
a name are all alike; these are kept. The mail written is the same, byte for byte.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from typing import Any


class _HeaderClasses(HeaderRegistry):
    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


POLICY = policy.default.clone(header_factory=_HeaderClasses())


def new_mail() -> EmailMessage:
    """An empty message written with ``POLICY`` (its parts inherit it)."""
    return EmailMessage(policy=POLICY)
