"""The chat's per-app machinery: its pages, its two namespaces, the message writer and
the presence heartbeat (threads of their own, each bound to its app's database)."""

from __future__ import annotations

from flask import Flask

from supportdesk.channels.chat.agent import NAMESPACE as AGENT_NAMESPACE
from supportdesk.channels.chat.agent import AgentNamespace
from supportdesk.channels.chat.heartbeat import Heartbeat
from supportdesk.channels.chat.pages import pages
from supportdesk.channels.chat.widget import NAMESPACE as WIDGET_NAMESPACE
from supportdesk.channels.chat.widget import WidgetNamespace
from supportdesk.channels.chat.writer import MessageWriter
from supportdesk.extensions import socketio


def init_app(app: Flask) -> None:
    app.extensions["supportdesk.chat_writer"] = MessageWriter(app)
    app.extensions["supportdesk.chat_heartbeat"] = Heartbeat(app)
    app.register_blueprint(pages)
    socketio.on_namespace(WidgetNamespace(WIDGET_NAMESPACE))
    socketio.on_namespace(AgentNamespace(AGENT_NAMESPACE))
