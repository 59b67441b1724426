"""The REST API object: flask-smorest with RFC 9457 problem+json errors.

Every error the API can answer (HTTP errors, validation errors, domain errors, a
lost race on a unique index, even an unexpected crash) leaves here as
``application/problem+json`` with ``errors: {field: [messages]}`` where fields are at fault.
"""

from __future__ import annotations

import http
import logging
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Flask, Response, json
from flask_smorest import Api, Blueprint
from flask_smorest.spec import prepare_response
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from supportdesk.core.api_docs import MarkdownDocsPlugin
from supportdesk.core.database import db
from supportdesk.core.errors import DomainError
from supportdesk.core.json_bodies import BodyParser, UntrustedJSONProvider

PROBLEM_CONTENT_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only; errors are built in ``problem``).

    Open to extension members, as the RFC intends (``merged_into``, ``customer_id``).
    """

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(metadata={"description": "A URI for the kind of problem"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Messages per field, for input at fault"},
    )
    merged_into = ma.fields.Integer(
        metadata={"description": "Set when a merged customer is asked for"}
    )


#: RFC 9110's names where Python's (before 3.13) still has the older ones
_RFC_9110_TITLES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def status_title(status: int) -> str:
    """The one title a status has. With ``type: about:blank`` RFC 9457 wants the status's
    name as the title, so no problem invents its own; the ``detail`` says what happened."""
    return _RFC_9110_TITLES.get(status) or http.HTTPStatus(status).phrase


def problem_body(
    status: int,
    detail: str | None = None,
    *,
    errors: Mapping[str, list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An RFC 9457 problem as a dict: for HTTP answers and Socket.IO acks alike."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": status_title(status),
        "status": status,
        "detail": detail or http.HTTPStatus(status).description,
    }
    if errors:
        body["errors"] = dict(errors)
    body.update(extra)
    return body


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = problem_body(status, detail, errors=errors, **extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into ``{"customer.email": [...], "tags.0": [...]}``."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    return {prefix or "_schema": [str(messages)]}


# Every blueprint reads bodies through flask-smorest's class-wide parser: make it the safe one.
Blueprint.ARGUMENTS_PARSER = BodyParser()


class ProblemApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        app.json = UntrustedJSONProvider(app)
        spec_kwargs = {"extra_plugins": [MarkdownDocsPlugin()], **kwargs.pop("spec_kwargs", {})}
        super().init_app(app, *args, spec_kwargs=spec_kwargs, **kwargs)
        app.register_error_handler(DomainError, self.handle_domain_error)
        app.register_error_handler(IntegrityError, self.handle_integrity_error)
        app.register_error_handler(DataError, self.handle_out_of_range)
        app.register_error_handler(OverflowError, self.handle_out_of_range)

    def _register_responses(self) -> None:
        """Document every error status, and the default, as problem+json."""
        assert self.spec is not None
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status_title(status)}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                content_type = PROBLEM_CONTENT_TYPE
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Problem details", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        errors = None
        if "messages" in data:
            # webargs puts messages under their location ("json", "query"); the
            # caller cares about the field, not where we looked for it.
            errors = {}
            for location_messages in data["messages"].values():
                errors.update(flatten_errors(location_messages))
        detail = data.get("message")
        if status == 422 and not detail:
            detail = "The request has invalid fields; see errors."
        if status >= 500:
            detail = "Something went wrong on our side. It has been logged."
        response = problem(status, detail, errors=errors, headers=data.get("headers"))
        if status == 429:
            response.headers.setdefault("Retry-After", "60")
        allow = error.get_response().headers.get("Allow") if status == 405 else None
        if allow:
            response.headers["Allow"] = allow
        return response

    @staticmethod
    def handle_domain_error(error: DomainError) -> Response:
        db.session.rollback()
        return problem(error.status, error.detail, errors=error.errors, **error.extra)

    @staticmethod
    def handle_integrity_error(error: IntegrityError) -> Response:
        """A race lost on a unique index is a conflict, not a crash."""
        db.session.rollback()
        log.info("integrity error answered as 409: %s", error.orig)
        return problem(409, "This conflicts with data that already exists.")

    @staticmethod
    def handle_out_of_range(error: Exception) -> Response:
        """A number or time the database (or its driver) cannot hold: bad input, not a crash.

        Schemas bound what they take (``core.fields``); this is the net under a bound
        someone forgot, logged so that it gets fixed where the value came in.
        """
        db.session.rollback()
        log.warning("out-of-range input answered as 422", exc_info=error)
        return problem(422, "A value in the request is out of the range this desk can store.")
