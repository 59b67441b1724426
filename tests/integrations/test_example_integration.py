"""docs/examples/context_integration.py, run as it ships, called through the desk."""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.integrations.calls import signature
from tests.conftest import ApiClient
from tests.factories import CustomerFactory

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "context_integration.py"
SHARED_SECRET = "the-example-integrations-secret"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("context_integration", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example_url(example: ModuleType) -> Iterator[str]:
    server = example.ContextServer(("127.0.0.1", 0), SHARED_SECRET)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/context"
    server.shutdown()
    server.server_close()


def _card(api: ApiClient, customer: Any) -> dict[str, Any]:
    response = api.get(f"/customers/{customer.id}/context")
    assert response.status_code == 200, response.json
    [card] = response.json["cards"]
    return card


def test_the_example_answers_the_desk_with_the_verified_customers_orders(
    api: ApiClient, add_integration: Any, example_url: str, example: ModuleType
) -> None:
    add_integration(example_url, name="Shop", secret=SHARED_SECRET)
    customer = CustomerFactory(emails=["mei@example.com"])
    customer.identities[0].verified = True
    db.session.commit()

    card = _card(api, customer)

    assert card["status"] == "ok", card
    assert card["integration"]["name"] == "Shop"
    assert card["data"] == example.ORDERS["mei@example.com"]


def test_the_example_shows_no_orders_for_a_claimed_address(
    api: ApiClient, add_integration: Any, example_url: str
) -> None:
    add_integration(example_url, secret=SHARED_SECRET)
    customer = CustomerFactory(emails=["mei@example.com"])  # not verified
    db.session.commit()

    card = _card(api, customer)

    assert card["data"] == {
        "note": "No verified shop account.",
        "claimed_emails": ["mei@example.com"],
    }


def test_the_example_refuses_a_desk_with_another_secret(
    api: ApiClient, add_integration: Any, example_url: str
) -> None:
    add_integration(example_url, secret="not-the-shared-secret")
    customer = CustomerFactory()
    db.session.commit()

    card = _card(api, customer)

    assert (card["status"], card["error"]) == ("unavailable", "HTTP 401")


def test_the_examples_check_refuses_old_timestamps_and_tampered_bodies(
    example: ModuleType,
) -> None:
    body = b'{"customer":{"id":1,"name":"Mei","identities":[]}}'
    now = time.time()
    fresh = str(int(now))
    stale = str(int(now) - example.REPLAY_WINDOW_SECONDS - 1)

    assert example.verify(SHARED_SECRET, fresh, body, signature(SHARED_SECRET, fresh, body), now)
    assert not example.verify(
        SHARED_SECRET, stale, body, signature(SHARED_SECRET, stale, body), now
    )
    assert not example.verify(
        SHARED_SECRET, fresh, body + b" ", signature(SHARED_SECRET, fresh, body), now
    )
    assert not example.verify(SHARED_SECRET, "soon", body, "sha256=00", now)
