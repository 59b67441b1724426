"""The customer panel's counts and its repeat-contact signal.

Mei has been chasing a refund: an e-mail three days ago (and a second one ten minutes
later with the order number), another the next day, a call yesterday logged on that
ticket, and a chat an hour ago that opened a ticket of its own. The agent who opens the
chat should read "4th contact in 7 days, on 3 channels" before anything else; her
password question on the help center is another matter, and her question of last month
is history, not this week.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from supportdesk.channels.chat.identity import token_hash
from supportdesk.channels.chat.models import Visitor
from supportdesk.core.channels import Channel
from supportdesk.core.time import utcnow
from supportdesk.customers.models import Customer
from supportdesk.extensions import db
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.service.tickets import open_ticket
from tests.factories import CustomerFactory, UserFactory
from tests.test_list_statements import statements_run

PROBLEM = "application/problem+json"
NOW = utcnow()


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def writes(customer: Customer, ticket: Ticket | None, channel: str, at: datetime, **kw: Any) -> Any:
    """What the customer said, as every channel stores it."""
    return tickets.add_customer_message(
        db.session,
        customer,
        ticket=ticket,
        channel=Channel(channel),
        body=kw.pop("body", "Any news?"),
        created_at=at,
        **kw,
    )


def calls(customer: Customer, at: datetime, *, ticket: Ticket | None = None, **kw: Any) -> Any:
    call, _ = tickets.log_call(
        db.session,
        direction=kw.pop("direction", "inbound"),
        customer=customer,
        ticket=ticket,
        started_at=at,
        **kw,
    )
    return call


def mei_chasing_her_refund() -> dict[str, Any]:
    mei = CustomerFactory(name="Mei Chen", emails=["mei@example.com"], phones=["+1 415 555 0100"])
    old = writes(mei, None, "email", ago(days=30), subject="Where is my parcel?").ticket
    refund = writes(mei, None, "email", ago(days=3), subject="Refund not received").ticket
    writes(mei, refund, "email", ago(days=3, minutes=-10), body="Order 4711, sorry")
    tickets.reply(db.session, refund, UserFactory(), body="Asked billing.", internal=True)
    writes(mei, refund, "email", ago(days=2))
    calls(mei, ago(days=1), ticket=refund)
    calls(mei, ago(hours=20), ticket=refund, direction="outbound")  # we called her: not hers
    chat = writes(mei, None, "chat", ago(hours=1), subject="Re: refund still not received!").ticket
    writes(mei, chat, "chat", ago(minutes=59), body="hello?")
    writes(mei, chat, "chat", ago(minutes=58), body="anyone there?")
    password = writes(mei, None, "web", ago(minutes=30), subject="Password reset").ticket
    db.session.commit()
    return {"mei": mei.id, "old": old.id, "refund": refund.id, "chat": chat.id, "web": password.id}


def contacts(api: Any, customer_id: int, ticket_id: Any = None) -> Any:
    query = {"ticket_id": ticket_id} if ticket_id is not None else {}
    return api.get(f"/customers/{customer_id}/contacts", query_string=query)


def test_contacts_are_counted_by_channel_over_all_time_and_the_last_7_days(api):
    world = mei_chasing_her_refund()

    response = contacts(api, world["mei"])

    assert response.status_code == 200, response.json
    summary = response.json
    # e-mail: last month's, the refund's first (its follow-up ten minutes later is the
    # same contact), the next day's; the agent's note and our call to her count nothing
    assert summary["by_channel"] == [
        {"channel": "email", "total": 3, "recent": 2},
        {"channel": "chat", "total": 1, "recent": 1},
        {"channel": "phone", "total": 1, "recent": 1},
        {"channel": "web", "total": 1, "recent": 1},
    ]
    assert (summary["total"], summary["recent"], summary["days"]) == (6, 5, 7)
    assert summary["repeat"] is None  # no ticket viewed: nothing to compare with


def test_the_signal_counts_one_matter_across_email_phone_and_chat(api):
    world = mei_chasing_her_refund()

    repeat = contacts(api, world["mei"], world["chat"]).json["repeat"]

    assert repeat["count"] == 4
    assert repeat["days"] == 7
    assert repeat["channels"] == ["email", "phone", "chat"]
    assert repeat["ticket_ids"] == [world["refund"], world["chat"]]
    assert repeat["similar_ticket_ids"] == [world["refund"]]
    assert repeat["first_at"].startswith(ago(days=3).date().isoformat())
    # from the refund's own ticket, the chat is the one that only looks alike
    from_refund = contacts(api, world["mei"], world["refund"]).json["repeat"]
    assert from_refund["count"] == 4
    assert from_refund["similar_ticket_ids"] == [world["chat"]]


def test_a_dissimilar_subject_is_another_matter(api):
    world = mei_chasing_her_refund()

    # her password question is her only contact about it: no signal
    assert contacts(api, world["mei"], world["web"]).json["repeat"] is None
    # and it is not in the refund's count
    refund = contacts(api, world["mei"], world["chat"]).json["repeat"]
    assert world["web"] not in refund["ticket_ids"]
    assert "web" not in refund["channels"]


def test_a_pause_longer_than_an_hour_makes_a_chat_two_contacts(api):
    lin = CustomerFactory(name="Lin")
    chat = writes(lin, None, "chat", ago(hours=5), subject="Printer offline").ticket
    writes(lin, chat, "chat", ago(hours=4, minutes=30))  # still the same conversation
    writes(lin, chat, "chat", ago(hours=2))  # back after a long pause
    writes(lin, chat, "email", ago(hours=2, minutes=-5))  # and by e-mail at once
    db.session.commit()

    repeat = contacts(api, lin.id, chat.id).json["repeat"]

    assert repeat["count"] == 3
    assert repeat["channels"] == ["chat", "email"]


def test_follow_ups_are_the_same_matter_either_way_and_down_the_chain(api):
    kai = CustomerFactory(name="Kai")
    first = writes(kai, None, "email", ago(days=6), subject="Router keeps rebooting").ticket
    second = open_ticket(
        db.session, subject="Lights blinking", channel="email", customer=kai, follow_up_of=first
    )
    writes(kai, second, "email", ago(days=4))
    third = open_ticket(
        db.session, subject="Still broken", channel="phone", customer=kai, follow_up_of=second
    )
    calls(kai, ago(days=1), ticket=third)
    other = writes(kai, None, "email", ago(days=2), subject="Invoice address").ticket
    db.session.commit()

    for viewed in (first, second, third):
        repeat = contacts(api, kai.id, viewed.id).json["repeat"]
        assert repeat["count"] == 3, viewed.subject
        assert repeat["ticket_ids"] == [first.id, second.id, third.id]
        assert repeat["similar_ticket_ids"] == []
        assert repeat["channels"] == ["email", "phone"]
    assert contacts(api, kai.id, other.id).json["repeat"] is None


def test_chinese_subjects_match_by_their_characters(api):
    wang = CustomerFactory(name="王芳", locale="zh-CN")
    email = writes(wang, None, "email", ago(days=2), subject="退款还没到账").ticket
    chat = writes(wang, None, "chat", ago(hours=3), subject="回复：退款一直没到账").ticket
    other = writes(wang, None, "web", ago(hours=1), subject="密码重置失败").ticket
    db.session.commit()

    repeat = contacts(api, wang.id, email.id).json["repeat"]

    assert repeat["ticket_ids"] == [email.id, chat.id]
    assert repeat["channels"] == ["email", "chat"]
    assert contacts(api, wang.id, other.id).json["repeat"] is None


def test_contacts_before_the_window_or_of_another_customer_do_not_count(api):
    world = mei_chasing_her_refund()
    someone = CustomerFactory(name="Someone")
    writes(someone, None, "email", ago(hours=2), subject="Refund not received")
    # the same words, a month ago: outside the 7 days
    mei = db.session.get(Customer, world["mei"])
    old = writes(mei, None, "email", ago(days=40), subject="Refund not received").ticket
    db.session.commit()

    repeat = contacts(api, world["mei"], world["chat"]).json["repeat"]

    assert repeat["count"] == 4
    assert old.id not in repeat["ticket_ids"]


def test_calls_the_desk_titled_are_not_compared_by_subject(api):
    sam = CustomerFactory(name="Sam", emails=[], phones=["+1 415 555 0199"])
    first = calls(sam, ago(days=2)).ticket  # "Call from +14155550199"
    calls(sam, ago(days=1))  # another call: a new ticket, the same made-up title
    db.session.commit()

    assert contacts(api, sam.id, first.id).json["repeat"] is None


def test_the_signal_costs_the_same_statements_for_a_long_history(api):
    mei = CustomerFactory(name="Mei")
    viewed = writes(mei, None, "email", ago(hours=5), subject="Refund not received").ticket
    db.session.commit()
    mei_id, viewed_id = mei.id, viewed.id

    def run() -> int:
        with statements_run() as statements:
            assert contacts(api, mei_id, viewed_id).status_code == 200
        return len(statements)

    run()  # the first call of a token also notes when it was used
    before = run()
    for day in range(1, 30):
        ticket = writes(mei, None, "chat", ago(days=day / 4), subject=f"Refund {day}").ticket
        calls(mei, ago(days=day / 4, minutes=-5), ticket=ticket)
    db.session.commit()

    assert run() == before


def test_a_ticket_of_another_customer_or_none_is_refused(api):
    world = mei_chasing_her_refund()
    other = writes(CustomerFactory(), None, "email", ago(hours=1), subject="Hi").ticket
    db.session.commit()

    for ticket_id in (other.id, 999999, "abc", 0):
        response = contacts(api, world["mei"], ticket_id)
        assert response.status_code == 422, ticket_id
        assert response.content_type == PROBLEM
        assert "ticket_id" in response.json["errors"]


def test_an_unknown_or_merged_customer_is_not_found(api):
    world = mei_chasing_her_refund()
    twin = CustomerFactory(name="Mei (chat)")
    db.session.commit()
    api.post(f"/customers/{world['mei']}/merge", json={"source_id": twin.id})

    for customer_id in (999999, twin.id):
        response = contacts(api, customer_id)
        assert response.status_code == 404
        assert response.content_type == PROBLEM
    assert contacts(api, twin.id).json["merged_into"] == world["mei"]


@pytest.mark.parametrize("credentials", ["none", "visitor"])
def test_only_agents_read_a_customers_contacts(client, credentials):
    world = mei_chasing_her_refund()
    token = "v" * 43  # the customer's own widget visitor token is no agent's credential
    db.session.add(Visitor(token_hash=token_hash(token), customer_id=world["mei"]))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"} if credentials == "visitor" else {}

    response = client.get(
        f"/api/v1/customers/{world['mei']}/contacts",
        query_string={"ticket_id": world["chat"], "visitor_token": token},
        headers=headers,
    )

    assert response.status_code == 401
    assert response.content_type == PROBLEM
    assert "repeat" not in response.json
