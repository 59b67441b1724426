"""Settings from the environment: the only module that reads ``os.environ``.

Every setting has a zero-setup default (SQLite in the instance folder, in-process
Socket.IO and rate-limit storage) so ``supportdesk serve`` works on a fresh laptop.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_PREFIX = "SUPPORTDESK_"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def instance_path() -> str | None:
    """Where the SQLite file, the generated secret and the task queue live (default: ./instance)."""
    return _env("INSTANCE_PATH")


def inbound_email_token() -> str | None:
    """The inbound e-mail hook's bearer token; the mail gate reads it without an app."""
    return _env("INBOUND_EMAIL_TOKEN")


class Config:
    """Flask configuration built from ``SUPPORTDESK_*`` environment variables."""

    def __init__(self, instance_path: str) -> None:
        instance = Path(instance_path)
        self.SQLALCHEMY_DATABASE_URI = _env(
            "DATABASE_URL", f"sqlite:///{instance / 'supportdesk.db'}"
        )
        self.SECRET_KEY = _env("SECRET_KEY") or _instance_secret(instance)
        self.REDIS_URL = _env("REDIS_URL")
        # unset: the one `supportdesk demo` recorded (a local outbox), else no outgoing mail
        self.SMTP_URL = _env("SMTP_URL") or _instance_setting(instance, SMTP_URL_FILE)
        self.IMAP_URL = _env("IMAP_URL")
        self.INBOUND_EMAIL_TOKEN = inbound_email_token()
        self.SUPPORT_ADDRESS = _env("SUPPORT_ADDRESS", "support@localhost")
        # The desk's address as customers reach it (https://desk.example): links in its mail
        # (the portal's sign-in links) are built on it. Unset: the address a request came to,
        # which a forged Host header could change, so set it in production.
        self.PUBLIC_URL = _env("PUBLIC_URL")
        self.WIDGET_SECRET = _env("WIDGET_SECRET")
        self.TWILIO_AUTH_TOKEN = _env("TWILIO_AUTH_TOKEN")

        # Phone numbers written without a country code are read in this region.
        self.DEFAULT_PHONE_REGION = _env("DEFAULT_PHONE_REGION", "US")
        self.TICKET_REF_PREFIX = _env("TICKET_REF_PREFIX", "SD")
        # Inbound mail: the size we accept and how fast one sender may write.
        self.DESK_NAME = _env("DESK_NAME", "Supportdesk")
        self.EMAIL_ACKNOWLEDGE_NEW_TICKETS = _env("EMAIL_ACKNOWLEDGE_NEW_TICKETS", "1") == "1"
        self.EMAIL_MAX_BYTES = _env_int("EMAIL_MAX_BYTES", 25 * 1024 * 1024)
        # Reading one message may take this long (seconds); slower ones wait in the quarantine.
        self.EMAIL_PARSE_SECONDS = float(_env("EMAIL_PARSE_SECONDS") or 30)
        # Tests run background tasks inline; everywhere else the worker runs them.
        self.TASKS_IMMEDIATE = _env("TASKS_IMMEDIATE", "0") == "1"
        self.EMAIL_SENDER_RATE_LIMIT = _env("EMAIL_SENDER_RATE_LIMIT", "30 per 10 minutes")
        self.MAX_CONTENT_LENGTH = _env_int("MAX_REQUEST_BYTES", 1 * 1024 * 1024)
        # One file an agent uploads for a reply (POST /api/v1/uploads) may be this large.
        self.UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
        # how many reverse proxies in front set X-Forwarded-*: clients' addresses (rate
        # limits) and https links come from those headers only when this says so
        self.PROXY_HOPS = _env_int("PROXY_HOPS", 0)
        # Live chat: how long a message may be and how fast a visitor may write.
        self.CHAT_MAX_MESSAGE_CHARS = _env_int("CHAT_MAX_MESSAGE_CHARS", 5000)
        self.CHAT_MESSAGE_RATE_LIMIT = _env("CHAT_MESSAGE_RATE_LIMIT", "20 per minute")
        self.CHAT_EMAIL_RATE_LIMIT = _env("CHAT_EMAIL_RATE_LIMIT", "5 per hour")
        # ... and how much widget mail (codes, transcripts) one inbox gets, and one client
        # address may cause (fresh visitors cost nothing, so per visitor is not enough)
        self.CHAT_EMAIL_RECIPIENT_RATE_LIMIT = _env("CHAT_EMAIL_RECIPIENT_RATE_LIMIT", "5 per hour")
        self.CHAT_EMAIL_CLIENT_RATE_LIMIT = _env("CHAT_EMAIL_CLIENT_RATE_LIMIT", "20 per hour")
        # Knowledge base: how many "Was this helpful?" votes one client address may cast
        # (a reader rates a handful of articles; a script rates thousands)
        self.KB_VOTE_RATE_LIMIT = _env("KB_VOTE_RATE_LIMIT", "30 per minute")
        # Help center requests (the form, POST /portal/tickets): per client address; a
        # person writes a few, a spammer thousands
        self.WEB_REQUEST_RATE_LIMIT = _env("WEB_REQUEST_RATE_LIMIT", "10 per hour")
        # The portal's sign-in links: how many one inbox gets and one client address may
        # ask for (each is a mail to someone), and how fast a signed-in customer replies
        self.PORTAL_LINK_RATE_LIMIT = _env("PORTAL_LINK_RATE_LIMIT", "5 per hour")
        self.PORTAL_LINK_CLIENT_RATE_LIMIT = _env("PORTAL_LINK_CLIENT_RATE_LIMIT", "20 per hour")
        self.PORTAL_REPLY_RATE_LIMIT = _env("PORTAL_REPLY_RATE_LIMIT", "60 per hour")
        # Where the built front ends (npm run build) are served from: the package's web/
        # folder, which a wheel carries (config.py sits beside the package, installed or not).
        self.FRONTEND_DIST = _env(
            "FRONTEND_DIST", str(Path(__file__).resolve().parent / "supportdesk" / "web")
        )

        # Rate limits (Flask-Limiter notation). Storage follows REDIS_URL so that
        # several server processes share one budget; without it, this process's memory
        # (supportdesk.core.limiter_storage).
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "supportdesk-memory://"
        self.RATELIMIT_DEFAULT = _env("RATE_LIMIT_DEFAULT", "600 per minute")
        self.RATELIMIT_LOGIN = _env("RATE_LIMIT_LOGIN", "10 per minute")
        # The inbound mail hook's own budget (per sending address: the MTA or mail
        # provider), so a mail burst never eats the API's and the API's never drops mail.
        self.EMAIL_HOOK_RATE_LIMIT = _env("EMAIL_HOOK_RATE_LIMIT", "3000 per minute")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_ENABLED = _env("RATE_LIMIT_ENABLED", "1") != "0"

        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env("SESSION_COOKIE_SECURE", "0") == "1"

        # CSRF is checked by our auth layer (only for cookie sessions), with the
        # header the contract names.
        self.WTF_CSRF_CHECK_DEFAULT = False
        self.WTF_CSRF_HEADERS = ["X-CSRF-Token"]
        self.WTF_CSRF_TIME_LIMIT = None

        self.API_TITLE = "Supportdesk API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "v1/openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "docs"
        self.OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in vars(self).items() if key.isupper()}


#: the file in the instance folder where `supportdesk demo` records its local outbox
SMTP_URL_FILE = "smtp_url"


def _instance_setting(instance: Path, name: str) -> str | None:
    """A setting a command recorded in the instance folder (one line in a file ``name``)."""
    path = instance / name
    return (path.read_text().strip() or None) if path.is_file() else None


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept in the instance folder, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
