"""Images articles show: uploaded by agents in the editor, served to every reader.

An image is known by what its bytes are, never by the name or type the browser sent: PNG,
JPEG, GIF and WebP only (no SVG, which is a document that can run script). Its type is
one of ours, so a reader's browser shows it and cannot take it for a page.

An upload waits with no article; the first article whose saved body shows it
(``![...](/api/v1/kb/images/{id})``) claims it. Readers may fetch it once that article, or
one of its translations, is published; until then only agents may.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, select, update
from sqlalchemy.orm import undefer

from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.knowledge.models import Article, ArticleImage, ArticleStatus
from supportdesk.tickets.uploads import UploadTooLarge, clean_filename
from supportdesk.users.models import User

#: the image types we take and serve
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
#: the first bytes of each (WebP's are a RIFF header: ``image_type``)
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str | None:
    """The image type ``data`` is, by its first bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def store_image(
    session: DbSession, agent: User, *, filename: str | None, data: bytes
) -> ArticleImage:
    """Keep an image for an article ``agent`` is writing; 413 past ``UPLOAD_MAX_BYTES``,
    422 for what is not a PNG, JPEG, GIF or WebP image."""
    limit = settings().upload_max_bytes
    if len(data) > limit:
        raise UploadTooLarge(f"The image is {len(data)} bytes; the limit is {limit}.")
    kind = image_type(data)
    if kind is None:
        raise InvalidInput.field("file", "Upload a PNG, JPEG, GIF or WebP image.")
    image = ArticleImage(
        article_id=None,
        uploaded_by_id=agent.id,
        filename=clean_filename(filename),
        content_type=kind,
        size=len(data),
        data=data,
    )
    session.add(image)
    session.flush()
    return image


def claim_images(session: DbSession, article: Article, image_ids: Iterable[int]) -> None:
    """``article`` shows these images: those no article has yet become its own."""
    ids = sorted(set(image_ids))
    if ids:
        session.execute(
            update(ArticleImage)
            .where(ArticleImage.id.in_(ids), ArticleImage.article_id.is_(None))
            .values(article_id=article.id)
            .execution_options(synchronize_session=False)
        )


def readable_image(session: DbSession, image_id: int, *, agent: bool) -> tuple[ArticleImage, bool]:
    """The image with its bytes if the caller may see it (else 404, as if there were
    none), and whether anyone may."""
    image = session.get(ArticleImage, image_id, options=[undefer(ArticleImage.data)])
    public = image is not None and is_public(session, image)
    if image is None or not (agent or public):
        raise NotFound(f"No image {image_id}.")
    return image, public


def is_public(session: DbSession, image: ArticleImage) -> bool:
    """Whether its article, or a translation of it, is published."""
    if image.article_id is None:
        return False
    owner = select(Article.translation_group_id).where(Article.id == image.article_id)
    published = exists().where(
        Article.translation_group_id == owner.scalar_subquery(),
        Article.status == ArticleStatus.PUBLISHED,
    )
    return bool(session.scalar(select(published)))
