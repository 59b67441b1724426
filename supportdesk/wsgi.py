"""The production entry point: ``gunicorn --worker-class gevent 'supportdesk.wsgi:app'``.

The gevent worker patches the standard library before it imports this module, so the
app runs Socket.IO in gevent mode: a greenlet per connection, thousands per process.
"""

from supportdesk import create_app
from supportdesk.core.collector import tune_for_serving

app = create_app()
tune_for_serving()
