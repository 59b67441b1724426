"""Customer events other domains react to (tickets move, the timeline follows)."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``sender=survivor``, ``source=merged customer``, ``actor`` (the agent, or
#: None) and ``identities`` (what moved), inside the merge's transaction: receivers move
#: their rows so that the merge commits as one.
customers_merged = _signals.signal("customers-merged")
