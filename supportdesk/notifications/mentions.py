"""Who an internal note mentions: ``@handle``, resolved against the active agents.

An agent's handles are their name without its spaces (``@AdaLovelace``, ``@王芳``) and
their e-mail address's local part (``@ada`` for ada@desk.example), compared
case-insensitively (Unicode case folding). An ``@`` right after a letter or digit is
part of an address, not a mention.

Chinese and Japanese are written without spaces, so a handle need not end where a word
ends: ``@王芳请看`` mentions 王芳. Where the longest handle that fits ends on a letter of
such a wide script it stands; any other handle must be followed by something that is not
a letter or digit (``@ada,`` and ``@ada.`` mention ada, ``@adam`` does not).
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from supportdesk.core.models import DbSession
from supportdesk.users.models import User


def handles(name: str, email: str) -> set[str]:
    """The handles an agent is mentioned by, folded for comparison."""
    found = {"".join(name.split()).casefold(), email.partition("@")[0].casefold()}
    return {handle for handle in found if handle}


def _wide(character: str) -> bool:
    """A letter of a script written without spaces between words (CJK, kana)."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def _ends_here(text: str, end: int, handle: str) -> bool:
    return end >= len(text) or not text[end].isalnum() or _wide(handle[-1])


def _handle_at(text: str, start: int, known: list[str]) -> str | None:
    """The longest known handle written at ``start`` (just after an ``@``)."""
    for handle in known:  # longest first
        if text.startswith(handle, start) and _ends_here(text, start + len(handle), handle):
            return handle
    return None


def written_handles(body: str, known: set[str]) -> set[str]:
    """The ``known`` (folded) handles ``body`` mentions."""
    text = body.casefold()
    longest_first = sorted(known, key=len, reverse=True)
    found = set()
    at = text.find("@")
    while at != -1:
        if at == 0 or not text[at - 1].isalnum():
            handle = _handle_at(text, at + 1, longest_first)
            if handle is not None:
                found.add(handle)
        at = text.find("@", at + 1)
    return found


def mentioned_agents(session: DbSession, body: str) -> list[int]:
    """The ids of the active agents ``body`` mentions (a handle two agents share
    mentions both), by id."""
    if "@" not in body:
        return []
    agents = session.execute(select(User.id, User.name, User.email).where(User.active)).all()
    by_handle: dict[str, set[int]] = {}
    for user_id, name, email in agents:
        for handle in handles(name, email):
            by_handle.setdefault(handle, set()).add(user_id)
    written = written_handles(body, set(by_handle))
    return sorted({user_id for handle in written for user_id in by_handle[handle]})
