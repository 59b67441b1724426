"""Account events other domains react to.

``access_ended`` is sent (``sender``: the user) inside the transaction that ends some
of a user's sessions or tokens, or deactivates them: live connections made with those
credentials (the ``/agent`` sockets) must be checked again once it commits.
"""

from blinker import Namespace

_signals = Namespace()

access_ended = _signals.signal("access-ended")
