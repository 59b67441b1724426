"""Article images: agents upload them in the editor; readers' browsers load them."""

from __future__ import annotations

from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.datastructures import FileStorage

from supportdesk.core.api_docs import ANYONE_OR_AGENT
from supportdesk.core.auth import agent_required, is_agent
from supportdesk.core.uploads import UploadFormSchema, only_the_file, upload_size_limit
from supportdesk.extensions import db
from supportdesk.knowledge import images
from supportdesk.knowledge.models import ArticleImage
from supportdesk.knowledge.schemas import ImageSchema

blp = Blueprint("kb_images", __name__, url_prefix="/api/v1", description="Knowledge base: images")

#: a published article's image may sit in caches a day (an image never changes: a new
#: one is a new upload); a draft's stays in the agent's browser only
PUBLIC_CACHE = "public, max-age=86400"
PRIVATE_CACHE = "private, max-age=3600"


@blp.route("/kb/images", methods=["POST"])
@upload_size_limit
@agent_required
@blp.arguments(UploadFormSchema, location="files")
@only_the_file
@blp.response(201, ImageSchema)
def upload_article_image(files: dict[str, FileStorage]) -> ArticleImage:
    """Upload an image for an article (agents): PNG, JPEG, GIF or WebP, told by its bytes.

    Put its ``url`` in the Markdown (``![what it shows](url)``); the first article saved
    showing it claims it. Too large (``UPLOAD_MAX_BYTES``): 413; not such an image: 422.
    """
    file = files["file"]
    image = images.store_image(db.session, current_user, filename=file.filename, data=file.read())
    db.session.commit()
    return image


@blp.route("/kb/images/<id:image_id>", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.response(200, description="The image", content_type="image/*")
def get_article_image(image_id: int) -> Response:
    """Load an article's image.

    Anyone may once an article showing it (or a translation of that article) is
    published; agents always may."""
    image, public = images.readable_image(db.session, image_id, agent=is_agent())
    response = Response(image.data, mimetype=image.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response
