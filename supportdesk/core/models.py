"""Column types shared by the domains' models."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, Enum
from sqlalchemy.dialects.postgresql import JSONB


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
