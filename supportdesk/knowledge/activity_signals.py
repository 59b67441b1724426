"""Knowledge-base events other domains react to (the timeline shows a reader's activity).

Sent inside the producing transaction, the row flushed, with it as ``sender``.
"""

from blinker import Namespace

_signals = Namespace()

#: a ``KbActivity`` now belongs to a customer: recorded for a known one, or one of a
#: reader's recent activities that joined the customer the reader became
kb_activity_joined = _signals.signal("kb-activity-joined")
