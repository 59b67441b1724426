"""JSON from outside, read so that no document can crash the reader.

``json.loads`` raises ``RecursionError`` on deep nesting (``[`` x 100,000) and a
plain ``ValueError`` on integers past Python's digit limit (4,300 digits); callers
expect neither, so both would end as a 500. Here both become ``JSONDecodeError``,
which Flask (``request.get_json``) and webargs (every ``@blp.arguments`` body)
answer as a 400 problem.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, NoReturn

import flask
import marshmallow as ma
from flask.json.provider import DefaultJSONProvider
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request


def loads_untrusted(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("Nested too deeply", _DOCUMENT, 0) from None
    except ValueError as error:  # "Exceeds the limit (4300 digits) for integer string ..."
        raise json.JSONDecodeError(str(error), _DOCUMENT, 0) from None


#: what the errors name as their document (never empty: webargs reads "" as "no body")
_DOCUMENT = "(the JSON given)"


class UntrustedJSONProvider(DefaultJSONProvider):
    """``app.json``: what ``request.get_json()`` uses."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_untrusted(s)


@cache
def _schema_of(schema_class: type[ma.Schema]) -> ma.Schema:
    return schema_class()


class BodyParser(FlaskParser):
    """webargs' Flask parser, reading bodies with ``loads_untrusted``, and one schema
    instance per schema class (as flask-smorest keeps for responses).

    webargs builds the schema again on every request when given its class, as
    ``@blp.arguments`` gives it: its fields deep-copied, its nested schemas built (half
    of reading a new ticket's body). A marshmallow 4 schema keeps no state between
    loads, so one instance serves every request.
    """

    def _get_schema(self, argmap: Any, req: flask.Request) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            return _schema_of(argmap)
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        try:
            text = data.decode()
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(f"Not UTF-8: {error.reason}", _DOCUMENT, 0) from None
        return loads_untrusted(text)

    def _handle_invalid_json_error(
        self,
        error: json.JSONDecodeError | UnicodeDecodeError,
        req: flask.Request,
        *args: Any,
        **kwargs: Any,
    ) -> NoReturn:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else error.reason
        message = f"The body is not valid JSON: {reason}."
        abort(400, exc=error, messages={"json": [message]}, message=message)
