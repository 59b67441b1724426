"""The channels a conversation can travel on (contract section 2)."""

from __future__ import annotations

import enum


class Channel(enum.StrEnum):
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    WEB = "web"
    #: events the desk itself makes
    SYSTEM = "system"


CUSTOMER_CHANNELS = [c.value for c in Channel if c is not Channel.SYSTEM]
ALL_CHANNELS = [c.value for c in Channel]
