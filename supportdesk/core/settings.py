"""The desk's settings as domain code reads them: one typed object per app.

``config.py`` turns the environment into Flask's config; ``create_app`` wraps that in
a ``Settings`` (``app.extensions``), and services read ``settings().smtp_url`` rather
than ``current_app.config["SMTP_URL"]``: a typo is a type error, not a ``KeyError``
at run time, and every setting a domain depends on is listed here once.

The object reads the app's config when asked, so a setting changed after start-up
(a test's ``monkeypatch``, ``supportdesk demo`` recording its outbox) is seen at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

_EXTENSION = "supportdesk.settings"


class Settings:
    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = config

    def _str(self, key: str) -> str:
        return str(self._config[key])

    def _optional(self, key: str) -> str | None:
        value = self._config.get(key)
        return str(value) if value else None

    # -- the desk
    @property
    def secret_key(self) -> bytes:
        """The key of every HMAC the desk signs with (reply addresses, codes)."""
        return self._str("SECRET_KEY").encode()

    @property
    def desk_name(self) -> str:
        return self._str("DESK_NAME")

    @property
    def public_url(self) -> str | None:
        """The desk's address as customers reach it, for links in its mail (else None)."""
        return self._optional("PUBLIC_URL")

    @property
    def ticket_ref_prefix(self) -> str:
        return self._str("TICKET_REF_PREFIX")

    @property
    def default_phone_region(self) -> str:
        return self._str("DEFAULT_PHONE_REGION")

    @property
    def frontend_dist(self) -> str:
        return self._str("FRONTEND_DIST")

    @property
    def rate_limits_enabled(self) -> bool:
        return bool(self._config["RATELIMIT_ENABLED"])

    # -- e-mail
    @property
    def support_address(self) -> str:
        return self._str("SUPPORT_ADDRESS")

    @property
    def smtp_url(self) -> str | None:
        return self._optional("SMTP_URL")

    @property
    def imap_url(self) -> str | None:
        return self._optional("IMAP_URL")

    @property
    def inbound_email_token(self) -> str | None:
        return self._optional("INBOUND_EMAIL_TOKEN")

    @property
    def email_max_bytes(self) -> int:
        return int(self._config["EMAIL_MAX_BYTES"])

    @property
    def email_parse_seconds(self) -> float:
        return float(self._config["EMAIL_PARSE_SECONDS"])

    @property
    def email_sender_rate_limit(self) -> str:
        return self._str("EMAIL_SENDER_RATE_LIMIT")

    @property
    def email_hook_rate_limit(self) -> str:
        return self._str("EMAIL_HOOK_RATE_LIMIT")

    @property
    def email_acknowledge_new_tickets(self) -> bool:
        return bool(self._config["EMAIL_ACKNOWLEDGE_NEW_TICKETS"])

    # -- chat
    @property
    def widget_secret(self) -> str | None:
        return self._optional("WIDGET_SECRET")

    @property
    def chat_max_message_chars(self) -> int:
        return int(self._config["CHAT_MAX_MESSAGE_CHARS"])

    @property
    def chat_message_rate_limit(self) -> str:
        return self._str("CHAT_MESSAGE_RATE_LIMIT")

    @property
    def chat_email_rate_limit(self) -> str:
        return self._str("CHAT_EMAIL_RATE_LIMIT")

    @property
    def chat_email_recipient_rate_limit(self) -> str:
        return self._str("CHAT_EMAIL_RECIPIENT_RATE_LIMIT")

    @property
    def chat_email_client_rate_limit(self) -> str:
        return self._str("CHAT_EMAIL_CLIENT_RATE_LIMIT")

    # -- the knowledge base
    @property
    def kb_vote_rate_limit(self) -> str:
        """Votes on articles per client address."""
        return self._str("KB_VOTE_RATE_LIMIT")

    @property
    def web_request_rate_limit(self) -> str:
        """Help center requests per client address."""
        return self._str("WEB_REQUEST_RATE_LIMIT")

    # -- the customer portal
    @property
    def portal_link_rate_limit(self) -> str:
        """Sign-in links mailed to one address."""
        return self._str("PORTAL_LINK_RATE_LIMIT")

    @property
    def portal_link_client_rate_limit(self) -> str:
        """Sign-in links one client address may ask for."""
        return self._str("PORTAL_LINK_CLIENT_RATE_LIMIT")

    @property
    def portal_reply_rate_limit(self) -> str:
        """Replies (and requests) one signed-in customer may send."""
        return self._str("PORTAL_REPLY_RATE_LIMIT")

    # -- the API
    @property
    def upload_max_bytes(self) -> int:
        """The largest file an agent may upload for a reply."""
        return int(self._config["UPLOAD_MAX_BYTES"])

    @property
    def login_rate_limit(self) -> str:
        return self._str("RATELIMIT_LOGIN")

    @property
    def default_rate_limit(self) -> str:
        return self._str("RATELIMIT_DEFAULT")


def init_app(app: Any) -> None:
    app.extensions[_EXTENSION] = Settings(app.config)


def settings() -> Settings:
    """The current app's settings."""
    return current_app.extensions[_EXTENSION]
