"""Column types shared by the domains' models."""

from __future__ import annotations

import enum
from typing import Any, TypeAlias

from sqlalchemy import JSON, Enum
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, scoped_session


def str_enum(enum_class: type[enum.Enum]) -> Enum:
    """An enum stored as its value in a VARCHAR (no native type: adding a value needs no DDL)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


JSONType: Any = JSON().with_variant(JSONB(), "postgresql")

#: what services take: a session, or Flask-SQLAlchemy's scoped proxy to one
DbSession: TypeAlias = Session | scoped_session[Any]
