"""The context panel against a real HTTP server: signed calls, deadlines, the cache, and
every way an answer can be unusable shown as ``unavailable``, never as a 500."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from contextlib import ExitStack
from datetime import datetime
from typing import Any

import pytest

from supportdesk.extensions import db
from tests.conftest import ApiClient
from tests.factories import CustomerFactory
from tests.integrations.conftest import SECRET, ContextPeer, serving


@pytest.fixture
def customer() -> Any:
    customer = CustomerFactory(
        name="Mei Lin", emails=["mei@example.com"], phones=["+1 415 555 0100"], external_id="u-7"
    )
    customer.identities[0].verified = True
    db.session.commit()
    return customer


def context(api: ApiClient, customer: Any) -> list[dict[str, Any]]:
    response = api.get(f"/customers/{customer.id}/context")
    assert response.status_code == 200, response.json
    return response.json["cards"]


def test_the_desk_posts_the_customer_signed_as_documented(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    integration = add_integration(context_peer.url, name="Shop")
    context_peer.answer({"plan": "Pro", "orders": [{"number": "A-1", "total": 12.5}]})

    [card] = context(api, customer)

    assert card["integration"] == {"id": integration["id"], "name": "Shop"}
    assert card["status"] == "ok" and "error" not in card
    assert card["data"] == {"plan": "Pro", "orders": [{"number": "A-1", "total": 12.5}]}
    assert abs(datetime.fromisoformat(card["fetched_at"]).timestamp() - time.time()) < 10
    [seen] = context_peer.seen
    assert seen.path == "/context"
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.json == {
        "customer": {
            "id": customer.id,
            "name": "Mei Lin",
            "identities": [
                {"kind": "email", "value": "mei@example.com", "verified": True},
                {"kind": "phone", "value": "+14155550100", "verified": False},
                {"kind": "external", "value": "u-7", "verified": False},
            ],
        }
    }
    # docs/integrations.md: sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>"
    timestamp = seen.headers["X-Supportdesk-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 10
    mac = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + seen.body, hashlib.sha256)
    assert seen.headers["X-Supportdesk-Signature"] == "sha256=" + mac.hexdigest()


def test_a_slow_integration_is_unavailable_within_the_deadline(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url)
    context_peer.answer({"plan": "Pro"}, delay=3.5)

    started = time.monotonic()
    [card] = context(api, customer)

    assert time.monotonic() - started < 2.6
    assert card["status"] == "unavailable" and card["data"] is None
    assert card["error"] == "no answer within 2 s"


def test_integrations_are_asked_at_the_same_time(
    api: ApiClient, customer: Any, add_integration: Any
) -> None:
    with ExitStack() as stack:
        for _ in range(3):
            peer = stack.enter_context(serving(ContextPeer()))
            peer.answer({"plan": "Pro"}, delay=1.2)
            add_integration(peer.url)

        started = time.monotonic()
        cards = context(api, customer)
        elapsed = time.monotonic() - started

    assert [c["status"] for c in cards] == ["ok"] * 3
    assert elapsed < 2.4  # one after the other would take 3.6 s


def test_an_answer_is_kept_for_a_minute(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url)
    context_peer.answer({"plan": "Pro"})

    first = context(api, customer)
    context_peer.answer({"plan": "Changed"})
    again = context(api, customer)

    assert len(context_peer.seen) == 1
    assert again == first


def test_a_changed_integration_or_customer_is_asked_again(
    api: ApiClient,
    admin_api: ApiClient,
    customer: Any,
    context_peer: ContextPeer,
    add_integration: Any,
) -> None:
    integration = add_integration(context_peer.url)
    context(api, customer)
    admin_api.patch(f"/integrations/{integration['id']}", json={"secret": "a-brand-new-secret!"})
    context(api, customer)
    api.patch(f"/customers/{customer.id}", json={"name": "Mei Lin-Wong"})
    context(api, customer)

    assert len(context_peer.seen) == 3
    assert context_peer.seen[-1].json["customer"]["name"] == "Mei Lin-Wong"


def test_failures_are_not_kept(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url)
    context_peer.answer({"error": "down"}, status=503)
    [down] = context(api, customer)
    context_peer.answer({"plan": "Pro"})
    [up] = context(api, customer)

    assert (down["status"], down["error"]) == ("unavailable", "HTTP 503")
    assert (up["status"], up["data"]) == ("ok", {"plan": "Pro"})


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [
        ({"body": b"<html>oops</html>"}, "the answer is not JSON"),
        ({"body": b'{"plan": "Pro"'}, "the answer is not JSON"),
        ({"body": b"\xff\xfe{}"}, "the answer is not JSON"),
        ({"body": b'["a", "list"]'}, "the answer is not a JSON object"),
        ({"body": b"null"}, "the answer is not a JSON object"),
        ({"body": b'{"n": NaN}'}, "the answer has a number JSON cannot carry"),
        ({"body": b'{"a":' * 40 + b"1" + b"}" * 40}, "the answer nests deeper than 32 levels"),
        ({"body": b'{"a": "' + b"x" * 70_000 + b'"}'}, "the answer is over 64 KB"),
        ({"status": 404}, "HTTP 404"),
        ({"status": 500}, "HTTP 500"),
        (
            {"status": 302, "headers": {"Location": "file:///etc/passwd"}},
            "redirected (HTTP 302); redirects are not followed",
        ),
    ],
    ids=[
        "html",
        "broken JSON",
        "not UTF-8",
        "a list",
        "null",
        "NaN",
        "deep",
        "big",
        "404",
        "500",
        "redirect",
    ],
)
def test_an_unusable_answer_is_unavailable_with_the_reason(
    api: ApiClient,
    customer: Any,
    context_peer: ContextPeer,
    add_integration: Any,
    behaviour: dict[str, Any],
    error: str,
) -> None:
    add_integration(context_peer.url)
    context_peer.answer(**behaviour)

    [card] = context(api, customer)

    assert card["status"] == "unavailable" and card["data"] is None
    assert card["error"] == error


def test_a_big_answer_with_its_length_is_refused_unread(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url)
    context_peer.answer(b"{}", headers={"Content-Length": str(10 * 1024 * 1024)})

    [card] = context(api, customer)

    assert card["error"] == "the answer is over 64 KB"


def test_nobody_listening_is_unavailable_and_the_others_still_answer(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    closed = ContextPeer()
    closed.server.server_close()  # its port, with nobody listening any more
    add_integration(closed.url, name="Gone")
    add_integration(context_peer.url, name="Up")

    gone, up = context(api, customer)

    assert (gone["integration"]["name"], gone["status"]) == ("Gone", "unavailable")
    assert gone["error"] == "could not connect"
    assert (up["integration"]["name"], up["data"]) == ("Up", {"plan": "Pro"})


def test_disabled_integrations_are_not_asked(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url, enabled=False)

    assert context(api, customer) == []
    assert context_peer.seen == []


def test_chat_visitor_tokens_are_not_sent(
    api: ApiClient, context_peer: ContextPeer, add_integration: Any
) -> None:
    from supportdesk.customers.identities import IdentityKind
    from supportdesk.customers.models import Identity

    visitor = CustomerFactory(emails=[])
    visitor.identities.append(Identity(kind=IdentityKind.VISITOR, value="v-secret-token"))
    db.session.commit()
    add_integration(context_peer.url)

    context(api, visitor)

    assert context_peer.seen[0].json["customer"]["identities"] == []
    assert b"v-secret-token" not in context_peer.seen[0].body


def test_no_such_customer_is_404_and_asks_nobody(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url)
    other = CustomerFactory()
    db.session.commit()
    api.post(f"/customers/{customer.id}/merge", json={"source_id": other.id})

    missing = api.get("/customers/999999/context")
    merged = api.get(f"/customers/{other.id}/context")

    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    assert merged.status_code == 404 and merged.json["merged_into"] == customer.id
    assert context_peer.seen == []


def test_only_signed_in_users_see_the_panel(client: Any, customer: Any) -> None:
    response = client.get(f"/api/v1/customers/{customer.id}/context")

    assert response.status_code == 401


def test_the_answer_shown_is_json_the_workspace_reads(
    api: ApiClient, customer: Any, context_peer: ContextPeer, add_integration: Any
) -> None:
    add_integration(context_peer.url)
    context_peer.answer('{"名前": "李", "big": 12345678901234567890}'.encode())

    response = api.get(f"/customers/{customer.id}/context")

    assert json.loads(response.get_data())["cards"][0]["data"] == {
        "名前": "李",
        "big": 12345678901234567890,
    }
