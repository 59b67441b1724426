"""Replies by e-mail: an agent answers, the customer gets a proper mail, and nothing is lost.

Mail goes to a real SMTP server on localhost (``smtp_server``); what it received is read
back with the standard library and with the desk's own parser. Failures stay visible on
the message (``GET /messages/{id}/email``) and are retried with backoff.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parsedate_to_datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from supportdesk.channels.email.addresses import ref_from_reply_address, reply_address
from supportdesk.channels.email.models import EmailDetails
from supportdesk.channels.email.outbound import MAX_ATTEMPTS, backoff, due_deliveries
from supportdesk.channels.email.parse import EmailAddress, parse_email
from supportdesk.channels.email.tasks import deliver, retry_due_deliveries
from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.channels.email.conftest import compose
from tests.conftest import ApiClient
from tests.factories import CustomerFactory, MessageFactory, TicketFactory, UserFactory
from tests.peers import SmtpServer, free_port


def reply_by_email(api: Any, ticket: Any, body: str, **fields: Any) -> dict[str, Any]:
    """The agent answers in the workspace, choosing e-mail as the channel."""
    ticket_id = ticket if isinstance(ticket, int) else ticket.id
    response = api.post(
        f"/tickets/{ticket_id}/messages", json={"body": body, "channel": "email", **fields}
    )
    assert response.status_code == 201, response.json
    return response.json


def email_of(api: Any, message_id: int) -> dict[str, Any]:
    response = api.get(f"/messages/{message_id}/email")
    assert response.status_code == 200, response.json
    return response.json


def as_agent(client: Any, name: str) -> ApiClient:
    user = UserFactory(name=name)
    token = create_token(db.session, user)
    db.session.commit()
    return ApiClient(client, token)


def received(smtp_server: Any) -> list[EmailMessage]:
    return smtp_server.messages


def plain_text(mail: EmailMessage) -> str:
    """The text/plain part as the customer reads it (SMTP carries CRLF line ends)."""
    part = mail.get_body(("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n").removesuffix("\n")


def make_due(message_id: int) -> None:
    """The retry time has come (as if the clock had moved on)."""
    db.session.execute(
        update(EmailDetails)
        .where(EmailDetails.message_id == message_id)
        .values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def closed_port_url() -> str:
    return f"smtp://127.0.0.1:{free_port()}"


@pytest.fixture
def no_acknowledgements(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the agents' mail in this story: the desk's automatic acknowledgement is off."""
    monkeypatch.setitem(app.config, "EMAIL_ACKNOWLEDGE_NEW_TICKETS", False)


def chat_ticket(**customer: Any) -> Any:
    customer = CustomerFactory(**customer)
    ticket = TicketFactory(
        channel="chat", customer=customer, subject="Router blinks red", body="Hi, anyone there?"
    )
    db.session.commit()
    return ticket


# --- What the customer receives -------------------------------------------------------------


def test_an_email_reply_to_a_chat_ticket_goes_out_by_smtp(api, agent, smtp_server):
    ticket = chat_ticket(name="Mei Lin", emails=["mei@example.com"])
    body = "Please hold the reset button for ten seconds.\n\nThen tell me what the light does."

    message = reply_by_email(api, ticket, body)

    assert (message["channel"], message["direction"]) == ("email", "outbound")
    assert smtp_server.recipients == [["mei@example.com"]]
    [mail] = received(smtp_server)
    details = email_of(api, message["id"])
    assert details["delivery_status"] == "sent"
    assert details["delivery_error"] is None
    assert details["attempts"] == 1
    assert details["sent_at"] is not None
    assert mail["Message-ID"] == f"<{details['rfc_message_id']}>"
    assert details["rfc_message_id"].endswith("@desk.example")
    assert mail["Reply-To"] == reply_address(ticket.ref)
    assert ref_from_reply_address(mail["Reply-To"]) == ticket.ref
    assert mail["Subject"] == f"Re: Router blinks red [{ticket.ref}]"
    assert parsedate_to_datetime(mail["Date"]).utcoffset() == timedelta(0)
    assert mail["In-Reply-To"] is None and mail["References"] is None
    assert [p.get_content_type() for p in mail.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    parsed = parse_email(smtp_server.received[0])
    assert parsed.sender == EmailAddress("Ada Agent", "support@desk.example")
    assert parsed.to == [EmailAddress("Mei Lin", "mei@example.com")]
    assert plain_text(mail) == body
    assert parsed.html is not None
    assert "<p>Please hold the reset button for ten seconds.</p>" in parsed.html
    assert "<p>Then tell me what the light does.</p>" in parsed.html
    # What the desk says it sent is what was sent.
    assert details["subject"] == mail["Subject"]
    assert details["to"] == [{"name": "Mei Lin", "address": "mei@example.com"}]
    assert details["from_name"] == "Ada Agent"


def test_a_reply_threads_under_the_previous_mail_of_the_ticket(
    api, smtp_server, post_email, no_acknowledgements
):
    first = make_msgid(domain="example.com")
    receipt = post_email(
        compose(
            sender=("Mei Lin", "mei@example.com"), subject="Router blinks red", message_id=first
        )
    )
    assert receipt.status_code == 202, receipt.json
    ticket_id = receipt.json["ticket_id"]
    ticket = api.get(f"/tickets/{ticket_id}").json

    one = reply_by_email(api, ticket["id"], "Which model is it?")
    two = reply_by_email(api, ticket["id"], "And which colour is the light?")

    mail_one, mail_two = received(smtp_server)
    assert mail_one["In-Reply-To"] == first
    assert mail_one["References"] == first
    assert mail_two["In-Reply-To"] == mail_one["Message-ID"]
    assert mail_two["References"] == f"{first} {mail_one['Message-ID']}"
    assert mail_two["Subject"] == mail_one["Subject"] == f"Re: Router blinks red [{ticket['ref']}]"
    assert smtp_server.recipients == [["mei@example.com"], ["mei@example.com"]]
    assert email_of(api, one["id"])["in_reply_to"] == first.strip("<>")
    assert email_of(api, two["id"])["references"] == [
        first.strip("<>"),
        email_of(api, one["id"])["rfc_message_id"],
    ]


def test_the_first_reply_answers_the_customers_mail_not_the_acknowledgement(
    api, smtp_server, post_email
):
    first = make_msgid(domain="example.com")
    receipt = post_email(compose(sender=("Mei Lin", "mei@example.com"), message_id=first))
    ticket_id = receipt.json["ticket_id"]

    reply_by_email(api, ticket_id, "Which model is it?")

    acknowledgement, reply = received(smtp_server)
    assert acknowledgement["Auto-Submitted"] == "auto-replied"
    assert reply["In-Reply-To"] == first


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Router blinks red", "Re: Router blinks red [{ref}]"),
        ("RE: Router blinks red", "RE: Router blinks red [{ref}]"),
        ("Router blinks red [{ref}]", "Re: Router blinks red [{ref}]"),
        ("Re: Router blinks red [{ref}]", "Re: Router blinks red [{ref}]"),
        ("Router blinks red [{lower}]", "Re: Router blinks red [{lower}]"),
    ],
)
def test_the_subject_gets_one_re_and_one_ticket_tag(api, smtp_server, subject, expected):
    ticket = chat_ticket()
    ref = ticket.ref
    response = api.patch(
        f"/tickets/{ticket.id}", json={"subject": subject.format(ref=ref, lower=ref.lower())}
    )
    assert response.status_code == 200, response.json

    reply_by_email(api, ticket, "Fixed?")

    [mail] = received(smtp_server)
    assert mail["Subject"] == expected.format(ref=ref, lower=ref.lower())


@pytest.mark.parametrize(
    "body",
    [
        "您好 Jürgen，\n\n请按住重置键十秒钟，然后告诉我指示灯的颜色。\n\n祝好\n王小明",
        "好的",  # short enough that nothing forces a line-length-safe encoding
    ],
)
def test_chinese_and_german_names_subject_and_body_arrive_exactly(client, smtp_server, body):
    agent_api = as_agent(client, "王小明")
    customer = CustomerFactory(name="Jürgen Müller", emails=["juergen@beispiel.de"])
    ticket = TicketFactory(
        channel="chat", customer=customer, subject="路由器一直闪红灯", body="Hallo?"
    )
    db.session.commit()

    message = reply_by_email(agent_api, ticket, body)

    [raw] = smtp_server.received
    assert raw.isascii(), "8-bit bytes on the wire: not every relay speaks 8BITMIME"
    mail = message_from_bytes(raw, policy=policy.default)
    assert "=?utf-8?" in raw.decode("ascii").lower()  # encoded-words in the headers
    for part in mail.walk():
        if not part.is_multipart():
            assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
    assert mail["Subject"] == f"Re: 路由器一直闪红灯 [{ticket.ref}]"
    assert mail["From"].addresses[0].display_name == "王小明"
    assert mail["To"].addresses[0].display_name == "Jürgen Müller"
    parsed = parse_email(raw)
    assert parsed.sender == EmailAddress("王小明", "support@desk.example")
    assert parsed.to == [EmailAddress("Jürgen Müller", "juergen@beispiel.de")]
    assert parsed.subject == f"Re: 路由器一直闪红灯 [{ticket.ref}]"
    assert plain_text(mail) == body
    assert parsed.html is not None
    assert body.split("\n")[-1] in parsed.html and body.split("\n")[0] in parsed.html
    assert email_of(agent_api, message["id"])["delivery_status"] == "sent"


def test_line_breaks_in_a_subject_or_name_do_not_stop_the_reply(
    api, smtp_server, post_email, no_acknowledgements
):
    # Encoded-words can smuggle line breaks into a subject or a name; the desk keeps
    # them as written, but a header cannot carry them.
    raw = (
        compose(sender=("NAME", "mei@example.com"), subject="SUBJECT")
        .replace(b"Subject: SUBJECT", b"Subject: =?utf-8?q?Router_blinks_red=0D=0Asince_Monday?=")
        .replace(b"From: NAME", b"From: =?utf-8?q?Mei=0ALin?=")
    )
    receipt = post_email(raw)
    assert receipt.status_code == 202, receipt.json
    ticket = api.get(f"/tickets/{receipt.json['ticket_id']}").json

    message = reply_by_email(api, ticket["id"], "Which model is it?")

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "sent", details
    [mail] = received(smtp_server)
    assert mail["Subject"] == f"Re: Router blinks red since Monday [{ticket['ref']}]"
    assert details["subject"] == mail["Subject"]
    assert mail["To"].addresses[0].display_name == "Mei Lin"
    assert plain_text(mail) == "Which model is it?"


def test_customers_at_international_domains_get_their_mail(api, smtp_server):
    ticket = chat_ticket(name="Jürgen Müller", emails=["juergen@bücher.de"])

    message = reply_by_email(api, ticket, "Ihr Router ist unterwegs.")

    assert email_of(api, message["id"])["delivery_status"] == "sent"
    assert smtp_server.recipients == [["juergen@xn--bcher-kva.de"]]
    [raw] = smtp_server.received
    assert raw.isascii()
    [mail] = received(smtp_server)
    assert mail["To"].addresses[0].addr_spec == "juergen@xn--bcher-kva.de"
    assert mail["To"].addresses[0].display_name == "Jürgen Müller"


def test_a_unicode_mailbox_is_reached_over_smtputf8(api, smtp_server):
    ticket = chat_ticket(name="李华", emails=["李华@例子.中国"])

    message = reply_by_email(api, ticket, "您好")

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "sent", details
    assert smtp_server.recipients == [["李华@xn--fsqu00a.xn--fiqs8s"]]
    parsed = parse_email(smtp_server.received[0])
    assert parsed.to == [EmailAddress("李华", "李华@xn--fsqu00a.xn--fiqs8s")]


def test_a_unicode_mailbox_fails_clearly_where_the_server_has_no_smtputf8(app, api, monkeypatch):
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port, enable_SMTPUTF8=False)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{server.port}")
        ticket = chat_ticket(name="李华", emails=["李华@例子.中国"])

        message = reply_by_email(api, ticket, "您好")
    finally:
        controller.stop()

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "failed", details
    assert "SMTPUTF8" in details["delivery_error"]
    assert server.received == []


# --- The customer answers the mail ---------------------------------------------------------


def customer_answer(sent: EmailMessage, body: str, **drop: bool) -> bytes:
    """What Mei's mail client makes when she presses Reply on the desk's mail."""
    answer = EmailMessage()
    answer["From"] = formataddr(("Mei Lin", "mei@example.com"))
    answer["To"] = sent["Reply-To"]
    subject = str(sent["Subject"])
    answer["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    answer["Message-ID"] = make_msgid(domain="example.com")
    if not drop.get("threading"):
        answer["In-Reply-To"] = sent["Message-ID"]
        answer["References"] = " ".join(filter(None, [sent["References"], sent["Message-ID"]]))
    quoted = "\n".join(f"> {line}" for line in plain_text(sent).splitlines())
    answer.set_content(f"{body}\n\nOn Mon, 2 Mar 2026 at 10:00, Ada Agent wrote:\n{quoted}\n")
    return bytes(answer)


def test_the_customer_answers_an_email_reply_into_the_same_chat_ticket(
    api, smtp_server, post_email
):
    ticket = chat_ticket(name="Mei Lin", emails=["mei@example.com"])
    chat = api.post(f"/tickets/{ticket.id}/messages", json={"body": "I will mail you the steps."})
    assert chat.status_code == 201 and chat.json["channel"] == "chat"
    reply_by_email(api, ticket, "Step 1: hold reset.\nStep 2: wait for green.")
    # Mei has no chat window open, so the chat line went by mail too, before the steps.
    [chat_line, sent] = received(smtp_server)
    assert "I will mail you the steps." in plain_text(chat_line)

    receipt = post_email(customer_answer(sent, "Did it, the light is green now!"))

    assert receipt.status_code == 202, receipt.json
    assert receipt.json["ticket_id"] == ticket.id
    details = email_of(api, receipt.json["message_id"])
    assert details["threaded_by"] == "in_reply_to"
    assert details["in_reply_to"] == sent["Message-ID"].strip("<>")
    thread = [
        (m["channel"], m["direction"], m["body"])
        for m in api.walk(f"/tickets/{ticket.id}/messages")
    ]
    assert thread == [
        ("chat", "inbound", "Hi, anyone there?"),
        ("chat", "outbound", "I will mail you the steps."),
        ("email", "outbound", "Step 1: hold reset.\nStep 2: wait for green."),
        ("email", "inbound", "Did it, the light is green now!"),
    ]
    timeline = api.walk(f"/customers/{ticket.customer_id}/timeline", kind="message")
    assert [(i["channel"], i["direction"], i["ticket_id"]) for i in timeline] == [
        ("email", "inbound", ticket.id),
        ("email", "outbound", ticket.id),
        ("chat", "outbound", ticket.id),
        ("chat", "inbound", ticket.id),
    ]
    assert timeline[0]["body"] == "Did it, the light is green now!"
    assert api.get(f"/tickets/{ticket.id}").json["channel"] == "chat"
    assert len(received(smtp_server)) == 2  # the desk does not answer the answer by itself


def test_an_answer_without_threading_headers_still_finds_the_ticket(api, smtp_server, post_email):
    ticket = chat_ticket(name="Mei Lin", emails=["mei@example.com"])
    reply_by_email(api, ticket, "Step 1: hold reset.")
    [sent] = received(smtp_server)

    receipt = post_email(customer_answer(sent, "Done.", threading=True))

    assert receipt.status_code == 202, receipt.json
    assert receipt.json["ticket_id"] == ticket.id
    assert email_of(api, receipt.json["message_id"])["threaded_by"] == "reply_address"


# --- What sends nothing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"internal": True},
        {"internal": True, "channel": "email"},
        # (a chat reply is mailed when no widget is open: tests/channels/chat/test_desk.py;
        # a web reply is mailed as the help center has no inbox: tests/channels/web/)
        {"channel": "phone"},
    ],
)
def test_notes_and_replies_on_other_channels_send_no_mail(api, smtp_server, fields):
    ticket = TicketFactory(channel="email", customer=CustomerFactory(emails=["mei@example.com"]))
    db.session.commit()

    response = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Noted.", **fields})

    assert response.status_code == 201, response.json
    assert received(smtp_server) == []
    assert api.get(f"/messages/{response.json['id']}/email").status_code == 404
    # The same desk does send a real reply: the silence above was not a dead server.
    reply_by_email(api, ticket, "Here is the answer.")
    assert len(received(smtp_server)) == 1


def test_customer_messages_send_no_mail(api, smtp_server):
    ticket = TicketFactory(channel="email", customer=CustomerFactory(emails=["mei@example.com"]))
    MessageFactory(ticket=ticket, channel="email", body="Any news?")
    db.session.commit()

    assert received(smtp_server) == []


# --- Failures: visible, retried, never doubled ----------------------------------------------


def test_a_reply_while_the_server_is_down_is_queued_and_sent_once_when_it_is_back(
    app, api, smtp_server
):
    ticket = chat_ticket(emails=["mei@example.com"])
    app.config["SMTP_URL"] = closed_port_url()
    before = utcnow()

    message = reply_by_email(api, ticket, "Your refund is on its way.")

    after = utcnow()
    details = email_of(api, message["id"])
    assert details["delivery_status"] == "queued"
    assert details["delivery_error"]  # why it did not go, for the agent to see
    assert "refused" in details["delivery_error"].lower()
    assert details["attempts"] == 1
    assert details["sent_at"] is None
    retry_at = parse_time(details["next_attempt_at"])
    assert before + backoff(1) <= retry_at <= after + backoff(1)

    # The server comes back, but the retry is not due yet: nothing happens.
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    assert due_deliveries(db.session) == []
    retry_due_deliveries.call_local()
    deliver(db.session, message["id"])
    assert received(smtp_server) == []
    assert email_of(api, message["id"])["attempts"] == 1

    # Its time comes: the worker's periodic sweep sends it, once.
    make_due(message["id"])
    assert due_deliveries(db.session) == [message["id"]]
    retry_due_deliveries.call_local()
    deliver(db.session, message["id"])
    retry_due_deliveries.call_local()

    [mail] = received(smtp_server)
    assert plain_text(mail) == "Your refund is on its way."
    details = email_of(api, message["id"])
    assert details["delivery_status"] == "sent"
    assert details["delivery_error"] is None
    assert details["attempts"] == 2
    assert details["next_attempt_at"] is None
    assert parse_time(details["sent_at"]) >= after
    assert due_deliveries(db.session) == []


def test_a_delivery_another_worker_is_sending_is_left_alone(app, api, smtp_server):
    ticket = chat_ticket(emails=["mei@example.com"])
    app.config["SMTP_URL"] = closed_port_url()
    message = reply_by_email(api, ticket, "Your refund is on its way.")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    # Worker one claims it (its lease starts) ...
    db.session.execute(
        update(EmailDetails)
        .where(EmailDetails.message_id == message["id"])
        .values(next_attempt_at=utcnow() + timedelta(minutes=5), attempts=2)
    )
    db.session.commit()

    # ... so worker two, running at the same moment, does not send it too.
    deliver(db.session, message["id"])

    assert received(smtp_server) == []
    assert email_of(api, message["id"])["attempts"] == 2


def test_after_max_attempts_of_temporary_failures_the_reply_is_failed(app, api, monkeypatch):
    ticket = chat_ticket(emails=["mei@example.com"])
    monkeypatch.setitem(app.config, "SMTP_URL", closed_port_url())
    message = reply_by_email(api, ticket, "Your refund is on its way.")
    waits = []

    for attempt in range(2, MAX_ATTEMPTS + 1):
        details = email_of(api, message["id"])
        assert (details["delivery_status"], details["attempts"]) == ("queued", attempt - 1)
        make_due(message["id"])
        started = utcnow()
        deliver(db.session, message["id"])
        details = email_of(api, message["id"])
        if details["next_attempt_at"]:
            waits.append(parse_time(details["next_attempt_at"]) - started)

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "failed"
    assert details["attempts"] == MAX_ATTEMPTS
    assert details["next_attempt_at"] is None
    assert "refused" in details["delivery_error"].lower()
    assert [round(w / timedelta(minutes=1)) for w in waits] == [
        backoff(n) // timedelta(minutes=1) for n in range(2, MAX_ATTEMPTS)
    ]
    # Failed is final: nothing retries it.
    assert due_deliveries(db.session) == []
    deliver(db.session, message["id"])
    assert email_of(api, message["id"])["attempts"] == MAX_ATTEMPTS


def test_a_refused_recipient_fails_at_once_with_the_servers_reason(api, smtp_server):
    ticket = chat_ticket(emails=["nobody@example.com"])
    smtp_server.refuse = True

    message = reply_by_email(api, ticket, "Hello?")

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "failed"
    assert details["attempts"] == 1
    assert details["next_attempt_at"] is None
    assert "nobody@example.com" in details["delivery_error"]
    assert "550" in details["delivery_error"]
    assert "No such mailbox" in details["delivery_error"]
    assert received(smtp_server) == []
    assert due_deliveries(db.session) == []


def test_a_mailbox_that_is_busy_for_now_is_retried_not_failed(api, smtp_server):
    ticket = chat_ticket(emails=["mei@example.com"])

    async def busy(server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        return "450 4.2.1 Mailbox busy, try again later"

    smtp_server.handle_RCPT = busy  # greylisting, a full mailbox: temporary by definition

    message = reply_by_email(api, ticket, "Hello?")

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "queued", details
    assert "Mailbox busy" in details["delivery_error"]
    del smtp_server.handle_RCPT
    make_due(message["id"])
    deliver(db.session, message["id"])
    assert email_of(api, message["id"])["delivery_status"] == "sent"
    assert len(received(smtp_server)) == 1


def test_without_an_smtp_server_the_reply_is_refused_as_it_is_written(app, api):
    assert app.config["SMTP_URL"] is None
    ticket = chat_ticket(emails=["mei@example.com"])
    before = api.walk(f"/tickets/{ticket.id}/messages")

    response = api.post(
        f"/tickets/{ticket.id}/messages", json={"body": "Hello?", "channel": "email"}
    )

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "E-mail is not set up" in response.json["errors"]["channel"][0]
    assert "SUPPORTDESK_SMTP_URL" in response.json["detail"]
    # Nothing was written: no message waits on the ticket to fail later.
    assert api.walk(f"/tickets/{ticket.id}/messages") == before
    # The same reply in the chat still goes out.
    chat = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Hello?", "channel": "chat"})
    assert chat.status_code == 201, chat.json


def test_a_customer_without_an_email_address_gets_nothing_and_the_agent_sees_why(api, smtp_server):
    ticket = chat_ticket(emails=[], phones=["+1 415 555 0100"])

    message = reply_by_email(api, ticket, "Hello?")

    details = email_of(api, message["id"])
    assert details["delivery_status"] == "failed"
    assert details["delivery_error"] == "The customer has no e-mail address."
    assert details["attempts"] == 0
    assert details["to"] == []
    assert received(smtp_server) == []
    deliver(db.session, message["id"])
    assert received(smtp_server) == []


def test_backoff_doubles_from_one_minute_up_to_an_hour():
    assert [backoff(n) for n in range(1, 10)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60, 60)
    ]
    assert backoff(1000) == timedelta(hours=1)
