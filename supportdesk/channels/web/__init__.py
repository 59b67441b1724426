"""Self-service on the web: the help center (``/help``), its request form
(``/help/requests/new``, ``POST /portal/tickets``), channel ``web``, and the customer
portal (``/help/<locale>/portal``: sign-in by a magic link, the customer's requests)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The help center's pages (the API's blueprint registers with the other domains')."""
    from supportdesk.channels.web import (  # noqa: F401 (their routes)
        portal_pages,
        portal_sign_in,
        request_pages,
    )
    from supportdesk.channels.web.pages import pages, robots

    app.register_blueprint(pages)
    app.add_url_rule("/robots.txt", "robots", robots, methods=["GET"])
