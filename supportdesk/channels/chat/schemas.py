"""The widget's event payloads, validated like the REST API's bodies."""

from __future__ import annotations

import marshmallow as ma

from supportdesk.core.fields import MAX_ID, text
from supportdesk.core.sockets import EventPayload


class MessageIn(EventPayload):
    # The configured CHAT_MAX_MESSAGE_CHARS is checked by the handler; this bound
    # only stops absurd payloads before any work is done.
    body = text(required=True, min_length=1, max_length=100_000)
    client_id = text(required=True, min_length=1, max_length=64)


class TypingIn(EventPayload):
    typing = ma.fields.Boolean(required=True)


class HistoryIn(EventPayload):
    # a message id, so no larger than any id can be (a huge one would reach the database)
    after_id = ma.fields.Integer(
        strict=True, load_default=0, validate=ma.validate.Range(min=0, max=MAX_ID)
    )


class IdentifyIn(EventPayload):
    email = text(required=True, max_length=320)
    name = text(max_length=200)


class VerifyStartIn(EventPayload):
    email = text(required=True, max_length=320)


class VerifyCheckIn(EventPayload):
    code = text(required=True, max_length=20)


class OfflineMessageIn(EventPayload):
    name = text(max_length=200)
    email = text(required=True, max_length=320)
    body = text(required=True, min_length=1, max_length=100_000)
    client_id = text(min_length=1, max_length=64)


class TranscriptIn(EventPayload):
    email = text(max_length=320)
