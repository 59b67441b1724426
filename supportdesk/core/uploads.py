"""One file uploaded as ``multipart/form-data``: what the API's upload routes share
(a reply's attachment, an article's image)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import marshmallow as ma
from flask import request
from flask_smorest.fields import Upload

from supportdesk.core.errors import InvalidInput
from supportdesk.core.settings import settings

F = TypeVar("F", bound=Callable[..., Any])
#: what a multipart body holds besides the file itself (boundaries, part headers)
FORM_OVERHEAD = 64 * 1024
#: the one part an upload holds (a browser form may add its CSRF token beside it)
FILE_PART = "file"
CSRF_PART = "csrf_token"


class UploadFormSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "one file"})


def upload_size_limit(view: F) -> F:
    """The upload's own size limit instead of the API's (``MAX_REQUEST_BYTES``), set
    before anything reads the form: a cookie session's CSRF check reads it too."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = settings().upload_max_bytes + FORM_OVERHEAD
        return view(*args, **kwargs)

    return cast(F, wrapper)


def only_the_file(view: F) -> F:
    """Refuse parts other than ``file`` (422, by part; a part with no name is ``part``):
    the files location's schema sees files only, so a stray form field or a second file
    would pass unremarked."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        stray = [name or "part" for name in request.form if name != CSRF_PART]
        stray += [name or "part" for name in request.files if name != FILE_PART]
        if stray:
            message = "An upload holds one part, named file."
            raise InvalidInput(message, errors={name: [message] for name in stray})
        return view(*args, **kwargs)

    return cast(F, wrapper)
