"""The ``/agent`` namespace's event payloads."""

from __future__ import annotations

import marshmallow as ma

from supportdesk.core.sockets import EventPayload


class WatchIn(EventPayload):
    ticket_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))


class AgentTypingIn(WatchIn):
    typing = ma.fields.Boolean(required=True)
    #: typing an internal note: other agents see it, the customer does not
    internal = ma.fields.Boolean(load_default=False)


class PresenceIn(EventPayload):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(["online", "away"]))
