"""Who a visitor is: verified identities link, typed addresses only ever suggest."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from supportdesk.channels.chat.models import VerificationCode
from supportdesk.core.time import utcnow
from supportdesk.customers.models import Identity
from supportdesk.extensions import db
from supportdesk.tickets.models import Ticket
from tests.channels.chat.conftest import Peer, customer_of, mailed_code, sign
from tests.channels.email.conftest import INBOUND_TOKEN, compose
from tests.factories import CustomerFactory, TicketFactory


def _known_customer_with_a_chat() -> tuple[Any, Any]:
    customer = CustomerFactory(name="Li Wei", emails=["li@shop.example"], external_id="u-42")
    ticket = TicketFactory(customer=customer, channel="chat", body="My parcel is late")
    db.session.commit()
    return customer, ticket


def _verified(value: str) -> bool:
    db.session.rollback()
    return bool(db.session.scalar(select(Identity.verified).where(Identity.value == value)))


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
    own = customer_of(widget.call("message", {"body": "it is me, Li", "client_id": "1"}))
    assert widget.call("history", {"after_id": 0})["messages"][0]["body"] == "it is me, Li"

    matches = api.get(f"/customers/{own}/possible-matches").json["items"]
    assert [(m["customer"]["id"], m["email"]) for m in matches] == [
        (customer.id, "li@shop.example")
    ]
    assert api.get(f"/customers/{customer.id}").json["emails"] == ["li@shop.example"]

    merged = api.post(f"/customers/{customer.id}/merge", json={"source_id": own})
    assert merged.status_code == 200
    bodies = [e.get("body") for e in api.walk(f"/customers/{customer.id}/timeline")]
    assert "it is me, Li" in bodies and "My parcel is late" in bodies


def test_a_signed_id_of_ones_own_beside_someone_elses_email_opens_only_ones_own(
    visitor: Any, api: Any
) -> None:
    victim, _ = _known_customer_with_a_chat()

    widget, session = visitor(
        identity={
            "external_id": "attacker-7",
            "email": "li@shop.example",
            "hash": sign("attacker-7"),
        }
    )

    assert session["customer_id"] != victim.id
    assert session["messages"] == [] and session["ticket_id"] is None
    assert session["verified"] is True  # as attacker-7, the only thing the hash proves
    assert session["email"] is None
    own = api.get(f"/customers/{session['customer_id']}").json
    assert (own["external_id"], own["emails"]) == ("attacker-7", [])
    assert not _verified("li@shop.example")
    assert widget.call("history", {"after_id": 0}) == {"messages": []}
    matches = api.get(f"/customers/{session['customer_id']}/possible-matches").json["items"]
    assert [(m["customer"]["id"], m["email"]) for m in matches] == [(victim.id, "li@shop.example")]


def test_a_signed_id_of_ones_own_beside_someone_elses_email_mails_nothing_there(
    visitor: Any, smtp_peer: Any
) -> None:
    _known_customer_with_a_chat()
    own_proof = {"external_id": "attacker-8", "hash": sign("attacker-8")}
    widget, _ = visitor(identity={**own_proof, "email": "li@shop.example"})
    widget.call("message", {"body": "Win a prize: http://evil.example", "client_id": "1"})

    for payload in ({}, {"email": "li@shop.example"}):
        refused = widget.call("transcript", payload)
        assert refused["error"]["status"] == 403 and refused["error"]["verify_first"] is True
    assert smtp_peer.received == []


def test_an_unsigned_email_beside_a_new_signed_id_is_no_key_for_its_real_owner_later(
    visitor: Any, api: Any
) -> None:
    widget, session = visitor(
        identity={"external_id": "new-9", "email": "owner@mail.example", "hash": sign("new-9")}
    )
    widget.call("message", {"body": "new-9 writes", "client_id": "1"})

    _, owner = visitor(identity={"email": "owner@mail.example", "hash": sign("owner@mail.example")})

    assert owner["customer_id"] != session["customer_id"]
    assert owner["messages"] == []
    assert api.get(f"/customers/{session['customer_id']}").json["emails"] == []


def test_a_typed_address_is_a_claim_not_the_visitors_identity(visitor: Any, api: Any) -> None:
    widget, _ = visitor()

    assert widget.call("identify", {"email": "fresh@mail.example", "name": "Fresh"}) == {"ok": True}
    ack = widget.call("message", {"body": "hello", "client_id": "1"})

    customer = api.get(f"/customers/{customer_of(ack)}").json
    assert (customer["name"], customer["emails"]) == ("Fresh", [])
    claims = api.get(f"/customers/{customer_of(ack)}/claimed-emails").json["items"]
    assert [(c["email"], c["verified"]) for c in claims] == [("fresh@mail.example", False)]


def test_the_owner_proving_a_typed_address_never_opens_the_typists_chat(
    visitor: Any, smtp_peer: Any
) -> None:
    typist, typed = visitor()
    typist.call("identify", {"email": "owner@mail.example", "name": "Owner"})
    typist_customer = customer_of(typist.call("message", {"body": "typist's", "client_id": "1"}))

    _, signed = visitor(
        identity={"email": "owner@mail.example", "hash": sign("owner@mail.example")}
    )
    assert signed["customer_id"] != typist_customer and signed["messages"] == []

    by_code, _ = visitor()
    by_code.call("verify.start", {"email": "owner@mail.example"})
    assert by_code.call("verify.check", {"code": mailed_code(smtp_peer, "owner@mail.example")}) == {
        "verified": True
    }
    proven = by_code.wait_for("session", lambda s: s["verified"])
    assert proven["customer_id"] == signed["customer_id"]
    assert [m["body"] for m in proven["messages"]] == []
    by_code.call("message", {"body": "the owner's private order", "client_id": "1"})

    typist.close()
    _, back = visitor(visitor_token=typed["visitor_token"])
    assert back["customer_id"] == typist_customer
    assert [m["body"] for m in back["messages"]] == ["typist's"]


def test_mail_from_a_typed_address_does_not_file_into_the_typists_customer(
    visitor: Any, client: Any
) -> None:
    typist, _ = visitor()
    typist.call("identify", {"email": "owner@mail.example"})
    typist_customer = customer_of(typist.call("message", {"body": "typist's", "client_id": "1"}))

    filed = client.post(
        "/hooks/email",
        data=compose(sender=("Owner", "owner@mail.example"), body="the owner's own mail"),
        headers={"Authorization": f"Bearer {INBOUND_TOKEN}", "Content-Type": "message/rfc822"},
    )

    assert filed.status_code == 202, filed.json
    assert db.session.get(Ticket, filed.json["ticket_id"]).customer_id != typist_customer


def test_the_typist_who_proves_the_address_by_code_gets_it_verified(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    widget, _ = visitor()
    widget.call("identify", {"email": "mine@mail.example", "name": "Mine"})
    own = customer_of(widget.call("message", {"body": "before proof", "client_id": "1"}))

    widget.call("verify.start", {"email": "mine@mail.example"})
    widget.call("verify.check", {"code": mailed_code(smtp_peer, "mine@mail.example")})

    proven = widget.wait_for("session", lambda s: s["verified"])
    assert (proven["customer_id"], proven["email"]) == (own, "mine@mail.example")
    assert [m["body"] for m in proven["messages"]] == ["before proof"]
    assert api.get(f"/customers/{own}").json["emails"] == ["mine@mail.example"]
    assert _verified("mine@mail.example")


def test_proving_ones_own_address_after_claiming_someone_elses_opens_only_ones_own(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    victim, _ = _known_customer_with_a_chat()
    widget, _ = visitor()
    widget.call("identify", {"email": "li@shop.example", "name": "Li Wei"})

    widget.call("verify.start", {"email": "mine@mail.example"})
    widget.call("verify.check", {"code": mailed_code(smtp_peer, "mine@mail.example")})

    proven = widget.wait_for("session", lambda s: s["verified"])
    assert proven["customer_id"] != victim.id and proven["messages"] == []
    assert proven["email"] == "mine@mail.example"
    matches = api.get(f"/customers/{proven['customer_id']}/possible-matches").json["items"]
    assert [m["customer"]["id"] for m in matches] == [victim.id]  # still only a claim


def test_a_malformed_identity_email_still_gets_a_session_and_a_problem(visitor: Any) -> None:
    widget, session = visitor(identity={"email": "not an address", "name": "Odd"})

    assert session["visitor_token"] and session["verified"] is False
    problem = widget.wait_for("problem")
    assert problem["event"] == "connect" and problem["status"] == 422
    assert "identity.email" in problem["errors"]
    assert "id" in widget.call("message", {"body": "still here", "client_id": "1"})


def test_a_mailed_code_proves_the_address_and_opens_the_conversation(
    visitor: Any, smtp_peer: Any
) -> None:
    customer, ticket = _known_customer_with_a_chat()
    widget, _ = visitor(locale="zh-CN")

    assert widget.call("verify.start", {"email": "li@shop.example"}) == {"sent": True}
    code = mailed_code(smtp_peer, "li@shop.example")
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
    code = mailed_code(smtp_peer, "li@shop.example")
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        assert widget.call("verify.check", {"code": wrong})["error"]["attempts_left"] == left
    assert "expired" in widget.call("verify.check", {"code": code})["error"]["detail"]

    widget.call("verify.start", {"email": "li@shop.example"})
    code = mailed_code(smtp_peer, "li@shop.example")
    db.session.execute(update(VerificationCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert "expired" in widget.call("verify.check", {"code": code})["error"]["detail"]


def test_two_tabs_signing_in_with_one_new_id_at_once_both_get_it(server: Any) -> None:
    def open_tab(external_id: str) -> Peer:
        proof = {"external_id": external_id, "hash": sign(external_id)}
        return Peer(server.url, "/widget", {"identity": proof})

    for round_ in range(8):  # a race: several rounds, so that one of them is lost
        with ThreadPoolExecutor(2) as pool:
            tabs = list(pool.map(open_tab, [f"both-{round_}"] * 2))
        try:
            sessions = [tab.wait_for("session") for tab in tabs]
        finally:
            for tab in tabs:
                tab.close()
        assert sessions[0]["customer_id"] == sessions[1]["customer_id"] is not None
        assert all(s["verified"] for s in sessions)
