"""Extensions, created once and bound to the app in ``create_app``.

``db``, the task queue and CSRF protection are made in ``core`` (``core.database``,
``core.tasks``, ``core.auth``: core stands on nothing above it) and handed on here.

Socket.IO, Flask-Migrate (Alembic), flask-smorest and Flask-Limiter are made on first use: every
module imports this one, and a console command such as ``ingest-email``, run once per
message by an MTA, should not pay for a WebSocket server, the migrations or the API
reference it does not use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from flask import request
from flask_login import LoginManager
from werkzeug.local import LocalProxy

from supportdesk.core.auth import csrf
from supportdesk.core.database import db
from supportdesk.core.errors import DomainError
from supportdesk.core.settings import settings
from supportdesk.core.tasks import huey

if TYPE_CHECKING:
    from flask_limiter import Limiter
    from flask_migrate import Migrate
    from flask_socketio import SocketIO

    from supportdesk.core.api import ProblemApi

T = TypeVar("T")


def _rate_limit_key() -> str:
    """A budget per caller: a signed-in agent or a token counts as its user, wherever
    it calls from; anonymous callers share their address's.

    The limiter asks before the view runs, so the caller is resolved here (Flask-Login
    keeps the answer for the view). A token that is not valid counts against its
    address, and the view answers 401 as usual.
    """
    from flask_limiter.util import get_remote_address
    from flask_login import current_user

    try:
        if current_user.is_authenticated:
            return f"user:{current_user.id}"
    except DomainError:
        pass
    return get_remote_address() or request.remote_addr or "unknown"


def _made_on_first_use(make: Callable[[], T]) -> T:
    """The one object ``make`` returns, made (and its library imported) when first used."""
    return LocalProxy(cache(make))  # type: ignore[return-value]


def _migrate() -> Migrate:
    from flask_migrate import Migrate

    return Migrate(render_as_batch=True, compare_type=True)


def _socketio() -> SocketIO:
    from flask_socketio import SocketIO

    return SocketIO()


def _limiter() -> Limiter:
    from flask_limiter import Limiter

    from supportdesk.core import limiter_storage  # noqa: F401 (its storage scheme, by name)

    return Limiter(key_func=_rate_limit_key, default_limits=[_default_limit])


def _api() -> ProblemApi:
    from supportdesk.core.api import ProblemApi

    return ProblemApi()


migrate: Migrate = _made_on_first_use(_migrate)
socketio: SocketIO = _made_on_first_use(_socketio)
api: ProblemApi = _made_on_first_use(_api)
limiter: Limiter = _made_on_first_use(_limiter)
login_manager = LoginManager()


def _default_limit() -> str:
    """Read per request: Flask-Limiter keeps the first app's setting otherwise."""
    return settings().default_rate_limit


__all__ = ["api", "csrf", "db", "huey", "limiter", "login_manager", "migrate", "socketio"]
