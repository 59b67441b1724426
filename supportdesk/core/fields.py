"""Marshmallow fields for input from outside, shared by every domain's schemas."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import marshmallow as ma
from werkzeug.routing import IntegerConverter

#: ids are 32-bit on PostgreSQL; a larger number can name nothing
MAX_ID = 2**31 - 1


class Text(ma.fields.String):
    """A string any database can store: no NUL characters, no lone surrogates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Must not contain NUL characters.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ma.ValidationError("Must be valid Unicode text.") from None
        return text


#: what ``Text`` refuses, stated in the document too (so generated clients know)
NO_NUL_PATTERN = r"^[^\u0000]*$"


def text(*, max_length: int, min_length: int = 0, **kwargs: Any) -> Text:
    metadata = {"pattern": NO_NUL_PATTERN, **kwargs.pop("metadata", {})}
    return Text(
        validate=ma.validate.Length(min=min_length, max=max_length), metadata=metadata, **kwargs
    )


def id_field(**kwargs: Any) -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


def query_id(**kwargs: Any) -> ma.fields.Integer:
    """An id in a query string: text by nature, so not ``strict`` like ids in JSON bodies."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


def aware_datetime(**kwargs: Any) -> ma.fields.AwareDateTime:
    """ISO 8601; a time without an offset is read as UTC."""
    return ma.fields.AwareDateTime(default_timezone=UTC, **kwargs)


class IdConverter(IntegerConverter):
    """``<id:ticket_id>``: a path id in the range ids can have (otherwise 404)."""

    def __init__(self, map: Any) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def id_converter_schema(_converter: Any) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
