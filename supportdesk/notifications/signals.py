"""What notifications announce: ``notification_created`` (``sender``: the new row, in
the transaction that made it), which realtime pushes to its agent."""

from blinker import Namespace

_signals = Namespace()

notification_created = _signals.signal("notification-created")
