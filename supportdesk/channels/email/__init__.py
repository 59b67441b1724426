"""E-mail: parse, thread and store inbound mail; send replies; poll IMAP."""
