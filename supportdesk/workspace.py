"""The agents' workspace: the single-page app built by ``npm run build`` in ``frontend/``
(``frontend/agent/``), served from the package's ``web/agent/`` folder.

``index.html`` answers ``/`` and every path the app's router knows (a reload on
``/tickets/42`` must land in the app, not on a 404); its hashed assets answer
``/agent/assets/<file>``. The app talks only to the REST API and ``/agent``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, send_from_directory

from supportdesk.core.errors import NotFound
from supportdesk.core.settings import settings
from supportdesk.extensions import limiter

pages = Blueprint("workspace", __name__)

#: the app router's pages (frontend/agent/src/router.ts)
APP_PATHS = (
    *("/", "/sign-in", "/tickets/<path:rest>"),
    *("/customers", "/customers/<path:rest>", "/admin", "/admin/<path:rest>"),
    *("/kb", "/kb/<path:rest>"),
)


def _built() -> Path:
    folder = Path(settings().frontend_dist, "agent")
    if not (folder / "index.html").exists():
        raise NotFound(
            "The workspace is not built: run `npm --prefix frontend run build`. "
            "The API reference is at /api/docs."
        )
    return folder


@limiter.exempt
def app_page(rest: str = "") -> Any:
    # Never cached: it names the current release's hashed assets.
    response = send_from_directory(_built(), "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Frame-Options"] = "DENY"
    return response


@pages.get("/agent/assets/<path:filename>")
@limiter.exempt
def app_assets(filename: str) -> Any:
    # Hashed names: a file's content never changes, so browsers may keep it a year.
    return send_from_directory(_built() / "assets", filename, max_age=31536000)


for _path in APP_PATHS:
    pages.add_url_rule(_path, "app_page", app_page, methods=["GET"])


def init_app(app: Flask) -> None:
    app.register_blueprint(pages)
