"""The test peers themselves: a flaky helper makes every test that uses it flaky."""

from __future__ import annotations

import os
import sys

import requests

from tests.peers import serve_process

#: an HTTP server whose first answer takes longer than the readiness probe waits
SLOW_FIRST_ANSWER = """
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Slow(BaseHTTPRequestHandler):
    answered = 0

    def do_GET(self):
        if Slow.answered == 0:
            time.sleep(3)
        Slow.answered += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
"""


def slow_first_answer(port: int) -> list[str]:
    return [sys.executable, "-c", SLOW_FIRST_ANSWER, str(port)]


def test_a_server_slow_to_give_its_first_answer_is_waited_for() -> None:
    with serve_process(os.environ, slow_first_answer) as base:
        assert requests.get(base + "/api/v1/openapi.json", timeout=5).status_code == 200
