"""Files on agents' replies: POST /api/v1/uploads, then the reply's ``attachment_ids``;
the files go out with the e-mail and are listed with the message."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.tickets.models import Attachment, Message
from supportdesk.tickets.tasks import purge_unclaimed_uploads
from supportdesk.users.service import create_token
from tests.conftest import ApiClient
from tests.factories import CustomerFactory, TicketFactory, UserFactory
from tests.peers import LiveServer

PROBLEM = "application/problem+json"
PDF = b"%PDF-1.4 the invoice for order 1042"


def upload(api: ApiClient, data: bytes, filename: str, content_type: str | None = None) -> Any:
    file = (
        (io.BytesIO(data), filename, content_type) if content_type else (io.BytesIO(data), filename)
    )
    return api.post("/uploads", data={"file": file}, json=None)


def uploaded(api: ApiClient, data: bytes, filename: str, content_type: str | None = None) -> int:
    response = upload(api, data, filename, content_type)
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.fixture
def ticket() -> Any:
    made = TicketFactory(customer=CustomerFactory(name="Mei Lin", emails=["mei@example.com"]))
    db.session.commit()
    return made


@pytest.fixture
def colleague_api(client: Any) -> ApiClient:
    token = create_token(db.session, UserFactory(name="Cole League"))
    db.session.commit()
    return ApiClient(client, token)


def message_count() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Message))


def test_a_reply_carries_the_uploaded_files_and_the_ticket_lists_them(api, ticket):
    answer = upload(api, PDF, "invoice.pdf", "application/pdf")
    assert answer.status_code == 201, answer.json
    assert {k: answer.json[k] for k in ("filename", "content_type", "size")} == {
        "filename": "invoice.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
    }
    photo = uploaded(api, b"\x89PNG\r\n\x1a\n pixels", "router.png", "image/png")

    reply = api.post(
        f"/tickets/{ticket.id}/messages",
        json={
            "body": "Here is the invoice.",
            "internal": True,
            "attachment_ids": [photo, answer.json["id"]],
        },
    )

    assert reply.status_code == 201, reply.json
    assert [a["filename"] for a in reply.json["attachments"]] == ["invoice.pdf", "router.png"]
    [listed] = [
        m for m in api.walk(f"/tickets/{ticket.id}/messages") if m["id"] == reply.json["id"]
    ]
    assert [(a["filename"], a["content_type"], a["size"]) for a in listed["attachments"]] == [
        ("invoice.pdf", "application/pdf", len(PDF)),
        ("router.png", "image/png", len(b"\x89PNG\r\n\x1a\n pixels")),
    ]
    file = api.get(listed["attachments"][0]["url"].removeprefix("/api/v1"))
    assert file.status_code == 200 and file.data == PDF
    assert file.headers["Content-Disposition"].startswith("attachment;")


def test_the_e_mail_carries_the_files_with_their_names_chinese_ones_too(
    api, ticket, app, smtp_peer, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{smtp_peer.port}")
    invoice = uploaded(api, PDF, "发票 1042.pdf", "application/pdf")
    log = uploaded(api, b"12:00 link down\n", "router.log")

    reply = api.post(
        f"/tickets/{ticket.id}/messages",
        json={"body": "The invoice and the log are attached.", "attachment_ids": [invoice, log]},
    )

    assert reply.status_code == 201, reply.json
    [mail] = smtp_peer.messages
    assert (
        mail.get_body(("plain",)).get_content().strip() == "The invoice and the log are attached."
    )
    files = {part.get_filename(): part for part in mail.iter_attachments()}
    assert set(files) == {"发票 1042.pdf", "router.log"}
    assert files["发票 1042.pdf"].get_content() == PDF
    assert files["发票 1042.pdf"].get_content_type() == "application/pdf"
    assert files["router.log"].get_content() == b"12:00 link down\n"
    # RFC 2231: the name as percent-encoded UTF-8, not an encoded-word
    assert b"filename*=utf-8''%E5%8F%91%E7%A5%A8%201042.pdf" in smtp_peer.received[0]


def test_an_upload_is_only_its_uploaders_and_goes_with_one_message(api, colleague_api, ticket):
    mine = uploaded(api, PDF, "invoice.pdf")
    theirs = uploaded(colleague_api, PDF, "theirs.pdf")
    before = message_count()

    for ids in ([theirs], [mine, theirs], [mine + theirs + 1000]):
        refused = api.post(
            f"/tickets/{ticket.id}/messages", json={"body": "Attached.", "attachment_ids": ids}
        )
        assert refused.status_code == 422, refused.json
        assert refused.content_type == PROBLEM
        assert "attachment_ids" in refused.json["errors"]
    assert message_count() == before  # nothing stored, not even the message

    sent = api.post(f"/tickets/{ticket.id}/messages", json={"body": "1", "attachment_ids": [mine]})
    assert sent.status_code == 201, sent.json
    again = api.post(f"/tickets/{ticket.id}/messages", json={"body": "2", "attachment_ids": [mine]})
    assert again.status_code == 422 and "attachment_ids" in again.json["errors"]
    twice = api.post(
        f"/tickets/{ticket.id}/messages", json={"body": "3", "attachment_ids": [theirs, theirs]}
    )
    assert twice.status_code == 422 and "attachment_ids" in twice.json["errors"]


def test_two_replies_racing_for_one_upload_one_gets_it(app, agent, ticket):
    token = create_token(db.session, agent)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    ticket_id = ticket.id  # read here: the threads have no app context to load it in
    with LiveServer(app) as live:
        made = requests.post(
            live.url + "/api/v1/uploads",
            files={"file": ("invoice.pdf", PDF, "application/pdf")},
            headers=headers,
            timeout=10,
        )
        assert made.status_code == 201, made.text
        start = threading.Barrier(2)
        upload_id = made.json()["id"]

        def send(n: int) -> requests.Response:
            start.wait()
            return requests.post(
                f"{live.url}/api/v1/tickets/{ticket_id}/messages",
                json={"body": f"Reply {n}", "internal": True, "attachment_ids": [upload_id]},
                headers=headers,
                timeout=30,
            )

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(send, range(2)))

    assert sorted(r.status_code for r in answers) == [201, 422], [r.text for r in answers]
    [lost] = [r for r in answers if r.status_code == 422]
    assert "attachment_ids" in lost.json()["errors"]
    db.session.rollback()
    owners = db.session.scalars(sa.select(Attachment.message_id)).all()
    [won] = [r for r in answers if r.status_code == 201]
    assert owners == [won.json()["id"]]


def test_too_large_an_upload_is_refused_and_the_limit_is_the_uploads_own(api, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
    big = b"x" * (1024 * 1024 + 500_000)  # over the API's 1 MB body limit, under the uploads'
    assert upload(api, big, "capture.pcap").status_code == 201

    too_big = upload(api, b"x" * (2 * 1024 * 1024 + 1), "capture.pcap")
    far_too_big = upload(api, b"x" * (3 * 1024 * 1024), "capture.pcap")

    for refused in (too_big, far_too_big):
        assert refused.status_code == 413, refused.data[:300]
        assert refused.content_type == PROBLEM


def test_an_upload_without_a_file_is_a_field_error_and_an_empty_file_is_a_file(api):
    missing = api.post("/uploads", data={"other": "x"}, json=None)
    as_text = api.post("/uploads", data={"file": "not a file part"}, json=None)

    for refused in (missing, as_text):
        assert refused.status_code == 422, refused.json
        assert refused.content_type == PROBLEM
        assert "file" in refused.json["errors"]
    empty = upload(api, b"", "empty.txt")
    assert (empty.status_code, empty.json["size"]) == (201, 0)


def test_an_upload_holds_the_file_and_nothing_else(api):
    beside = api.post(
        "/uploads", data={"file": (io.BytesIO(b"x"), "a.txt"), "note": "hi"}, json=None
    )
    two = api.post(
        "/uploads",
        data={"file": (io.BytesIO(b"x"), "a.txt"), "more": (io.BytesIO(b"y"), "b.txt")},
        json=None,
    )

    assert (beside.status_code, list(beside.json["errors"])) == (422, ["note"])
    assert (two.status_code, list(two.json["errors"])) == (422, ["more"])


def test_an_upload_is_never_rendered_and_its_name_loses_folders(api):
    page = uploaded(api, b"<script>alert(1)</script>", "../../home/eve/page.html", "text/html")

    file = api.get(f"/attachments/{page}")

    assert file.headers["Content-Disposition"].startswith('attachment; filename="page.html"')
    assert file.headers["Content-Security-Policy"] == "sandbox"
    assert file.headers["X-Content-Type-Options"] == "nosniff"


def test_uploads_no_reply_took_for_a_day_are_purged(api, ticket):
    stale = uploaded(api, PDF, "stale.pdf")
    sent = uploaded(api, PDF, "sent.pdf")
    fresh = uploaded(api, PDF, "fresh.pdf")
    assert (
        api.post(
            f"/tickets/{ticket.id}/messages", json={"body": "Sent.", "attachment_ids": [sent]}
        ).status_code
        == 201
    )
    db.session.execute(
        sa.update(Attachment)
        .where(Attachment.id.in_([stale, sent]))
        .values(created_at=utcnow() - timedelta(days=1, minutes=1))
    )
    db.session.commit()

    purge_unclaimed_uploads()

    assert api.get(f"/attachments/{stale}").status_code == 404
    assert api.get(f"/attachments/{sent}").status_code == 200
    late = api.post(f"/tickets/{ticket.id}/messages", json={"body": "x", "attachment_ids": [stale]})
    assert late.status_code == 422
    kept = api.post(f"/tickets/{ticket.id}/messages", json={"body": "y", "attachment_ids": [fresh]})
    assert kept.status_code == 201, kept.json
