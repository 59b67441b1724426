"""The API reference at /api/docs: Swagger UI served from a package (it works offline),
where "Try it out" works for a signed-in agent as it does for a token.

Signing in there (``POST /session``) sets the session cookie in the browser; the page
then keeps the answer's ``csrf_token`` as the ``csrfToken`` key, so unsafe calls send
``X-CSRF-Token`` as the API asks. (It can also be pasted under "Authorize".)

Every operation gets its ``operationId`` here, from its view's name, because clients are
generated from the document (the workspace's typed client, integrators' SDKs): the id is a
function's name there, so it must be readable, unique and not change by itself.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec, BasePlugin
from apispec.exceptions import APISpecError
from flask import Flask, send_from_directory
from jinja2 import ChoiceLoader, DictLoader

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer"},
    "cookieAuth": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "Set by POST /api/v1/session; the browser sends it by itself.",
    },
    "csrfToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": "The csrf_token from POST /api/v1/session, sent with the cookie "
        "on unsafe methods (this page fills it in when you sign in here).",
    },
}
#: a token, or the cookie with its CSRF header
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"cookieAuth": [], "csrfToken": []}]
#: a route open to everyone where a signed-in agent gets more (drafts, internal figures):
#: no credentials (``{}``), or either of ``SECURITY``'s; ``@blp.doc(security=...)``
ANYONE_OR_AGENT: list[dict[str, list[str]]] = [{}, *SECURITY]

# flask-smorest's own swagger_ui.html, plus the response interceptor that keeps the
# csrf_token of a sign-in made on the page.
SWAGGER_UI_PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{{ title }}</title>
    <link href="{{ swagger_ui_url }}swagger-ui.css" rel="stylesheet" type="text/css"/>
  </head>
  <body>
    <div id="swagger-ui-container"></div>
    <script src="{{ swagger_ui_url }}swagger-ui-standalone-preset.js"></script>
    <script src="{{ swagger_ui_url }}swagger-ui-bundle.js"></script>
    <script>
      var config = {url: {{ spec_url | tojson }}, dom_id: "#swagger-ui-container"};
      Object.assign(config, {{ swagger_ui_config | tojson }});
      config.responseInterceptor = function (response) {
        var body = response.body || {};
        if (response.ok && /\\/api\\/v1\\/session$/.test(response.url) && body.csrf_token) {
          window.ui.preauthorizeApiKey("csrfToken", body.csrf_token);
        }
        return response;
      };
      window.onload = function () { window.ui = SwaggerUIBundle(config); };
    </script>
  </body>
</html>
"""

_RST_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def markdown_text(text: str) -> str:
    """Docstrings are reST (``code``); the document's descriptions are CommonMark (`code`)."""
    return _RST_LITERAL.sub(r"`\1`", text)


def plain_text(text: str) -> str:
    """A summary is plain text (Swagger UI shows a backtick there as it is)."""
    return _RST_LITERAL.sub(r"\1", text).replace("`", "")


class DuplicateOperationIdError(APISpecError):
    """Two operations would share an operationId: a generated client could call only one."""


#: A GET view named by what it answers (``me``, ``outbox``, ``customer_timeline``) reads as
#: "get" it (``getMe``); one named by one of these verbs keeps its name (``listTickets``).
READING_VERBS = frozenset(
    {"get", "list", "download", "search", "find", "count", "export", "preview", "read"}
)


def operation_id(view_name: str, method: str) -> str:
    """``list_tickets`` -> ``listTickets``; a GET view named by a noun gets ``get`` first
    (``customer_timeline`` -> ``getCustomerTimeline``), so every id says what it does."""
    words = [word for word in view_name.split("_") if word]
    if method.lower() == "get" and words[0].lower() not in READING_VERBS:
        words.insert(0, "get")
    first, *rest = words
    return first[:1].lower() + first[1:] + "".join(word[:1].upper() + word[1:] for word in rest)


class MarkdownDocsPlugin(BasePlugin):
    """Each operation as readers and generated clients see it: its description (the view's
    docstring) in Markdown, its summary plain, and an ``operationId`` from the view's name.

    An explicit ``@blp.doc(operationId=...)`` wins. Two views of one name (in two blueprints)
    stop the document's build with :class:`DuplicateOperationIdError` rather than get ids that
    depend on which blueprint came first: rename one, or give it an explicit id.
    """

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self._owners: dict[str, str] = {}  # operationId -> "GET /api/v1/tickets"

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        rule = kwargs.get("rule")  # flask-smorest's Rule: its endpoint names the view
        for method, operation in (operations or {}).items():
            _rewrite_texts(operation)
            if rule is not None:
                view_name = rule.endpoint.rsplit(".", 1)[-1]
                operation.setdefault("operationId", operation_id(view_name, method))
            if "operationId" in operation:
                self._claim(operation["operationId"], f"{method.upper()} {path}")

    def _claim(self, identifier: str, owner: str) -> None:
        known = self._owners.setdefault(identifier, owner)
        if known != owner:
            raise DuplicateOperationIdError(
                f"operationId {identifier!r} of {owner} is already {known}'s: rename one "
                "view, or give it @blp.doc(operationId=...)."
            )


def _rewrite_texts(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "summary" and isinstance(value, str):
                node[key] = plain_text(value)
            elif key == "description" and isinstance(value, str):
                node[key] = markdown_text(value)
            else:
                _rewrite_texts(value)
    elif isinstance(node, list):
        for item in node:
            _rewrite_texts(item)


def init_app(app: Flask) -> None:
    from swagger_ui_bundle import swagger_ui_path

    @app.get("/api/docs/assets/<path:filename>")
    def api_docs_assets(filename: str) -> Any:
        return send_from_directory(swagger_ui_path, filename, max_age=86400)

    # Our page first; the app's and blueprints' templates as before.
    app.jinja_loader = ChoiceLoader(
        [DictLoader({"swagger_ui.html": SWAGGER_UI_PAGE}), *filter(None, [app.jinja_loader])]
    )
