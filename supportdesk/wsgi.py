"""The production entry point: ``gunicorn --worker-class gevent 'supportdesk.wsgi:app'``.

The gevent worker patches the standard library before it imports this module, so the
app runs Socket.IO in gevent mode: a greenlet per connection, thousands per process.
"""

import gc

from supportdesk import create_app

app = create_app()

# Garbage collection, tuned for a process holding a thousand live sockets. A full
# collection walks every tracked object; with the defaults it came every 3 s and took
# 40 ms, which put p99 chat delivery over 100 ms (tests/perf/chat_load.py, N = 1,000).
# Frozen, the app's own objects (modules, mappers, schemas) are never walked again, and
# young collections a tenth as often make full ones rare. Cycles are still collected.
gc.freeze()
gc.set_threshold(10_000, 10, 10)
