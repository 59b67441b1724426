"""The chat's per-app machinery: its pages, the ``/widget`` namespace and the message
writer (a thread of its own, bound to its app's database)."""

from __future__ import annotations

from flask import Flask

from supportdesk.channels.chat import NAMESPACE
from supportdesk.channels.chat.attachments import attachments
from supportdesk.channels.chat.pages import pages
from supportdesk.channels.chat.widget import WidgetNamespace
from supportdesk.channels.chat.writer import MessageWriter
from supportdesk.extensions import socketio


def init_app(app: Flask) -> None:
    app.extensions["supportdesk.chat_writer"] = MessageWriter(app)
    app.register_blueprint(pages)
    app.register_blueprint(attachments)
    socketio.on_namespace(WidgetNamespace(NAMESPACE))
