"""The delivery state of each outbound e-mail, and "retry": an agent whose reply failed sends
it again from the conversation once the cause is fixed, and sees what happened to every mail.

Mail goes to the real SMTP server on localhost (``smtp_server``): refusing, closed, busy or
back up, as the story needs.
"""

from __future__ import annotations

from typing import Any

from supportdesk.channels.email.outbound import MAX_ATTEMPTS
from supportdesk.channels.email.tasks import deliver
from supportdesk.extensions import db
from tests.channels.email.conftest import compose
from tests.channels.email.test_outbound import (
    chat_ticket,
    closed_port_url,
    email_of,
    make_due,
    plain_text,
    received,
    reply_by_email,
)


def retry(api: Any, message_id: int) -> Any:
    """The agent presses "retry" beside the e-mail in the conversation."""
    return api.post(f"/messages/{message_id}/email/retry")


def deliveries(api: Any, ticket_id: int) -> list[dict[str, Any]]:
    return api.walk(f"/tickets/{ticket_id}/deliveries")


def retried_events(api: Any, customer_id: int) -> list[dict[str, Any]]:
    entries = api.walk(f"/customers/{customer_id}/timeline", kind="ticket_event")
    return [entry for entry in entries if entry["event"] == "email_retried"]


def refuse_for_now(smtp_server: Any) -> None:
    async def busy(server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        return "450 4.2.1 Mailbox busy, try again later"

    smtp_server.handle_RCPT = busy


# --- Retry -----------------------------------------------------------------------------------


def test_a_refused_reply_is_retried_once_the_server_is_fixed_and_arrives(api, smtp_server):
    ticket = chat_ticket(name="Mei Lin", emails=["mei@example.com"])
    smtp_server.refuse = True
    message = reply_by_email(api, ticket, "Your refund is on its way.")
    [failed] = deliveries(api, ticket.id)
    assert (failed["status"], failed["attempts"], failed["retryable"]) == ("failed", 1, True)
    assert "550" in failed["error"] and "No such mailbox" in failed["error"]
    assert received(smtp_server) == []

    smtp_server.refuse = False  # the relay's admin fixed it
    response = retry(api, message["id"])

    assert response.status_code == 202, response.json
    assert response.json["message_id"] == message["id"]
    [mail] = received(smtp_server)
    assert plain_text(mail) == "Your refund is on its way."
    assert smtp_server.recipients == [["mei@example.com"]]
    [sent] = deliveries(api, ticket.id)
    assert sent["status"] == "sent"
    assert sent["error"] is None
    assert sent["attempts"] == 2  # the failed try stays on the record
    assert sent["sent_at"] is not None and sent["next_attempt_at"] is None
    assert sent["retryable"] is False
    assert email_of(api, message["id"])["delivery_status"] == "sent"
    # The customer's timeline (the ticket's history) says who retried it, and why it had failed.
    [event] = retried_events(api, ticket.customer_id)
    assert event["ticket_id"] == ticket.id
    assert event["actor"] == {"kind": "agent", "name": "Ada Agent"}
    assert event["data"]["message_id"] == message["id"]
    assert event["data"]["attempts"] == 1
    assert "No such mailbox" in event["data"]["error"]


def test_a_reply_waiting_on_a_dead_server_is_retried_only_when_overdue(app, api, smtp_server):
    ticket = chat_ticket(emails=["mei@example.com"])
    app.config["SMTP_URL"] = closed_port_url()
    message = reply_by_email(api, ticket, "Your refund is on its way.")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    [queued] = deliveries(api, ticket.id)
    assert (queued["status"], queued["retryable"]) == ("queued", False)
    assert "refused" in queued["error"].lower()

    # Its backoff (or a worker's lease) is running: a retry could send it twice.
    early = retry(api, message["id"])

    assert early.status_code == 409
    assert "queued" in early.json["detail"] and "being sent" in early.json["detail"]
    assert received(smtp_server) == []
    assert retried_events(api, ticket.customer_id) == []

    make_due(message["id"])  # the worker is down: the mail is overdue
    assert deliveries(api, ticket.id)[0]["retryable"] is True
    assert retry(api, message["id"]).status_code == 202

    assert len(received(smtp_server)) == 1
    assert deliveries(api, ticket.id)[0]["status"] == "sent"
    assert len(retried_events(api, ticket.customer_id)) == 1


def test_a_sent_mail_is_not_retried(api, smtp_server):
    ticket = chat_ticket(emails=["mei@example.com"])
    message = reply_by_email(api, ticket, "Hello!")

    response = retry(api, message["id"])

    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert "was sent" in response.json["detail"]
    assert len(received(smtp_server)) == 1
    assert email_of(api, message["id"])["attempts"] == 1
    assert retried_events(api, ticket.customer_id) == []


def test_a_desk_without_smtp_refuses_the_retry_as_it_refuses_a_reply(app, api, smtp_server):
    ticket = chat_ticket(emails=["mei@example.com"])
    smtp_server.refuse = True
    message = reply_by_email(api, ticket, "Hello?")
    app.config["SMTP_URL"] = None

    response = retry(api, message["id"])

    assert response.status_code == 422
    assert "E-mail is not set up" in response.json["errors"]["channel"][0]
    assert "SUPPORTDESK_SMTP_URL" in response.json["detail"]
    [failed] = deliveries(api, ticket.id)
    assert (failed["status"], failed["attempts"]) == ("failed", 1)
    assert "No such mailbox" in failed["error"]
    assert retried_events(api, ticket.customer_id) == []


def test_only_the_desks_own_email_can_be_retried(api, smtp_server, post_email):
    ticket = chat_ticket(emails=["mei@example.com"])
    note = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Hm", "internal": True})
    filed = post_email(compose(subject="Router")).json
    sent_before = len(received(smtp_server))  # the desk acknowledges the new ticket

    not_email = retry(api, note.json["id"])
    customers_mail = retry(api, filed["message_id"])
    missing = retry(api, 10**6)

    assert not_email.status_code == 404
    assert "not an e-mail" in not_email.json["detail"]
    assert customers_mail.status_code == 409
    assert "the desk received" in customers_mail.json["detail"]
    assert missing.status_code == 404
    assert len(received(smtp_server)) == sent_before


def test_a_reply_to_a_customer_without_an_address_goes_to_the_one_added_since(api, smtp_server):
    ticket = chat_ticket(name="Mei Lin", emails=[], phones=["+1 415 555 0100"])
    message = reply_by_email(api, ticket, "Hello?")
    assert retry(api, message["id"]).status_code == 409  # still nowhere to send it

    changed = api.patch(f"/customers/{ticket.customer_id}", json={"emails": ["mei@example.com"]})
    assert changed.status_code == 200, changed.json
    response = retry(api, message["id"])

    assert response.status_code == 202, response.json
    assert smtp_server.recipients == [["mei@example.com"]]
    [sent] = deliveries(api, ticket.id)
    assert sent["status"] == "sent"
    assert sent["to"] == [{"name": "Mei Lin", "address": "mei@example.com"}]


def test_after_a_retry_the_reply_has_max_attempts_more_and_the_count_goes_on(app, api, monkeypatch):
    ticket = chat_ticket(emails=["mei@example.com"])
    monkeypatch.setitem(app.config, "SMTP_URL", closed_port_url())
    message = reply_by_email(api, ticket, "Your refund is on its way.")
    for _ in range(MAX_ATTEMPTS - 1):
        make_due(message["id"])
        deliver(db.session, message["id"])
    assert email_of(api, message["id"])["delivery_status"] == "failed"

    assert retry(api, message["id"]).status_code == 202  # the server is still down
    tries = [email_of(api, message["id"])["attempts"]]
    while email_of(api, message["id"])["delivery_status"] == "queued":
        make_due(message["id"])
        deliver(db.session, message["id"])
        tries.append(email_of(api, message["id"])["attempts"])

    assert tries == list(range(MAX_ATTEMPTS + 1, 2 * MAX_ATTEMPTS + 1))
    [failed] = deliveries(api, ticket.id)
    assert (failed["status"], failed["attempts"]) == ("failed", 2 * MAX_ATTEMPTS)
    assert "refused" in failed["error"].lower()


# --- The conversation's delivery states ------------------------------------------------------


def test_the_deliveries_list_shows_each_outbound_mail_with_its_state_and_reason(
    api, smtp_server, post_email
):
    ticket = chat_ticket(emails=["mei@example.com"])
    sent = reply_by_email(api, ticket, "First answer.")
    smtp_server.refuse = True
    failed = reply_by_email(api, ticket, "Second answer.")
    smtp_server.refuse = False
    refuse_for_now(smtp_server)
    queued = reply_by_email(api, ticket, "Third answer.")
    del smtp_server.handle_RCPT
    # What is not the desk's outbound mail is not listed: a note, the customer's own e-mail.
    api.post(f"/tickets/{ticket.id}/messages", json={"body": "Checking", "internal": True})
    answer = post_email(compose(subject=f"Re: Router blinks red [{ticket.ref}]")).json
    assert answer["ticket_id"] == ticket.id
    # A chat reply the visitor was not there to read went by e-mail: that is listed.
    chat = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Still there?"}).json
    other = chat_ticket(emails=["li@example.com"])
    reply_by_email(api, other, "Another customer's answer.")

    rows = deliveries(api, ticket.id)

    assert [(r["message_id"], r["status"], r["retryable"]) for r in rows] == [
        (sent["id"], "sent", False),
        (failed["id"], "failed", True),
        (queued["id"], "queued", False),
        (chat["id"], "sent", False),
    ]
    assert [r["error"] is None for r in rows] == [True, False, False, True]
    assert "No such mailbox" in rows[1]["error"]
    assert "Mailbox busy" in rows[2]["error"]
    assert rows[2]["next_attempt_at"] is not None and rows[2]["attempts"] == 1
    assert [r["sent_at"] is not None for r in rows] == [True, False, False, True]
    assert {r["to"][0]["address"] for r in rows} == {"mei@example.com"}
    assert api.walk(f"/tickets/{ticket.id}/deliveries", limit=1) == rows
    assert api.get("/tickets/999999/deliveries").status_code == 404
