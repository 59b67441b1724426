"""Extensions, created once and bound to the app in ``create_app``."""

from __future__ import annotations

from flask import g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from huey import Huey
from huey.storage import MemoryStorage
from sqlalchemy.orm import DeclarativeBase

from supportdesk.core.api import ProblemApi


class Base(DeclarativeBase):
    pass


def _rate_limit_key() -> str:
    """Authenticated callers get their own budget; anonymous ones share their address's."""
    principal = getattr(g, "rate_limit_principal", None)
    return principal or get_remote_address() or request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=_rate_limit_key)
api = ProblemApi()
#: storage is chosen in create_app (core.tasks.init_app): SQLite file, or Redis
huey = Huey("supportdesk", immediate=True, storage_class=MemoryStorage)
