"""The database handle every model and service shares (bound to the app in ``create_app``).

It lives in ``core`` so that core's own pieces (error handlers that roll back, the
registry of connected sockets) stand on nothing above them; ``supportdesk.extensions``
hands the same object to everyone else.
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
