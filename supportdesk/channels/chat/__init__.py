"""The live chat channel: the widget on customers' sites, its conversations, and the
e-mail that follows a visitor who left. The agents' side is ``supportdesk.realtime``."""

#: the widgets' Socket.IO namespace
NAMESPACE = "/widget"
