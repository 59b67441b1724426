"""Uploading a file for a reply: the reply names it in ``attachment_ids``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import marshmallow as ma
from flask import request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from werkzeug.datastructures import FileStorage

from supportdesk.core.auth import agent_required
from supportdesk.core.settings import settings
from supportdesk.extensions import db
from supportdesk.tickets import uploads
from supportdesk.tickets.models import Attachment
from supportdesk.tickets.schemas import AttachmentSchema

F = TypeVar("F", bound=Callable[..., Any])
#: what a multipart body holds besides the file itself (boundaries, part headers)
FORM_OVERHEAD = 64 * 1024

blp = Blueprint("uploads", __name__, url_prefix="/api/v1", description="Uploads")


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


@blp.route("/uploads", methods=["POST"])
@upload_size_limit
@agent_required
@blp.arguments(UploadFormSchema, location="files")
@blp.response(201, AttachmentSchema)
def upload_file(files: dict[str, FileStorage]) -> Attachment:
    """Upload a file to attach to a reply.

    The file waits for the caller's next message that names it in ``attachment_ids``;
    one no message took within a day is deleted. Too large (``UPLOAD_MAX_BYTES``): 413.
    """
    file = files["file"]
    upload = uploads.store_upload(
        db.session,
        current_user,
        filename=file.filename,
        content_type=file.mimetype,
        data=file.read(),
    )
    db.session.commit()
    return upload
