"""Requests from the help center: a ticket on channel web with a ref, the e-mail a claim that
never opens anyone's history; a "No" carries its article and comment; bots and floods file
nothing."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import sqlalchemy as sa

from supportdesk.core.channels import Channel
from supportdesk.customers.models import Customer, Identity
from supportdesk.extensions import db
from supportdesk.tickets.models import Message, Ticket, TicketEvent
from tests.channels.web.conftest import Shelf, aged_page, view_token
from tests.factories import CustomerFactory, TicketFactory

REQUEST = {
    "name": "Mei Lin",
    "email": "Mei@Example.com",
    "subject": "Refund for order 1234",
    "body": "The blender arrived broken.",
}


def file(client: Any, **changes: Any) -> Any:
    return client.post("/api/v1/portal/tickets", json={**REQUEST, **changes})


def ticket_of(ref: str) -> Ticket:
    db.session.rollback()
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.id == int(ref.split("-")[1]) - 1000))
    assert ticket is not None, ref
    return ticket


def web_request_event(ticket: Ticket) -> dict[str, Any]:
    data = db.session.scalar(
        sa.select(TicketEvent.data).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.event == "web_request"
        )
    )
    assert data is not None
    return data


def test_a_request_becomes_a_web_ticket_with_a_ref(client: Any, api: Any) -> None:
    response = file(client, locale="zh-CN")
    assert response.status_code == 201, response.json
    ref = response.json["ref"]
    assert re.fullmatch(r"SD-\d+", ref)
    ticket = ticket_of(ref)
    assert ticket.channel is Channel.WEB and ticket.subject == "Refund for order 1234"
    messages = api.get(f"/tickets/{ticket.id}/messages").json["items"]
    assert [m["body"] for m in messages] == ["The blender arrived broken."]
    assert ticket.customer.name == "Mei Lin" and ticket.customer.locale == "zh-CN"
    assert web_request_event(ticket)["claimed_email"] == "mei@example.com"


def test_someone_elses_email_never_joins_their_history(client: Any, api: Any) -> None:
    """An attacker types a verified customer's address: the request is filed apart, the
    owner's timeline and tickets do not show it, and the address stays the owner's alone."""
    owner = CustomerFactory(name="Owner", emails=["owner@example.com"])
    db.session.flush()
    db.session.execute(
        sa.update(Identity).where(Identity.customer_id == owner.id).values(verified=True)
    )
    TicketFactory(customer=owner, subject="My own ticket", body="Mine")
    db.session.commit()

    ref = file(
        client, name="Owner", email="OWNER@example.com", subject="Send my data", body="x"
    ).json["ref"]
    ticket = ticket_of(ref)
    assert ticket.customer_id != owner.id
    timeline = api.walk(f"/customers/{owner.id}/timeline")
    assert ticket.id not in {entry.get("ticket_id") for entry in timeline}
    assert "Send my data" not in str(timeline) and "x" not in [e.get("body") for e in timeline]
    owned = api.walk("/tickets", customer_id=owner.id)
    assert [t["subject"] for t in owned] == ["My own ticket"]
    holders = db.session.scalars(
        sa.select(Identity.customer_id).where(Identity.value == "owner@example.com")
    ).all()
    assert holders == [owner.id]
    # and the attacker's own customer holds no identity made from the claim
    assert api.get(f"/customers/{ticket.customer_id}").json["emails"] == []


def test_a_reply_to_a_request_is_mailed_to_the_claimed_address(client: Any, api: Any) -> None:
    ticket = ticket_of(file(client).json["ref"])
    reply = api.post(f"/tickets/{ticket.id}/messages", json={"body": "We will refund you."})
    assert reply.status_code == 201, reply.json
    db.session.rollback()
    from supportdesk.channels.email.models import EmailDetails

    details = db.session.get(EmailDetails, reply.json["id"])
    assert details is not None and details.to == [{"name": "", "address": "mei@example.com"}]


def test_a_web_reply_to_a_customer_with_a_proven_address_is_mailed_there_by_name(api: Any) -> None:
    from supportdesk.channels.email.models import EmailDetails

    ticket = TicketFactory(customer=CustomerFactory(name="Mei Lin", emails=["mei@example.com"]))
    db.session.commit()

    reply = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Done.", "channel": "web"})

    assert reply.status_code == 201, reply.json
    db.session.rollback()
    details = db.session.get(EmailDetails, reply.json["id"])
    assert details is not None
    assert details.to == [{"name": "Mei Lin", "address": "mei@example.com"}]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"subject": ""}, "subject"),
        ({"body": "   "}, "body"),
        ({"name": None}, "name"),
        ({"article_id": 999}, "article_id"),
    ],
)
def test_bad_requests_answer_422_and_file_nothing(
    client: Any, changes: dict[str, Any], field: str
) -> None:
    response = file(client, **changes)
    assert response.status_code == 422
    assert field in response.json["errors"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def test_a_draft_is_no_article_to_file_from(client: Any, shelf: Shelf) -> None:
    assert file(client, article_id=shelf.draft.id).status_code == 422


def test_the_honeypot_answers_like_a_request_and_files_nothing(client: Any) -> None:
    response = file(client, website="http://spam.example")
    assert response.status_code == 201 and re.fullmatch(r"SD-\d+", response.json["ref"])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 0


def test_requests_are_rate_limited_per_address(make_app: Any) -> None:
    client = make_app(WEB_REQUEST_RATE_LIMIT="2 per hour").test_client()
    answers = [file(client).status_code for _ in range(3)]
    assert answers == [201, 201, 429]
    form = client.post("/help/requests/new", data={**REQUEST, "locale": "en"})
    assert form.status_code == 429


def test_a_no_carries_its_article_and_comment_into_the_request(
    client: Any, shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/help/en/articles/{shelf.refund.slug}"
    token = view_token(aged_page(client, url, monkeypatch).get_data(as_text=True))
    client.post(
        f"{url}/feedback", data={"helpful": "no", "view_token": token, "comment": "No dates"}
    )
    form = client.get(f"/help/requests/new?article_id={shelf.refund.id}&locale=en")
    page = form.get_data(as_text=True)
    assert 'value="Question about “Refund policy”"' in page
    assert ">No dates</textarea>" in page
    assert f'name="article_id" value="{shelf.refund.id}"' in page

    data = {**REQUEST, "subject": "Question about “Refund policy”", "body": "No dates",
            "article_id": str(shelf.refund.id), "locale": "en"}  # fmt: skip
    sent = client.post("/help/requests/new", data=data)
    assert sent.status_code == 303
    ref = re.search(r"ref=(SD-\d+)", sent.headers["Location"]).group(1)  # type: ignore[union-attr]
    confirmation = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert f'<p class="ref" id="request-ref">{ref}</p>' in confirmation
    event = web_request_event(ticket_of(ref))
    assert event["article_id"] == shelf.refund.id and event["vote_comment"] == "No dates"
    assert event["article_title"] == "Refund policy"


def test_the_form_shows_each_error_in_the_readers_language(client: Any) -> None:
    data = {"name": "", "email": "nope", "subject": "Hi", "body": "Help", "locale": "zh-CN"}
    response = client.post("/help/requests/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请修改下面标出的内容。" in page and "此项为必填项。" in page
    assert 'value="nope"' in page  # what they typed stays
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_the_confirmation_shows_only_a_ref(client: Any) -> None:
    page = client.get("/help/requests/sent?ref=Call+0800+SCAM&locale=en").get_data(as_text=True)
    assert "SCAM" not in page


def form_with_files(*files: tuple[bytes, str]) -> dict[str, Any]:
    return {**REQUEST, "locale": "en", "files": [(io.BytesIO(data), name) for data, name in files]}


def test_the_form_carries_files_onto_the_requests_message(client: Any) -> None:
    data = form_with_files(
        (b"\x89PNG\r\n\x1a\n screen", "screen.png"), (b"%PDF-1.4", "../receipt.pdf")
    )
    sent = client.post("/help/requests/new", data=data, content_type="multipart/form-data")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:300]
    ref = re.search(r"ref=(SD-\d+)", sent.headers["Location"]).group(1)  # type: ignore[union-attr]
    message = db.session.scalar(sa.select(Message).where(Message.ticket_id == ticket_of(ref).id))
    assert message is not None
    files = sorted((a.filename, a.content_type, a.size) for a in message.attachments)
    assert files == [("receipt.pdf", "application/pdf", 8), ("screen.png", "image/png", 15)]


def test_too_many_or_too_large_files_show_the_form_again(make_app: Any, client: Any) -> None:
    many = form_with_files(*[(b"x", f"{n}.txt") for n in range(4)])
    response = client.post("/help/requests/new", data=many, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Attach up to 3 files, 1 MB in all." in response.get_data(as_text=True)

    small = make_app(MAX_CONTENT_LENGTH=2048).test_client()
    big = form_with_files((b"x" * 4096, "huge.bin"))
    response = small.post(
        "/help/requests/new?locale=zh-CN", data=big, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "最多可附 3 个文件，合计不超过 2 KB。" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def test_the_api_takes_the_comment_of_the_callers_own_no(
    client: Any, shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/help/en/articles/{shelf.refund.slug}"
    token = view_token(aged_page(client, url, monkeypatch).get_data(as_text=True))
    vote = {"helpful": False, "comment": "Which address?", "view_token": token}
    voted = client.post(f"/api/v1/kb/articles/{shelf.refund.id}/feedback", json=vote)
    assert voted.status_code == 200
    mine = ticket_of(file(client, article_id=shelf.refund.id).json["ref"])
    assert web_request_event(mine)["vote_comment"] == "Which address?"

    client.delete_cookie("supportdesk_kb_voter")  # another browser: nobody's comment
    theirs = ticket_of(file(client, article_id=shelf.refund.id).json["ref"])
    assert "vote_comment" not in web_request_event(theirs)


def test_a_link_cannot_fill_in_the_readers_address(client: Any) -> None:
    page = client.get("/help/requests/new?email=attacker@example.com&subject=Hi").get_data(
        as_text=True
    )
    assert "attacker@example.com" not in page and 'value="Hi"' in page
