"""Several server processes, one desk: events cross processes through Redis.

The two processes are the two documented commands: ``supportdesk serve`` (threads) and
the production one, gunicorn's gevent worker, so the visitor below is served by gevent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.channels.chat.conftest import Peer
from tests.peers import gunicorn_command, serve_process

REDIS_URL = os.environ.get("SUPPORTDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_url() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI: {error}")
        pytest.skip(f"Redis not reachable ({error})")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def test_a_visitor_on_one_process_reaches_an_agent_on_another(
    app: Any, agent: Any, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    token = create_token(db.session, agent)
    db.session.commit()
    env = {
        **os.environ,
        "SUPPORTDESK_INSTANCE_PATH": str(tmp_path),
        "SUPPORTDESK_DATABASE_URL": database_url,
        "SUPPORTDESK_REDIS_URL": redis_url,
        "SUPPORTDESK_SECRET_KEY": "two-processes",
    }
    with serve_process(env) as first, serve_process(env, gunicorn_command) as second:
        desk = Peer(first, "/agent", {"token": token})
        widget = Peer(second, "/widget", {})
        try:
            widget.wait_for("session")
            sent = widget.call("message", {"body": "Hello from process two", "client_id": "x"})

            heard = desk.wait_for("message.created", lambda m: m["id"] == sent["id"])
            assert heard["body"] == "Hello from process two"

            # and back: an agent's reply through the first process reaches the second's visitor
            reply = requests.post(
                f"{first}/api/v1/tickets/{heard['ticket_id']}/messages",
                json={"body": "Hello from process one"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
            assert reply.status_code == 201, reply.text
            assert widget.wait_for("message", lambda m: m["author"]["kind"] == "agent")["body"] == (
                "Hello from process one"
            )
        finally:
            widget.close()
            desk.close()
