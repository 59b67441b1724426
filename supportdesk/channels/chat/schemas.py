"""The widget's event payloads, validated like the REST API's bodies."""

from __future__ import annotations

import marshmallow as ma

from supportdesk.core.fields import MAX_ID, text


class _Payload(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # newer widgets may send more


class MessageIn(_Payload):
    # The configured CHAT_MAX_MESSAGE_CHARS is checked by the handler; this bound
    # only stops absurd payloads before any work is done.
    body = text(required=True, min_length=1, max_length=100_000)
    client_id = text(required=True, min_length=1, max_length=64)


class TypingIn(_Payload):
    typing = ma.fields.Boolean(required=True)


class HistoryIn(_Payload):
    # a message id, so no larger than any id can be (a huge one would reach the database)
    after_id = ma.fields.Integer(
        strict=True, load_default=0, validate=ma.validate.Range(min=0, max=MAX_ID)
    )


class IdentifyIn(_Payload):
    email = text(required=True, max_length=320)
    name = text(max_length=200)


class VerifyStartIn(_Payload):
    email = text(required=True, max_length=320)


class VerifyCheckIn(_Payload):
    code = text(required=True, max_length=20)


class OfflineMessageIn(_Payload):
    name = text(max_length=200)
    email = text(required=True, max_length=320)
    body = text(required=True, min_length=1, max_length=100_000)
    client_id = text(min_length=1, max_length=64)


class TranscriptIn(_Payload):
    email = text(max_length=320)


class WatchIn(_Payload):
    ticket_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))


class AgentTypingIn(WatchIn):
    typing = ma.fields.Boolean(required=True)
    #: typing an internal note: other agents see it, the customer does not
    internal = ma.fields.Boolean(load_default=False)


class PresenceIn(_Payload):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(["online", "away"]))
