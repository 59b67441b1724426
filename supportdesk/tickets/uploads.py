"""Files agents upload for a reply they are still writing.

An upload is an ``Attachment`` with no message yet, owned by the agent who sent it; the
reply that names it claims it (``claim``), once: a conditional UPDATE, so two replies
racing for one upload cannot both get it. Uploads nobody claimed are purged after a
day (``purge_unclaimed``, run by ``tickets.tasks``).

The type the browser gave is kept (or guessed from the name) for the agent's and the
mail client's benefit only: every download is an ``attachment`` with a sandbox
(``core.downloads``), so no type makes a file render in the desk's origin.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.core.errors import DomainError, InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.tickets.models import Attachment, Message
from supportdesk.users.models import User

#: how long an upload waits for its reply before ``purge_unclaimed`` removes it
UNCLAIMED_FOR = timedelta(days=1)
#: a MIME type as RFC 6838 spells one (``type/subtype``), nothing more
_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FILENAME_MAX = 255


class UploadTooLarge(DomainError):
    status = 413


def clean_filename(name: str | None) -> str:
    """The name without any folder a browser sent along, control characters or excess."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _CONTROL.sub("", base).strip()
    return base[:FILENAME_MAX] or "upload"


def content_type_of(given: str | None, filename: str) -> str:
    """The browser's type when it is a well-formed one, else a guess from the name."""
    declared = (given or "").split(";")[0].strip().lower()
    if _MIME_TYPE.match(declared):
        return declared
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def store_upload(
    session: DbSession, agent: User, *, filename: str | None, content_type: str | None, data: bytes
) -> Attachment:
    """Keep one file for a reply ``agent`` is writing; the caller commits."""
    limit = settings().upload_max_bytes
    if len(data) > limit:
        raise UploadTooLarge(f"The file is {len(data)} bytes; the limit is {limit}.")
    name = clean_filename(filename)
    upload = Attachment(
        message_id=None,
        uploaded_by_id=agent.id,
        filename=name,
        content_type=content_type_of(content_type, name),
        size=len(data),
        inline=False,
        data=data,
    )
    session.add(upload)
    session.flush()
    return upload


def claim(session: DbSession, message: Message, agent: User, upload_ids: Sequence[int]) -> None:
    """Attach ``agent``'s unclaimed uploads to their new ``message``, or refuse them all.

    Someone else's upload, one already sent with another reply, or one that does not
    exist is the ``attachment_ids`` field's error. The UPDATE takes only rows still
    unclaimed, so of two replies racing for an upload the one that commits second
    finds it taken (PostgreSQL re-checks the row once the first commits; SQLite lets
    one writer at a time in) and is refused with nothing stored.
    """
    if not upload_ids:
        return
    claimed = session.execute(
        update(Attachment)
        .where(
            Attachment.id.in_(upload_ids),
            Attachment.message_id.is_(None),
            Attachment.uploaded_by_id == agent.id,
        )
        .values(message_id=message.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != len(set(upload_ids)):  # type: ignore[attr-defined]
        raise InvalidInput.field(
            "attachment_ids",
            "Attach only files you uploaded (POST /api/v1/uploads) that no message has taken yet.",
        )
    rows = session.scalars(
        select(Attachment)
        .where(Attachment.id.in_(upload_ids))
        .order_by(Attachment.id)
        .execution_options(populate_existing=True)
    )
    # loaded now, for the listeners that show or send the message before the commit
    set_committed_value(message, "attachments", list(rows))


def purge_unclaimed(session: DbSession, now: datetime | None = None) -> int:
    """Remove the uploads no reply took within ``UNCLAIMED_FOR``; how many went."""
    cutoff = (now or utcnow()) - UNCLAIMED_FOR
    result = session.execute(
        delete(Attachment).where(Attachment.message_id.is_(None), Attachment.created_at < cutoff)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
