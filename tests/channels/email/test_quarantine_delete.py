"""An admin drops a quarantined e-mail they have read: it is gone, and the log says who."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.channels.email.conftest import compose
from tests.conftest import ApiClient
from tests.factories import UserFactory

GARBAGE = b"\x00\x01 not an e-mail at all"


@pytest.fixture
def admin_api(client: Any) -> ApiClient:
    token = create_token(db.session, UserFactory(role="admin", email="ana@desk.example"))
    db.session.commit()
    return ApiClient(client, token)


@pytest.fixture
def quarantined(post_email: Any) -> int:
    receipt = post_email(GARBAGE).json
    assert receipt["quarantined"], receipt
    return int(receipt["inbound_id"])


def test_an_admin_deletes_a_quarantined_email_and_the_log_names_them(
    admin_api: ApiClient, api: ApiClient, quarantined: int, caplog: Any
) -> None:
    with caplog.at_level(logging.WARNING, logger="supportdesk.channels.email.discard"):
        response = admin_api.delete(f"/email/inbound/{quarantined}")

    assert response.status_code == 204
    assert api.walk("/email/quarantine") == []
    assert api.get(f"/email/inbound/{quarantined}").status_code == 404
    assert api.get(f"/email/inbound/{quarantined}/raw").status_code == 404
    [line] = [r.getMessage() for r in caplog.records if "deleted by" in r.getMessage()]
    assert f"e-mail {quarantined} deleted by user" in line and "ana@desk.example" in line


def test_an_agent_may_reprocess_but_not_delete(api: ApiClient, quarantined: int) -> None:
    response = api.delete(f"/email/inbound/{quarantined}")

    assert response.status_code == 403
    assert response.content_type == "application/problem+json"
    assert [row["id"] for row in api.walk("/email/quarantine")] == [quarantined]


def test_a_filed_email_cannot_be_deleted(admin_api: ApiClient, api: ApiClient, post_email: Any):
    filed = post_email(compose(subject="Router blinks red")).json

    response = admin_api.delete(f"/email/inbound/{filed['inbound_id']}")

    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert api.get(f"/email/inbound/{filed['inbound_id']}").status_code == 200
    messages = api.walk(f"/tickets/{filed['ticket_id']}/messages")
    assert filed["message_id"] in [message["id"] for message in messages]


def test_deleting_twice_or_a_stranger_is_404(admin_api: ApiClient, quarantined: int) -> None:
    assert admin_api.delete(f"/email/inbound/{quarantined}").status_code == 204

    assert admin_api.delete(f"/email/inbound/{quarantined}").status_code == 404
    assert admin_api.delete("/email/inbound/999999").status_code == 404
