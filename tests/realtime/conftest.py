"""The chat tests' live server and Socket.IO clients serve the agents' side too."""

from tests.channels.chat.conftest import (  # noqa: F401 (fixtures)
    _quick_websocket_close,
    agent_peer,
    chat_app,
    peers,
    server,
)
