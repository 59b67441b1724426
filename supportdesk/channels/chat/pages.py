"""The widget's files, built by ``npm run build`` in ``frontend/`` (docs/chat.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, send_from_directory

from supportdesk.core.errors import NotFound
from supportdesk.core.settings import settings
from supportdesk.extensions import limiter

pages = Blueprint("widget_pages", __name__)


def _built(*parts: str) -> Path:
    folder = Path(settings().frontend_dist, "widget")
    if not (folder / "widget.js").exists():
        raise NotFound("The widget is not built: run `npm --prefix frontend run build`.")
    return folder.joinpath(*parts)


@pages.get("/widget.js")
@limiter.exempt
def loader() -> Any:
    # Short cache: sites embed this unversioned URL, so a new release must reach them.
    response = send_from_directory(_built(), "widget.js", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@pages.get("/widget/frame")
@limiter.exempt
def frame() -> Any:
    return send_from_directory(_built(), "frame.html", max_age=0)


@pages.get("/widget/assets/<path:filename>")
@limiter.exempt
def assets(filename: str) -> Any:
    # Hashed names: a file's content never changes, so browsers may keep it a year.
    return send_from_directory(_built("assets"), filename, max_age=31536000)
