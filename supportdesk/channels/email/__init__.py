"""E-mail: parse, thread and store inbound mail; send replies; poll IMAP.

Other channels send the desk's own mail through ``send_desk_mail``.
"""

from supportdesk.channels.email.desk_mail import send_desk_mail

__all__ = ["send_desk_mail"]
