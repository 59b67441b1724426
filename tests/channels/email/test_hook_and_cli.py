"""The two doors mail comes in by: the HTTP hook a mail provider posts raw MIME to, and
the ``ingest-email`` command an MTA pipes each message into.

The hook admits only the holder of the inbound token and only raw mail of a sane size;
the command's exit status tells the MTA what to do: 0 stored, 65 bounce it, 75 try again.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
import sqlalchemy as sa

from supportdesk.channels.email.models import InboundEmail
from supportdesk.extensions import db
from tests.channels.email.conftest import compose

PROBLEM = "application/problem+json"
EX_DATAERR, EX_TEMPFAIL = 65, 75


def inbound_rows() -> int:
    """Raw messages kept, filed or not (there is no API listing filed raw mail)."""
    db.session.rollback()  # see what requests and commands committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(InboundEmail))


def assert_nothing_stored(api: Any) -> None:
    assert inbound_rows() == 0
    assert api.walk("/tickets") == []
    assert api.walk("/email/quarantine") == []


def ingest(app: Any, *args: str, input: bytes | None = None) -> Any:
    return app.test_cli_runner().invoke(args=["ingest-email", *args], input=input)


# -- the hook --------------------------------------------------------------------------------


def test_the_provider_posts_raw_mail_and_gets_the_ticket_and_message_ids(api, post_email):
    response = post_email(compose(subject="Router blinks red"))

    assert response.status_code == 202
    receipt = response.json
    ticket = api.get(f"/tickets/{receipt['ticket_id']}").json
    assert (ticket["subject"], ticket["channel"]) == ("Router blinks red", "email")
    [first, *_] = api.walk(f"/tickets/{ticket['id']}/messages")
    assert first["id"] == receipt["message_id"]
    assert api.get(f"/email/inbound/{receipt['inbound_id']}").json["source"] == "hook"


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="none"),
        pytest.param("Bearer not-the-secret", id="wrong-token"),
        pytest.param("Bearer ", id="empty-token"),
        pytest.param("Basic aW5ib3VuZC1zZWNyZXQ=", id="basic-scheme"),
        pytest.param("agent", id="an-agents-api-token"),
    ],
)
def test_the_hook_answers_401_without_the_inbound_token_and_stores_nothing(
    api, client, authorization
):
    headers = {"Content-Type": "message/rfc822"}
    if authorization == "agent":
        headers.update(api.headers)  # a valid API token, but not the inbound one
    elif authorization is not None:
        headers["Authorization"] = authorization

    response = client.post("/hooks/email", data=compose(), headers=headers)

    assert response.status_code == 401
    assert response.content_type == PROBLEM
    assert response.json["status"] == 401
    assert_nothing_stored(api)


def test_the_hook_is_shut_when_no_inbound_token_is_configured(app, api, post_email, monkeypatch):
    monkeypatch.setitem(app.config, "INBOUND_EMAIL_TOKEN", None)

    answers = [post_email(compose(), token=token) for token in ("", "inbound-secret", "None")]

    assert [a.status_code for a in answers] == [401, 401, 401]
    assert_nothing_stored(api)


@pytest.mark.parametrize(
    "content_type", ["application/json", "multipart/form-data; boundary=x", "text/html"]
)
def test_the_hook_takes_raw_mail_only(api, post_email, content_type):
    response = post_email(compose(), **{"Content-Type": content_type})

    assert response.status_code == 415
    assert response.content_type == PROBLEM
    assert "message/rfc822" in response.json["detail"]
    assert_nothing_stored(api)


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream"])
def test_providers_that_label_raw_mail_otherwise_are_served_too(api, post_email, content_type):
    response = post_email(compose(subject="Labelled oddly"), **{"Content-Type": content_type})

    assert response.status_code == 202, response.json
    assert api.get(f"/tickets/{response.json['ticket_id']}").json["subject"] == "Labelled oddly"


def test_a_message_over_the_size_limit_is_refused_with_413_and_nothing_is_stored(
    app, api, post_email, monkeypatch
):
    raw = compose(body="x" * 2_000)
    monkeypatch.setitem(app.config, "EMAIL_MAX_BYTES", len(raw) - 1)

    response = post_email(raw)

    assert response.status_code == 413
    assert response.content_type == PROBLEM
    assert_nothing_stored(api)
    # Exactly at the limit is fine.
    monkeypatch.setitem(app.config, "EMAIL_MAX_BYTES", len(raw))
    assert post_email(raw).status_code == 202


def test_mail_larger_than_an_api_request_may_be_is_still_taken(api, app, post_email):
    drawing = bytes(range(256)) * 8_192  # 2 MiB
    mail = EmailMessage()
    mail["From"] = "Mei Lin <mei@example.com>"
    mail["To"] = "support@desk.example"
    mail["Subject"] = "The wiring plan"
    mail["Message-ID"] = make_msgid(domain="mail.example.com")
    mail.set_content("The plan of the wiring is attached.")
    mail.add_attachment(drawing, "application", "octet-stream", filename="plan.dwg")

    raw = bytes(mail)
    assert app.config["MAX_CONTENT_LENGTH"] < len(raw) < app.config["EMAIL_MAX_BYTES"]

    response = post_email(raw)

    assert response.status_code == 202, response.get_data(as_text=True)[:500]
    [message, *_] = api.walk(f"/tickets/{response.json['ticket_id']}/messages")
    assert [(a["filename"], a["size"]) for a in message["attachments"]] == [
        ("plan.dwg", len(drawing))
    ]


# -- ingest-email ----------------------------------------------------------------------------


def test_ingest_email_files_a_message_from_stdin_and_exits_0(app, api):
    result = ingest(app, input=compose(subject="Piped by Postfix"))

    assert result.exit_code == 0, result.output
    receipt = json.loads(result.stdout.strip().splitlines()[-1])
    assert receipt["quarantined"] is False
    ticket = api.get(f"/tickets/{receipt['ticket_id']}").json
    assert (ticket["subject"], ticket["channel"]) == ("Piped by Postfix", "email")
    messages = api.walk(f"/tickets/{ticket['id']}/messages")
    assert messages[0]["body"] == "It has been blinking since this morning."
    assert api.get(f"/email/inbound/{receipt['inbound_id']}").json["source"] == "cli"


def test_ingest_email_reads_a_file_and_a_second_delivery_stores_nothing_new(app, api, tmp_path):
    path = tmp_path / "message.eml"
    # As an MTA's pipe may hand it over: an mbox "From " line first, LF line ends.
    path.write_bytes(b"From mei@example.com  Mon Mar  2 10:00:00 2026\n" + compose())

    first = ingest(app, "--file", str(path))
    second = ingest(app, "--file", str(path))

    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    one, two = (json.loads(r.stdout.strip().splitlines()[-1]) for r in (first, second))
    assert two["duplicate"] is True
    assert (two["ticket_id"], two["message_id"]) == (one["ticket_id"], one["message_id"])
    assert [t["subject"] for t in api.walk("/tickets")] == ["My router blinks red"]
    customer_said = [
        m for m in api.walk(f"/tickets/{one['ticket_id']}/messages") if m["direction"] == "inbound"
    ]
    assert len(customer_said) == 1
    assert inbound_rows() == 1


def test_ingest_email_keeps_what_it_cannot_file_and_still_exits_0(app, api):
    result = ingest(app, input=b"\x00\x01 this is no e-mail \xff")

    assert result.exit_code == 0, result.output
    [kept] = api.walk("/email/quarantine")
    assert kept["source"] == "cli"
    assert "not an e-mail" in kept["error"]


def test_ingest_email_over_the_size_limit_exits_65_so_the_mta_bounces_it(app, api, monkeypatch):
    raw = compose(body="x" * 2_000)
    monkeypatch.setitem(app.config, "EMAIL_MAX_BYTES", 1_000)

    result = ingest(app, input=raw)

    assert result.exit_code == EX_DATAERR
    assert "limit" in result.stderr
    assert_nothing_stored(api)


def test_ingest_email_exits_75_when_the_database_is_unreachable_so_the_mta_retries(make_app):
    broken = make_app(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-dir/supportdesk.db")

    with broken.app_context():  # the command runs on this app, not on the test's own
        result = ingest(broken, input=compose())

    assert result.exit_code == EX_TEMPFAIL, result.output
    assert "Could not store the message" in result.stderr
