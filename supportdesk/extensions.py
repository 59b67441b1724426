"""Extensions, created once and bound to the app in ``create_app``.

``db``, the task queue and CSRF protection are made in ``core`` (``core.database``,
``core.tasks``, ``core.auth``: core stands on nothing above it) and handed on here.
"""

from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO

from supportdesk.core.api import ProblemApi
from supportdesk.core.auth import csrf
from supportdesk.core.database import db
from supportdesk.core.errors import DomainError
from supportdesk.core.settings import settings
from supportdesk.core.tasks import huey


def _rate_limit_key() -> str:
    """A budget per caller: a signed-in agent or a token counts as its user, wherever
    it calls from; anonymous callers share their address's.

    The limiter asks before the view runs, so the caller is resolved here (Flask-Login
    keeps the answer for the view). A token that is not valid counts against its
    address, and the view answers 401 as usual.
    """
    from flask_login import current_user

    try:
        if current_user.is_authenticated:
            return f"user:{current_user.id}"
    except DomainError:
        pass
    return get_remote_address() or request.remote_addr or "unknown"


migrate = Migrate(render_as_batch=True, compare_type=True)
socketio = SocketIO()
login_manager = LoginManager()


def _default_limit() -> str:
    """Read per request: Flask-Limiter keeps the first app's setting otherwise."""
    return settings().default_rate_limit


__all__ = ["api", "csrf", "db", "huey", "limiter", "login_manager", "migrate", "socketio"]

limiter = Limiter(key_func=_rate_limit_key, default_limits=[_default_limit])
api = ProblemApi()
