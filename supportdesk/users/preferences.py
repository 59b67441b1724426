"""What each agent's workspace remembers for them: the language it speaks, the time zone
it shows times in, and whether it rings when a chat comes in."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping
from typing import Any

from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.users.models import User

LOCALES = DESK_LOCALES


@functools.cache
def time_zones() -> frozenset[str]:
    """The IANA names this machine's tz database knows (read once: it walks the files)."""
    return frozenset(zoneinfo.available_timezones())


def update_preferences(session: DbSession, user: User, changes: Mapping[str, Any]) -> User:
    """Change any of ``locale``, ``time_zone`` and ``ring``; an unknown time zone is 422.

    A ``locale`` of None is a choice too: the workspace goes back to the browser's language.
    """
    if "time_zone" in changes and changes["time_zone"] not in time_zones():
        raise InvalidInput.field("time_zone", "Not an IANA time zone name (Asia/Shanghai).")
    for field in ("locale", "time_zone", "ring"):
        if field in changes:
            setattr(user, field, changes[field])
    session.flush()
    return user
