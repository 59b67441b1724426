"""A tiny context integration for Supportdesk, with nothing but Python's standard library.

It checks the desk's signature, refuses stale or replayed timestamps, and answers what
a pretend shop knows about the customer, found by their verified e-mail address:

    CONTEXT_SECRET='a long random secret' python docs/examples/context_integration.py --port 8765

then, as an admin: ``POST /api/v1/integrations`` with ``{"name": "Shop", "url":
"http://127.0.0.1:8765/context", "secret": "a long random secret"}``. See docs/integrations.md.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: how old a signed request may be, in seconds, either way (clocks drift a little)
REPLAY_WINDOW_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024

#: the pretend shop: what it knows, by e-mail address
ORDERS = {
    "mei@example.com": {
        "plan": "Pro (yearly)",
        "orders": [
            {"number": "A-1001", "item": "Router X2", "status": "delivered"},
            {"number": "A-1042", "item": "Mesh extender", "status": "shipped"},
        ],
        "devices": ["Router X2 (firmware 3.1.4)"],
    }
}


def verify(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> bool:
    """The desk's signature: ``sha256=`` + hex HMAC-SHA256 of ``timestamp.body``, with the
    timestamp no further than ``REPLAY_WINDOW_SECONDS`` from ``now``."""
    try:
        if abs(now - int(timestamp)) > REPLAY_WINDOW_SECONDS:
            return False
    except ValueError:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), signature)


def context_of(customer: dict[str, Any]) -> dict[str, Any]:
    """What the shop shows: orders for a verified address only (anyone can claim one)."""
    for identity in customer.get("identities", []):
        if identity["kind"] == "email" and identity["verified"] and identity["value"] in ORDERS:
            return ORDERS[identity["value"]]
    claimed = [i["value"] for i in customer.get("identities", []) if i["kind"] == "email"]
    return {"note": "No verified shop account.", "claimed_emails": claimed}


class ContextHandler(BaseHTTPRequestHandler):
    server: ContextServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            return self._answer(413, {"error": "too large"})
        body = self.rfile.read(length)
        timestamp = self.headers.get("X-Supportdesk-Timestamp", "")
        signature = self.headers.get("X-Supportdesk-Signature", "")
        if not verify(self.server.secret, timestamp, body, signature, time.time()):
            return self._answer(401, {"error": "bad signature"})
        customer = json.loads(body)["customer"]
        return self._answer(200, context_of(customer))

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class ContextServer(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], secret: str) -> None:
        super().__init__(address, ContextHandler)
        self.secret = secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = ContextServer((args.host, args.port), os.environ["CONTEXT_SECRET"])
    print(f"context integration on http://{args.host}:{server.server_port}/context")
    server.serve_forever()


if __name__ == "__main__":
    main()
