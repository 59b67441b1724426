"""Ticket events other domains react to: the timeline, and later realtime, SLA, webhooks.

Each is sent inside the producing transaction with the new row as ``sender``.
"""

from blinker import Namespace

_signals = Namespace()

ticket_created = _signals.signal("ticket-created")
ticket_updated = _signals.signal("ticket-updated")
#: ``imported=True``: history recorded from elsewhere, not to be delivered
message_created = _signals.signal("message-created")
call_logged = _signals.signal("call-logged")
#: ``sender`` is the message, now on its new ticket; ``source`` the ticket it left
message_moved = _signals.signal("message-moved")
ticket_event_recorded = _signals.signal("ticket-event-recorded")
#: ``sender`` is the ticket merged away, its messages and calls now on ``into``
tickets_merged = _signals.signal("tickets-merged")
#: ``sender`` is an agent's reply that its channel cannot deliver now (the chat's visitor
#: left the page); ``to`` the (name, address) it should go to by e-mail instead
reply_needs_email = _signals.signal("reply-needs-email")
