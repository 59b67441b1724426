"""``@handle`` in an internal note notifies that agent: by the name without its spaces or
the e-mail's local part, in any case, in Chinese too; never the author, never a reply."""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.users import service as users
from tests.factories import TicketFactory, UserFactory


@pytest.fixture
def desk(agent: Any) -> dict[str, Any]:
    """Ada (the ``api`` fixture's agent) and her colleagues."""
    colleagues = {
        "grace": UserFactory(name="Grace Hopper", email="grace@desk.example"),
        "fang": UserFactory(name="王芳", email="wang.fang@desk.example"),
        "fangfang": UserFactory(name="王芳芳", email="ff@desk.example"),
        "adam": UserFactory(name="Adam", email="adam@desk.example"),
    }
    db.session.commit()
    return {"ada": agent, **colleagues}


def note(api: Any, ticket: Any, body: str, *, internal: bool = True) -> Any:
    db.session.commit()  # what the test made is there for the request (and no lock held)
    written = api.post(f"/tickets/{ticket.id}/messages", json={"body": body, "internal": internal})
    assert written.status_code == 201, written.json
    return written.json


def mentioned(api_as: Any, desk: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each agent's mentions, newest first."""
    return {
        key: [n for n in api_as(user).walk("/notifications") if n["kind"] == "mention"]
        for key, user in desk.items()
    }


def test_a_note_notifies_the_agents_it_mentions(api, api_as, desk):
    ticket = TicketFactory(subject="Refund for order 1042")
    db.session.commit()

    written = note(api, ticket, "@GraceHopper please check the refund, and @王芳请看一下 too.")

    found = mentioned(api_as, desk)
    assert {key for key, notes in found.items() if notes} == {"grace", "fang"}
    [grace] = found["grace"]
    assert grace["ticket"] == {"id": ticket.id, "ref": ticket.ref, "subject": ticket.subject}
    assert (grace["message_id"], grace["actor_name"]) == (written["id"], "Ada Agent")
    assert grace["snippet"] == "@GraceHopper please check the refund, and @王芳请看一下 too."
    assert grace["read_at"] is None


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("@gracehopper and @GRACE", {"grace"}),  # either handle, any case, notified once
        ("thanks @grace.", {"grace"}),  # punctuation ends a handle
        ("@wang.fang 看看", {"fang"}),  # the e-mail's local part, dots and all
        ("@王芳芳 和 @王芳", {"fang", "fangfang"}),  # the longest handle that fits
        ("@adam", {"adam"}),  # not Ada: a handle ends where the word ends
        ("ask grace@desk.example", set()),  # an address is not a mention
        ("@nobody here", set()),
        ("@ada note to self", set()),  # the author is never notified
    ],
)
def test_which_handles_mention_whom(api, api_as, desk, body, who):
    note(api, TicketFactory(), body)

    found = mentioned(api_as, desk)

    assert {key for key, notes in found.items() if notes} == who
    assert all(len(notes) == 1 for notes in found.values() if notes)


def test_a_reply_the_customer_sees_notifies_nobody(api, api_as, desk):
    note(api, TicketFactory(), "@GraceHopper is looking into it.", internal=False)

    assert not any(mentioned(api_as, desk).values())


def test_a_deactivated_agent_is_not_mentioned(api, api_as, desk):
    users.update_user(db.session, desk["grace"], {"active": False}, actor=None)
    db.session.commit()
    note(api, TicketFactory(), "@grace can you look?")
    # back, to read her list
    users.update_user(db.session, desk["grace"], {"active": True}, actor=None)
    db.session.commit()

    assert not any(mentioned(api_as, desk).values())
