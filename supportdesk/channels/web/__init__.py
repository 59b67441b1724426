"""Self-service on the web: the help center (``/help``) and its request form
(``/help/requests/new``, ``POST /portal/tickets``), channel ``web``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The help center's pages (the API's blueprint registers with the other domains')."""
    from supportdesk.channels.web import request_pages  # noqa: F401 (its routes)
    from supportdesk.channels.web.pages import pages, robots

    app.register_blueprint(pages)
    app.add_url_rule("/robots.txt", "robots", robots, methods=["GET"])
