"""The desk's live feed on Socket.IO namespace ``/agent``: every domain's events fanned
out to agents, who is online, and who is looking at or typing on a ticket.

It listens to the tickets', customers' and users' signals and knows no channel: what
agents say to customers (typing, being there) travels through ``core.connections``'
signals, which the chat channel tells its widgets.
"""

from __future__ import annotations

from flask import Flask

from supportdesk.extensions import socketio

NAMESPACE = "/agent"
#: every connected agent, for the desk-wide feed
AGENTS_ROOM = "agents"


def user_room(user_id: int) -> str:
    """The room of one agent's sockets (every tab), for what is theirs alone."""
    return f"user:{user_id}"


def init_app(app: Flask) -> None:
    """Register the ``/agent`` namespace (the listeners connect when imported)."""
    from supportdesk.realtime.events import AgentNamespace  # it needs the names above

    socketio.on_namespace(AgentNamespace(NAMESPACE))
