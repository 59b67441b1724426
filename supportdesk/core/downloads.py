"""Files the desk hands back as they came (attachments): always a download, never a page.

A file a customer sent is untrusted: rendered inline in the desk's origin, an HTML or
SVG file would run as the desk's own page. So it is only ever saved, never sniffed, and
sandboxed if a browser renders it all the same.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def download(data: bytes, content_type: str, filename: str) -> Response:
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def content_disposition(filename: str) -> str:
    """Both spellings of the name (RFC 6266); a control character (a CR/LF would end the
    header) becomes ``_`` in the plain one and is percent-encoded in ``filename*``."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    ascii_name = _CONTROL.sub("_", ascii_name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
