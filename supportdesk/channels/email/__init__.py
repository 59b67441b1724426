"""E-mail: parse, thread and store inbound mail; send replies; poll IMAP.

Other channels send the desk's own mail through ``send_desk_mail``, imported when first
asked for: this package's listeners load with every process, the mail stack need not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from supportdesk.channels.email.desk_mail import send_desk_mail


def __getattr__(name: str) -> Any:
    if name == "send_desk_mail":
        from supportdesk.channels.email.desk_mail import send_desk_mail

        return send_desk_mail
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["send_desk_mail"]
