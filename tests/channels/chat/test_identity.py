"""Who a visitor is: verified identities link, typed addresses only ever suggest."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from supportdesk.channels.chat.models import VerificationCode
from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from tests.channels.chat.conftest import sign
from tests.factories import CustomerFactory, TicketFactory


def _known_customer_with_a_chat() -> tuple[Any, Any]:
    customer = CustomerFactory(name="Li Wei", emails=["li@shop.example"], external_id="u-42")
    ticket = TicketFactory(customer=customer, channel="chat", body="My parcel is late")
    return customer, ticket


def test_a_verified_identity_opens_that_customers_conversation(visitor: Any) -> None:
    customer, ticket = _known_customer_with_a_chat()

    _, session = visitor(identity={"external_id": "u-42", "hash": sign("u-42")})

    assert session["customer_id"] == customer.id
    assert session["verified"] is True
    assert session["ticket_id"] == ticket.id
    assert [m["body"] for m in session["messages"]] == ["My parcel is late"]


def test_a_verified_email_identity_makes_a_new_customer_when_nobody_owns_it(visitor: Any) -> None:
    _, session = visitor(
        identity={
            "email": "new@shop.example",
            "name": "New Person",
            "hash": sign("new@shop.example"),
        }
    )

    assert session["verified"] is True and session["email"] == "new@shop.example"
    assert session["messages"] == []


def test_a_wrong_hash_links_nobody(visitor: Any) -> None:
    customer, _ = _known_customer_with_a_chat()

    _, session = visitor(identity={"external_id": "u-42", "hash": sign("u-43")})

    assert session["customer_id"] != customer.id
    assert session["verified"] is False
    assert session["messages"] == []


def test_an_anonymous_chat_joins_the_customer_once_the_site_vouches_for_them(
    visitor: Any, api: Any
) -> None:
    customer, old = _known_customer_with_a_chat()
    api.patch(f"/tickets/{old.id}", json={"status": "solved"})
    api.patch(f"/tickets/{old.id}", json={"status": "closed"})
    widget, anonymous = visitor()
    widget.call("message", {"body": "before signing in", "client_id": "1"})
    widget.close()

    _, signed_in = visitor(
        visitor_token=anonymous["visitor_token"],
        identity={"external_id": "u-42", "hash": sign("u-42")},
    )

    assert signed_in["customer_id"] == customer.id
    assert [m["body"] for m in signed_in["messages"]] == ["before signing in"]
    timeline = api.walk(f"/customers/{customer.id}/timeline", kind="message")
    assert "before signing in" in [entry["body"] for entry in timeline]


def test_an_unverified_email_is_a_possible_match_never_a_link(visitor: Any, api: Any) -> None:
    customer, _ = _known_customer_with_a_chat()

    widget, session = visitor(identity={"email": "li@shop.example", "name": "Li Wei"})
    assert session["customer_id"] != customer.id
    assert session["messages"] == []
    assert widget.call("identify", {"email": "LI@shop.example"}) == {"ok": True}
    widget.call("message", {"body": "it is me, Li", "client_id": "1"})
    assert widget.call("history", {"after_id": 0})["messages"][0]["body"] == "it is me, Li"

    matches = api.get(f"/customers/{session['customer_id']}/possible-matches").json["items"]
    assert [(m["customer"]["id"], m["email"]) for m in matches] == [
        (customer.id, "li@shop.example")
    ]
    assert api.get(f"/customers/{customer.id}").json["emails"] == ["li@shop.example"]

    merged = api.post(f"/customers/{customer.id}/merge", json={"source_id": session["customer_id"]})
    assert merged.status_code == 200
    bodies = [e.get("body") for e in api.walk(f"/customers/{customer.id}/timeline")]
    assert "it is me, Li" in bodies and "My parcel is late" in bodies


def test_an_unverified_email_nobody_owns_becomes_the_visitors_address(
    visitor: Any, api: Any
) -> None:
    widget, session = visitor()

    widget.call("identify", {"email": "fresh@mail.example", "name": "Fresh"})

    customer = api.get(f"/customers/{session['customer_id']}").json
    assert (customer["name"], customer["emails"]) == ("Fresh", ["fresh@mail.example"])


def _code_from(smtp_peer: Any, address: str) -> str:
    mail = next(m for m in reversed(smtp_peer.messages) if address in m["To"])
    match = re.search(
        r"\b(\d{6})\b",
        mail.get_content() if not mail.is_multipart() else mail.get_body(("plain",)).get_content(),
    )
    assert match, mail
    return match.group(1)


def test_a_mailed_code_proves_the_address_and_opens_the_conversation(
    visitor: Any, smtp_peer: Any
) -> None:
    customer, ticket = _known_customer_with_a_chat()
    widget, _ = visitor(locale="zh-CN")

    assert widget.call("verify.start", {"email": "li@shop.example"}) == {"sent": True}
    code = _code_from(smtp_peer, "li@shop.example")
    mail = smtp_peer.messages[-1]
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Subject"] == f"您的验证码：{code}"  # the visitor's language, encoded right
    wrong = "000000" if code != "000000" else "111111"
    refused = widget.call("verify.check", {"code": wrong})
    assert refused["error"]["status"] == 422 and refused["error"]["attempts_left"] == 4

    assert widget.call("verify.check", {"code": code}) == {"verified": True}
    proven = widget.wait_for("session", lambda s: s["verified"])
    assert proven["customer_id"] == customer.id
    assert proven["ticket_id"] == ticket.id
    assert widget.call("verify.check", {"code": code})["error"]["status"] == 422  # used once


def test_codes_expire_and_allow_five_attempts(visitor: Any, smtp_peer: Any) -> None:
    _known_customer_with_a_chat()
    widget, _ = visitor()

    widget.call("verify.start", {"email": "li@shop.example"})
    code = _code_from(smtp_peer, "li@shop.example")
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        assert widget.call("verify.check", {"code": wrong})["error"]["attempts_left"] == left
    assert "expired" in widget.call("verify.check", {"code": code})["error"]["detail"]

    widget.call("verify.start", {"email": "li@shop.example"})
    code = _code_from(smtp_peer, "li@shop.example")
    db.session.execute(update(VerificationCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert "expired" in widget.call("verify.check", {"code": code})["error"]["detail"]
