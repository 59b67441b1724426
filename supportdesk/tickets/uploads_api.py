"""Uploading a file for a reply: the reply names it in ``attachment_ids``."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.datastructures import FileStorage

from supportdesk.core.auth import agent_required
from supportdesk.core.uploads import UploadFormSchema, only_the_file, upload_size_limit
from supportdesk.extensions import db
from supportdesk.tickets import uploads
from supportdesk.tickets.models import Attachment
from supportdesk.tickets.schemas import AttachmentSchema

blp = Blueprint("uploads", __name__, url_prefix="/api/v1", description="Uploads")


@blp.route("/uploads", methods=["POST"])
@upload_size_limit
@agent_required
@blp.arguments(UploadFormSchema, location="files")
@only_the_file
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
