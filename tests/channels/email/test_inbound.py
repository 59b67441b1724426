"""Customers write to the desk by e-mail: each message is filed on the right ticket, once.

What agents see goes through the API: the ticket and its messages, the e-mail side of a
message (``/messages/{id}/email``), the customer's timeline, and the quarantine of what
could not be filed (nothing is ever dropped).
"""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
import sqlalchemy as sa

from supportdesk.channels.email.addresses import reply_address
from supportdesk.channels.email.models import InboundEmail
from supportdesk.extensions import db
from tests.channels.email.conftest import compose
from tests.factories import CustomerFactory, TicketFactory

PROBLEM = "application/problem+json"


# -- what agents see ---------------------------------------------------------------------


def filed(response: Any) -> dict[str, Any]:
    """The receipt of a message that was filed on a ticket."""
    assert response.status_code == 202, response.get_data(as_text=True)
    receipt = response.json
    assert receipt["quarantined"] is False, receipt
    assert receipt["ticket_id"] and receipt["message_id"], receipt
    return receipt


def quarantined(response: Any) -> dict[str, Any]:
    """The receipt of a message that was kept but not filed."""
    assert response.status_code == 202, response.get_data(as_text=True)
    receipt = response.json
    assert receipt["quarantined"] is True, receipt
    assert (receipt["ticket_id"], receipt["message_id"]) == (None, None), receipt
    return receipt


def ticket(api: Any, ticket_id: int) -> dict[str, Any]:
    response = api.get(f"/tickets/{ticket_id}")
    assert response.status_code == 200, response.json
    return response.json


def thread(api: Any, ticket_id: int) -> list[dict[str, Any]]:
    return api.walk(f"/tickets/{ticket_id}/messages")


def said(api: Any, ticket_id: int) -> list[str]:
    """What people wrote on the ticket, oldest first (the desk's own automatic mail left out)."""
    return [m["body"] for m in thread(api, ticket_id) if m["author"]["kind"] != "system"]


def email_of(api: Any, message_id: int) -> dict[str, Any]:
    response = api.get(f"/messages/{message_id}/email")
    assert response.status_code == 200, response.json
    return response.json


def set_status(api: Any, ticket_id: int, *statuses: str) -> None:
    for status in statuses:
        response = api.patch(f"/tickets/{ticket_id}", json={"status": status})
        assert response.status_code == 200, response.json


def inbound_rows() -> int:
    """Raw messages kept, filed or not (there is no API listing filed raw mail)."""
    db.session.rollback()  # see what requests committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(InboundEmail))


def msgid() -> str:
    return make_msgid(domain="mail.example.com")


def bare(message_id: str) -> str:
    return message_id.strip("<>")


def raw_mail(headers: str, body: str = "Hello.\r\n") -> bytes:
    """Hand-written RFC 822: headers exactly as given, CRLF line ends."""
    head = "\r\n".join(line.strip() for line in headers.strip().splitlines())
    return f"{head}\r\n\r\n{body}".encode()


def unique_address() -> str:
    """A sender of this test's own: the per-sender rate limit outlives one test."""
    return f"flood-{uuid.uuid4().hex[:10]}@mail.example.com"


# -- a new message opens a ticket ----------------------------------------------------------


def test_a_first_email_opens_an_email_ticket_for_a_new_customer(api, post_email):
    receipt = filed(post_email(compose(sender=("Mei Lin", "mei@example.com"))))

    opened = ticket(api, receipt["ticket_id"])
    assert (opened["channel"], opened["status"]) == ("email", "new")
    assert opened["subject"] == "My router blinks red"
    customer = api.get(f"/customers/{opened['customer_id']}").json
    assert (customer["name"], customer["emails"]) == ("Mei Lin", ["mei@example.com"])
    message, acknowledgement = thread(api, receipt["ticket_id"])
    assert message["id"] == receipt["message_id"]
    assert (message["channel"], message["direction"]) == ("email", "inbound")
    # The desk tells the customer it has the request, by e-mail, on its own.
    assert (acknowledgement["channel"], acknowledgement["direction"]) == ("email", "outbound")
    assert acknowledgement["author"]["kind"] == "system"
    assert message["body"] == "It has been blinking since this morning."
    assert message["author"]["kind"] == "customer"
    assert message["author"]["name"] == "Mei Lin"
    assert message["author"]["customer_id"] == customer["id"]


def test_the_sender_is_matched_to_the_existing_customer_whatever_the_case(api, post_email):
    known = CustomerFactory(name="Mei Lin", emails=["mei.lin@example.com"])
    db.session.commit()

    receipt = filed(post_email(compose(sender=("MEI", "Mei.Lin@EXAMPLE.com"))))

    assert ticket(api, receipt["ticket_id"])["customer_id"] == known.id
    assert [c["id"] for c in api.walk("/customers")] == [known.id]
    timeline = api.walk(f"/customers/{known.id}/timeline", kind="message")
    assert [(m["channel"], m["body"]) for m in timeline if m["direction"] == "inbound"] == [
        ("email", "It has been blinking since this morning.")
    ]


def test_the_message_shows_what_is_new_while_the_email_view_keeps_everything(api, post_email):
    mail = EmailMessage()
    mail["From"] = "Mei Lin <mei@example.com>"
    mail["To"] = "Support <support@desk.example>"
    mail["Cc"] = "Jun Wang <jun@example.com>, ops@example.com"
    mail["Subject"] = "Re: My router blinks red"
    mail["Message-ID"] = msgid()
    mail.set_content(
        "The reset worked for a day; now it blinks again.\n"
        "\n"
        "On Mon, 2 Mar 2026 at 10:00, Supportdesk <support@desk.example> wrote:\n"
        "> Please hold the reset button for ten seconds.\n"
    )
    mail.add_alternative(
        '<p onclick="steal()">The reset worked for a day; <b>now it blinks again</b>.</p>'
        "<script>alert('pwned')</script>"
        "<blockquote>Please hold the reset button for ten seconds.</blockquote>",
        subtype="html",
    )

    receipt = filed(post_email(bytes(mail)))

    message = thread(api, receipt["ticket_id"])[0]
    assert message["body"] == "The reset worked for a day; now it blinks again."
    details = email_of(api, receipt["message_id"])
    assert "> Please hold the reset button for ten seconds." in details["full_text"]
    assert details["full_text"].startswith("The reset worked for a day")
    assert "<b>now it blinks again</b>" in details["html"]
    assert "script" not in details["html"] and "onclick" not in details["html"]
    assert details["cc"] == [
        {"name": "Jun Wang", "address": "jun@example.com"},
        {"name": "", "address": "ops@example.com"},
    ]
    assert details["to"] == [{"name": "Support", "address": "support@desk.example"}]
    assert (details["from_name"], details["from_address"]) == ("Mei Lin", "mei@example.com")
    assert details["subject"] == "Re: My router blinks red"
    assert details["rfc_message_id"] == bare(mail["Message-ID"])
    assert details["threaded_by"] == "new_ticket"
    assert details["auto_reply"] is None
    # The customer's history shows the same visible text.
    timeline = api.walk(f"/customers/{message['author']['customer_id']}/timeline", kind="message")
    assert [m["body"] for m in timeline if m["direction"] == "inbound"] == [message["body"]]


def test_attachments_are_listed_on_the_message_and_agents_can_download_them(api, post_email):
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    invoice = b"%PDF-1.7\n" + b"\x00\xff" * 300 + b"\n%%EOF\n"
    mail = EmailMessage()
    mail["From"] = "Mei Lin <mei@example.com>"
    mail["To"] = "support@desk.example"
    mail["Subject"] = "Photo of the router, and my invoice"
    mail["Message-ID"] = msgid()
    mail.set_content("The photo shows the red light. Invoice attached.")
    mail.add_alternative('<p>The red light: <img src="cid:photo@mail.example.com"></p>', "html")
    html = mail.get_payload()[1]
    html.add_related(photo, "image", "png", cid="<photo@mail.example.com>", filename="router.png")
    mail.add_attachment(invoice, "application", "pdf", filename="invoice 2026-03.pdf")

    receipt = filed(post_email(bytes(mail)))

    message = thread(api, receipt["ticket_id"])[0]
    assert message["body"] == "The photo shows the red light. Invoice attached."
    listed = [
        (a["filename"], a["content_type"], a["size"], a["inline"]) for a in message["attachments"]
    ]
    assert listed == [
        ("router.png", "image/png", len(photo), True),
        ("invoice 2026-03.pdf", "application/pdf", len(invoice), False),
    ]
    downloads = [api.client.get(a["url"], headers=api.headers) for a in message["attachments"]]
    assert [d.status_code for d in downloads] == [200, 200]
    assert [d.data for d in downloads] == [photo, invoice]
    assert downloads[1].headers["Content-Disposition"].startswith("attachment;")
    anonymous = api.client.get(message["attachments"][1]["url"])
    assert anonymous.status_code == 401


# -- the same message twice is stored once -------------------------------------------------


def test_the_same_message_again_answers_200_with_the_same_ids_and_stores_nothing(api, post_email):
    raw = compose(message_id="<retry-1@mail.example.com>")
    first = filed(post_email(raw))

    again = post_email(raw)
    # The provider timed out and re-sent it through another relay: same Message-ID.
    relayed = post_email(b"Received: from relay2.example.net by mx.desk.example\r\n" + raw)

    for response in (again, relayed):
        assert response.status_code == 200, response.json
        assert response.json["duplicate"] is True
        assert (response.json["ticket_id"], response.json["message_id"]) == (
            first["ticket_id"],
            first["message_id"],
        )
    assert len(api.walk("/tickets")) == 1
    assert len(said(api, first["ticket_id"])) == 1
    assert inbound_rows() == 1


@pytest.mark.parametrize(
    "written, meaning",
    [
        pytest.param("no-brackets-7@mail.example.com", "no-brackets-7@mail.example.com", id="bare"),
        pytest.param("<commented-7@mail.example.com> (relay)", "commented-7@mail.example.com",
                     id="comment"),
        pytest.param("<caf\u00e9-7@mail.example.com>", "caf\u00e9-7@mail.example.com", id="utf8"),
        pytest.param(f"<{'x' * 1200}@mail.example.com>", None, id="over-998-characters"),
    ],
)  # fmt: skip
def test_an_oddly_written_message_id_still_makes_the_second_copy_a_duplicate(
    api, post_email, written, meaning
):
    raw = raw_mail(
        f"""
        From: Mei Lin <mei@example.com>
        To: support@desk.example
        Subject: Odd client
        Message-ID: {written}
        Content-Type: text/plain; charset=utf-8
        """
    )

    first = filed(post_email(raw))
    again = post_email(raw)

    assert again.status_code == 200, again.json
    assert (again.json["ticket_id"], again.json["message_id"]) == (
        first["ticket_id"],
        first["message_id"],
    )
    assert inbound_rows() == 1
    if meaning is not None:
        assert email_of(api, first["message_id"])["rfc_message_id"] == meaning
        # ... and a reply that cites it threads.
        reply = raw_mail(
            f"""
            From: Mei Lin <mei@example.com>
            To: support@desk.example
            Subject: Re: Odd client
            Message-ID: {msgid()}
            In-Reply-To: <{meaning}>
            Content-Type: text/plain; charset=utf-8
            """
        )
        assert filed(post_email(reply))["ticket_id"] == first["ticket_id"]


# -- threading -----------------------------------------------------------------------------


def test_a_reply_citing_the_customers_earlier_message_threads_by_in_reply_to(api, post_email):
    first_id = msgid()
    first = filed(post_email(compose(message_id=first_id)))

    reply = compose(
        subject="Another thing: the fan is loud",  # a changed subject does not matter
        body="Also, the fan is loud.",
        headers={"In-Reply-To": first_id, "References": first_id},
    )
    receipt = filed(post_email(reply))

    assert receipt["ticket_id"] == first["ticket_id"]
    assert said(api, first["ticket_id"]) == [
        "It has been blinking since this morning.",
        "Also, the fan is loud.",
    ]
    details = email_of(api, receipt["message_id"])
    assert details["threaded_by"] == "in_reply_to"
    assert details["in_reply_to"] == bare(first_id)
    assert len(api.walk("/tickets")) == 1


def test_the_customer_answering_the_desks_reply_lands_on_the_same_ticket(
    api, post_email, smtp_server
):
    first = filed(post_email(compose(subject="Router blinks red")))
    answer = api.post(
        f"/tickets/{first['ticket_id']}/messages", json={"body": "Hold reset for 10 s."}
    )
    assert answer.status_code == 201, answer.json
    sent = smtp_server.messages[-1]  # after the acknowledgement of the first mail
    assert sent.get_body(("plain",)).get_content().strip() == "Hold reset for 10 s."

    reply = EmailMessage()
    reply["From"] = "Mei Lin <mei@example.com>"
    reply["To"] = sent["Reply-To"]
    reply["Subject"] = "Re: " + sent["Subject"]
    reply["Message-ID"] = msgid()
    reply["In-Reply-To"] = sent["Message-ID"]
    reply["References"] = f"{sent['References'] or ''} {sent['Message-ID']}".strip()
    reply.set_content("Done, it is green now. Thanks!\n\n> Hold reset for 10 s.\n")
    receipt = filed(post_email(bytes(reply)))

    assert receipt["ticket_id"] == first["ticket_id"]
    assert said(api, first["ticket_id"]) == [
        "It has been blinking since this morning.",
        "Hold reset for 10 s.",
        "Done, it is green now. Thanks!",
    ]
    assert email_of(api, receipt["message_id"])["threaded_by"] == "in_reply_to"


def test_references_alone_thread_to_the_newest_message_we_know(api, post_email):
    older_id, newer_id = msgid(), msgid()
    older = filed(post_email(compose(subject="Invoice question", message_id=older_id)))
    newer = filed(post_email(compose(subject="Router question", message_id=newer_id)))

    # Oldest first, as clients write them; one id we never saw is the newest of all.
    references = f"{older_id} {newer_id} <never-seen@elsewhere.example>"
    receipt = filed(
        post_email(compose(subject="Re: questions", headers={"References": references}))
    )

    assert receipt["ticket_id"] == newer["ticket_id"] != older["ticket_id"]
    assert email_of(api, receipt["message_id"])["threaded_by"] == "references"
    assert len(said(api, older["ticket_id"])) == 1
    assert len(said(api, newer["ticket_id"])) == 2


@pytest.mark.parametrize(
    "header, spelling",
    [("To", str), ("Cc", str), pytest.param("To", str.lower, id="To-lowercased-by-a-relay")],
)
def test_the_tickets_reply_address_in_to_or_cc_threads(api, post_email, header, spelling):
    customer = CustomerFactory(emails=["mei@example.com"])
    existing = TicketFactory(customer=customer, channel="email", subject="Router blinks red")
    db.session.commit()
    address = spelling(reply_address(existing.ref))

    headers = {"Cc": address} if header == "Cc" else {}
    to = address if header == "To" else "support@desk.example"
    receipt = filed(post_email(compose(to=to, subject="Hello again", headers=headers)))

    assert receipt["ticket_id"] == existing.id
    assert email_of(api, receipt["message_id"])["threaded_by"] == "reply_address"
    assert said(api, existing.id)[-1] == "It has been blinking since this morning."


def test_a_reply_address_with_a_forged_signature_opens_a_new_ticket(api, post_email):
    customer = CustomerFactory(emails=["mei@example.com"])
    existing = TicketFactory(customer=customer, channel="email")
    db.session.commit()
    genuine = reply_address(existing.ref)
    local, _, domain = genuine.partition("@")
    token, _, signature = local.rpartition(".")
    forged = f"{token}.{'a' * len(signature)}@{domain}"
    assert forged != genuine

    receipt = filed(post_email(compose(to=forged)))

    assert receipt["ticket_id"] != existing.id
    assert email_of(api, receipt["message_id"])["threaded_by"] == "new_ticket"
    assert len(said(api, existing.id)) == 1


def test_a_subject_tag_from_the_tickets_own_customer_threads(api, post_email):
    customer = CustomerFactory(emails=["mei@example.com"])
    existing = TicketFactory(customer=customer, channel="email", subject="Router blinks red")
    db.session.commit()

    subject = f"Re: Router blinks red [{existing.ref}]"
    receipt = filed(post_email(compose(sender=("Mei", "MEI@example.com"), subject=subject)))

    assert receipt["ticket_id"] == existing.id
    assert email_of(api, receipt["message_id"])["threaded_by"] == "subject_tag"


def test_the_same_subject_tag_from_someone_else_opens_a_new_ticket(api, post_email):
    owner = CustomerFactory(emails=["mei@example.com"])
    existing = TicketFactory(customer=owner, channel="email", body="My account number is 42.")
    db.session.commit()

    subject = f"Re: [{existing.ref}] give me the account number"
    receipt = filed(post_email(compose(sender=("Eve", "eve@attacker.example"), subject=subject)))

    assert receipt["ticket_id"] != existing.id
    assert email_of(api, receipt["message_id"])["threaded_by"] == "new_ticket"
    assert ticket(api, receipt["ticket_id"])["customer_id"] != owner.id
    assert said(api, existing.id) == ["My account number is 42."]


@pytest.mark.parametrize("channel", ["phone", "chat", "web"])
def test_an_email_reply_continues_a_ticket_that_started_on_another_channel(
    api, post_email, channel
):
    customer = CustomerFactory(emails=["mei@example.com"])
    existing = TicketFactory(customer=customer, channel=channel, body="The router blinks red.")
    db.session.commit()

    receipt = filed(post_email(compose(to=reply_address(existing.ref), body="Photo attached.")))

    assert receipt["ticket_id"] == existing.id
    assert ticket(api, existing.id)["channel"] == channel
    assert [(m["channel"], m["body"]) for m in thread(api, existing.id)] == [
        (channel, "The router blinks red."),
        ("email", "Photo attached."),
    ]


def test_a_reply_reopens_a_solved_ticket(api, post_email):
    first_id = msgid()
    first = filed(post_email(compose(message_id=first_id)))
    set_status(api, first["ticket_id"], "solved")

    receipt = filed(post_email(compose(body="It is back.", headers={"In-Reply-To": first_id})))

    assert receipt["ticket_id"] == first["ticket_id"]
    assert ticket(api, first["ticket_id"])["status"] == "open"
    events = api.walk(
        f"/customers/{ticket(api, first['ticket_id'])['customer_id']}/timeline",
        kind="ticket_event",
    )
    assert events[0]["event"] == "status_changed"
    assert events[0]["data"] == {"from": "solved", "to": "open"}


def test_a_reply_to_a_closed_ticket_opens_a_follow_up(api, post_email):
    first_id = msgid()
    first = filed(post_email(compose(subject="Router blinks red", message_id=first_id)))
    set_status(api, first["ticket_id"], "solved", "closed")

    receipt = filed(post_email(compose(body="It is back.", headers={"In-Reply-To": first_id})))

    follow_up = ticket(api, receipt["ticket_id"])
    assert follow_up["id"] != first["ticket_id"]
    assert follow_up["follow_up_of_id"] == first["ticket_id"]
    assert (follow_up["channel"], follow_up["subject"]) == ("email", "Router blinks red")
    assert said(api, follow_up["id"]) == ["It is back."]
    closed = ticket(api, first["ticket_id"])
    assert closed["status"] == "closed"
    assert len(said(api, closed["id"])) == 1


# -- auto-replies ----------------------------------------------------------------------------

AUTO_REPLIES = [
    pytest.param({"Auto-Submitted": "auto-replied"}, "auto-submitted", id="auto-submitted"),
    pytest.param({"Precedence": "bulk"}, "precedence", id="precedence-bulk"),
    pytest.param({"X-Autoreply": "yes"}, "x-autoreply", id="x-autoreply"),
]


@pytest.mark.parametrize("status", ["solved", "pending"])
@pytest.mark.parametrize("headers, flag", AUTO_REPLIES)
def test_an_auto_reply_is_filed_and_flagged_but_moves_nothing(
    api, post_email, headers, flag, status
):
    first_id = msgid()
    first = filed(post_email(compose(message_id=first_id)))
    set_status(api, first["ticket_id"], status)

    auto = compose(
        subject="Out of office: My router blinks red",
        body="I am away until Monday.",
        headers={"In-Reply-To": first_id, **headers},
    )
    receipt = filed(post_email(auto))

    assert receipt["ticket_id"] == first["ticket_id"]
    assert said(api, first["ticket_id"])[-1] == "I am away until Monday."
    details = email_of(api, receipt["message_id"])
    assert details["auto_reply"] == flag
    assert ticket(api, first["ticket_id"])["status"] == status


def test_a_bounce_for_the_desks_reply_is_filed_on_its_ticket_and_moves_nothing(
    api, post_email, smtp_server
):
    first = filed(post_email(compose(sender=("Mei Lin", "mei@example.com"))))
    answer = api.post(f"/tickets/{first['ticket_id']}/messages", json={"body": "Fixed!"})
    assert answer.status_code == 201, answer.json
    set_status(api, first["ticket_id"], "solved")
    sent = smtp_server.messages[-1]
    assert sent.get_body(("plain",)).get_content().strip() == "Fixed!"

    boundary = "=_bounce_boundary"
    dsn = raw_mail(
        f"""
        From: Mail Delivery System <MAILER-DAEMON@mx.mail.example.com>
        To: support@desk.example
        Subject: Undelivered Mail Returned to Sender
        Message-ID: {msgid()}
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"
        """,
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "Your message could not be delivered: mailbox full.\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.mail.example.com\r\n\r\n"
        "Final-Recipient: rfc822; mei@example.com\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {sent['Message-ID']}\r\n"
        f"From: {sent['From']}\r\nTo: {sent['To']}\r\nSubject: {sent['Subject']}\r\n\r\n"
        f"--{boundary}--\r\n",
    )
    receipt = filed(post_email(dsn))

    assert receipt["ticket_id"] == first["ticket_id"]
    assert email_of(api, receipt["message_id"])["auto_reply"] == "bounce"
    assert ticket(api, first["ticket_id"])["status"] == "solved"
    bounce = thread(api, first["ticket_id"])[-1]
    assert bounce["body"].startswith("Your message could not be")
    # The mail server is no customer: the bounce is the desk's notice, and the reply it
    # returns now says it was not delivered.
    assert bounce["author"] == {
        "kind": "system",
        "name": "Mail Delivery System",
        "user_id": None,
        "customer_id": None,
    }
    returned = email_of(api, answer.json["id"])
    assert returned["delivery_status"] == "failed"
    assert returned["delivery_error"].startswith("Bounced: Your message could not be delivered")
    assert api.get("/customers", query_string={"q": "mailer-daemon"}).json["items"] == []
    assert len(api.walk("/tickets")) == 1


def test_a_bounce_for_no_message_of_ours_waits_in_the_quarantine(api, post_email):
    dsn = raw_mail(
        """
        From: Mail Delivery System <MAILER-DAEMON@mx.mail.example.com>
        To: support@desk.example
        Subject: Undelivered Mail Returned to Sender
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"
        """,
        "--b\r\nContent-Type: text/plain\r\n\r\nSomething bounced.\r\n--b--\r\n",
    )

    receipt = post_email(dsn)

    assert receipt.status_code == 202 and receipt.json["quarantined"] is True
    [kept] = api.get("/email/quarantine").json["items"]
    assert kept["error"] == "A bounce for no message of ours."


def test_an_auto_reply_to_a_closed_ticket_opens_no_follow_up(api, post_email):
    first_id = msgid()
    first = filed(post_email(compose(message_id=first_id)))
    set_status(api, first["ticket_id"], "solved", "closed")

    auto = compose(
        body="I am away until Monday.",
        headers={"In-Reply-To": first_id, "Auto-Submitted": "auto-replied"},
    )
    post_email(auto)

    assert len(api.walk("/tickets")) == 1


# -- floods, and nothing lost ----------------------------------------------------------------


def test_a_flood_from_one_sender_is_quarantined_and_can_be_filed_later(
    app, api, post_email, monkeypatch
):
    sender = unique_address()
    monkeypatch.setitem(app.config, "EMAIL_SENDER_RATE_LIMIT", "2 per minute")
    raws = [
        compose(sender=("Loop Bot", sender), subject=f"Ticket #{n}", body=f"Message {n}")
        for n in range(3)
    ]

    first, second = (filed(post_email(raw)) for raw in raws[:2])
    third = quarantined(post_email(raws[2]))

    [kept] = api.walk("/email/quarantine")
    assert kept["id"] == third["inbound_id"]
    assert (kept["sender"], kept["subject"], kept["source"]) == (sender, "Ticket #2", "hook")
    assert "rate limited" in kept["error"]
    assert kept["size"] == len(raws[2])
    download = api.get(f"/email/inbound/{kept['id']}/raw")
    assert download.status_code == 200
    assert download.mimetype == "message/rfc822"
    assert download.data == raws[2]
    assert len(api.walk("/tickets")) == 2

    monkeypatch.setitem(app.config, "EMAIL_SENDER_RATE_LIMIT", "100 per minute")
    reprocessed = api.post(f"/email/inbound/{kept['id']}/reprocess")

    assert reprocessed.status_code == 200, reprocessed.json
    assert reprocessed.json["quarantined"] is False
    ticket_id = reprocessed.json["ticket_id"]
    assert ticket_id not in (first["ticket_id"], second["ticket_id"])
    assert said(api, ticket_id) == ["Message 2"]
    assert ticket(api, ticket_id)["subject"] == "Ticket #2"
    assert api.walk("/email/quarantine") == []
    again = api.post(f"/email/inbound/{kept['id']}/reprocess")
    assert again.status_code == 409
    assert again.content_type == PROBLEM
    assert inbound_rows() == 3


def test_a_message_without_a_sender_is_kept_in_quarantine_not_dropped(api, post_email):
    raw = raw_mail(
        """
        To: support@desk.example
        Subject: Who am I?
        Message-ID: <nobody-1@mail.example.com>
        """,
        "Nobody signed this.\r\n",
    )

    receipt = quarantined(post_email(raw))
    again = post_email(raw)

    [kept] = api.walk("/email/quarantine")
    assert kept["id"] == receipt["inbound_id"]
    assert kept["subject"] == "Who am I?"
    assert kept["sender"] is None
    assert "sender" in kept["error"]
    assert api.get(f"/email/inbound/{kept['id']}/raw").data == raw
    assert api.walk("/tickets") == []
    # The MTA tried again: still one copy, and it is told so.
    assert again.status_code == 200
    assert again.json["duplicate"] is True and again.json["quarantined"] is True
    assert again.json["inbound_id"] == receipt["inbound_id"]
    assert inbound_rows() == 1


def test_bytes_that_are_not_an_email_are_quarantined_too(api, post_email):
    garbage = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe" + bytes(range(256))

    receipt = quarantined(post_email(garbage))

    [kept] = api.walk("/email/quarantine")
    assert kept["id"] == receipt["inbound_id"]
    assert "not an e-mail" in kept["error"]
    shown = api.get(f"/email/inbound/{kept['id']}")
    assert shown.status_code == 200 and shown.json["size"] == len(garbage)
    assert api.get(f"/email/inbound/{kept['id']}/raw").data == garbage
    assert api.walk("/tickets") == []


def test_sloppy_headers_and_nul_characters_do_not_keep_a_message_off_a_ticket(api, post_email):
    # Fine on SQLite, refused by PostgreSQL unless trimmed: NUL characters anywhere, a
    # display name and a subject longer than the columns that hold them.
    long_name, long_subject = "Mei " * 80, "Router " * 100
    raw = raw_mail(
        f"""
        From: =?utf-8?q?Mei=00Lin?= <mei@example.com>
        To: support@desk.example
        Cc: =?utf-8?q?Jun=00?= <jun@example.com>, {long_name} <boss@example.com>
        Subject: =?utf-8?q?Router=00blinks?= {long_subject}
        Message-ID: <nul-1@mail.example.com>
        Content-Type: text/plain; charset=utf-8
        """,
        "It blinks\x00 red.\r\n",
    )

    receipt = filed(post_email(raw))

    message = thread(api, receipt["ticket_id"])[0]
    assert message["body"] == "It blinks red."
    assert message["author"]["name"] == "MeiLin"
    opened = ticket(api, receipt["ticket_id"])
    assert opened["subject"].startswith("Routerblinks Router Router")
    details = email_of(api, receipt["message_id"])
    assert details["subject"] == f"Routerblinks {long_subject}".strip()
    assert [c["address"] for c in details["cc"]] == ["jun@example.com", "boss@example.com"]
    assert "\x00" not in str(details)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/email/quarantine"),
        ("GET", "/api/v1/email/inbound/{id}"),
        ("GET", "/api/v1/email/inbound/{id}/raw"),
        ("POST", "/api/v1/email/inbound/{id}/reprocess"),
    ],
)
def test_the_quarantine_is_for_agents_only(client, post_email, method, path):
    receipt = quarantined(post_email(b"not an e-mail at all"))

    response = client.open(path.format(id=receipt["inbound_id"]), method=method)

    assert response.status_code == 401
    assert response.content_type == PROBLEM
    assert b"not an e-mail" not in response.data


def test_a_message_interrupted_mid_filing_is_filed_by_the_sweep(app, api):
    from datetime import timedelta

    from supportdesk.channels.email.inbound import file_interrupted
    from supportdesk.channels.email.models import InboundEmail
    from supportdesk.core.time import utcnow

    raw = compose(subject="The process died after saving me")
    db.session.add(
        InboundEmail(
            source="cli", raw=raw, size=len(raw), received_at=utcnow() - timedelta(hours=1)
        )
    )
    db.session.add(InboundEmail(source="cli", raw=raw, size=len(raw)))  # just arrived
    db.session.commit()

    assert file_interrupted(db.session) == 1
    assert [t["subject"] for t in api.walk("/tickets")] == ["The process died after saving me"]


def test_changing_the_case_of_the_address_does_not_dodge_the_flood_limit(
    app, post_email, monkeypatch
):
    sender = unique_address()
    monkeypatch.setitem(app.config, "EMAIL_SENDER_RATE_LIMIT", "2 per minute")
    spellings = [sender, sender.upper(), sender.title()]

    receipts = [
        post_email(compose(sender=("Loop Bot", who), subject=f"#{n}")).json
        for n, who in enumerate(spellings)
    ]

    assert [r["quarantined"] for r in receipts] == [False, False, True]
