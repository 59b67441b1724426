"""Mail written to hurt: it must neither stall the desk, nor break it, nor pass for someone else.

Each story posts raw mail to the real hook, as an attacker's mail server would, and reads
back what agents see through the API.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import pytest

from supportdesk.channels.email.inbound import file_interrupted
from supportdesk.channels.email.models import InboundEmail, InboundStatus
from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.tickets.models import Attachment
from tests.channels.email.conftest import compose
from tests.channels.email.test_inbound import (
    email_of,
    filed,
    msgid,
    quarantined,
    raw_mail,
    thread,
    ticket,
)
from tests.factories import CustomerFactory, TicketFactory


def html_mail(html: str, subject: str = "Where is my order?") -> bytes:
    mail = EmailMessage()
    mail["From"] = "Mei Lin <mei@example.com>"
    mail["To"] = "support@desk.example"
    mail["Subject"] = subject
    mail["Message-ID"] = msgid()
    mail.set_content(html, subtype="html")
    return bytes(mail)


class _Depth(HTMLParser):
    """The deepest nesting of elements in a piece of HTML."""

    VOID = {"br", "hr", "img"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1


def deepest(html: str) -> int:
    parser = _Depth()
    parser.feed(html)
    return parser.deepest


def customer_messages(api: Any, ticket_id: int) -> list[dict[str, Any]]:
    """The ticket's messages without the desk's own acknowledgement."""
    return [m for m in thread(api, ticket_id) if m["author"]["kind"] != "system"]


def quarantine_row(api: Any, inbound_id: int) -> dict[str, Any]:
    response = api.get(f"/email/inbound/{inbound_id}")
    assert response.status_code == 200, response.json
    return response.json


# -- nesting: filing time grows with the size, not its square --------------------------------


def test_a_400_kb_tower_of_divs_is_filed_with_its_words_and_a_bounded_depth(api, post_email):
    words = "Help: my order LC-20931 never came."
    tower = "<div>" * 40_000 + f"<p>{words}</p>" + "</div>" * 40_000  # ~440 KB

    receipt = filed(post_email(html_mail(tower)))

    [message] = customer_messages(api, receipt["ticket_id"])
    assert words in message["body"]
    html = email_of(api, receipt["message_id"])["html"]
    assert words in html
    # What the sanitizer was handed nested 100 deep at most, so it ran in linear time.
    assert deepest(html) <= 101


def test_a_10_mb_tower_is_filed_within_a_generous_budget(app, api, post_email, monkeypatch):
    monkeypatch.setitem(app.config, "EMAIL_PARSE_SECONDS", 120)
    tower = "<div>" * 950_000 + "Still there?" + "</div>" * 950_000  # ~10 MB

    receipt = filed(post_email(html_mail(tower)))

    assert "Still there?" in thread(api, receipt["ticket_id"])[0]["body"]


def test_a_message_over_the_reading_budget_waits_in_the_quarantine_with_that_reason(
    app, api, post_email, monkeypatch
):
    monkeypatch.setitem(app.config, "EMAIL_PARSE_SECONDS", 0)

    receipt = quarantined(post_email(html_mail("<p>Hello</p>", subject="Slow to read")))

    row = quarantine_row(api, receipt["inbound_id"])
    assert "over the budget of 0 s" in row["error"]
    assert "SUPPORTDESK_EMAIL_PARSE_SECONDS" in row["error"]
    assert row["subject"] == "Slow to read"
    monkeypatch.setitem(app.config, "EMAIL_PARSE_SECONDS", 30)
    again = api.post(f"/email/inbound/{receipt['inbound_id']}/reprocess")
    assert again.status_code == 200 and again.json["ticket_id"], again.json


# -- text no database can store ----------------------------------------------------------------

LONE_SURROGATE_HEADERS = """
    From: =?utf-7?q?Mei+2AA-?= <mei@example.com>
    To: support@desk.example
    Subject: =?unicode_escape?q?\\ud800x?=
    Message-ID: <{id}>
"""


def lone_surrogate_mail() -> bytes:
    return raw_mail(LONE_SURROGATE_HEADERS.format(id=msgid().strip("<>")))


def test_a_header_that_decodes_to_a_lone_surrogate_is_filed_not_a_500(api, post_email):
    receipt = filed(post_email(lone_surrogate_mail()))

    # unicode_escape is no charset: the words are kept as written, not run as escapes;
    # UTF-7 can encode a lone surrogate: it becomes the replacement character.
    assert ticket(api, receipt["ticket_id"])["subject"] == "\\ud800x"
    [message] = customer_messages(api, receipt["ticket_id"])
    assert message["author"]["name"] == "Mei\ufffd"


def stuck(raw: bytes) -> int:
    """A raw message a crash left "received", long enough ago for the sweep."""
    row = InboundEmail(
        source="cli", raw=raw, size=len(raw), received_at=utcnow() - timedelta(hours=1)
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def test_reprocessing_a_lone_surrogate_message_files_it(api):
    inbound_id = stuck(lone_surrogate_mail())

    response = api.post(f"/email/inbound/{inbound_id}/reprocess")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["ticket_id"] and response.json["message_id"]


def test_the_sweep_files_every_interrupted_message_even_after_a_bad_one(app, api):
    bad = stuck(lone_surrogate_mail())
    good = stuck(compose(subject="The process died after saving me"))

    assert file_interrupted(db.session) == 2

    db.session.rollback()
    statuses = {row.id: row.status for row in db.session.query(InboundEmail)}
    assert statuses == {bad: InboundStatus.FILED, good: InboundStatus.FILED}
    subjects = {t["subject"] for t in api.walk("/tickets")}
    assert subjects == {"\\ud800x", "The process died after saving me"}


# -- who wrote it: the address DMARC checks, not the name beside it ---------------------------


def test_a_display_name_showing_a_customers_address_does_not_make_the_sender_that_customer(
    api, post_email
):
    alice = CustomerFactory(name="Alice Adams", emails=["alice@example.com"])
    hers = TicketFactory(customer=alice, channel="email", subject="My invoice")
    db.session.commit()
    forged = raw_mail(
        f"""
        From: alice@example.com <eve@evil.example>
        To: support@desk.example
        Subject: Re: My invoice [{hers.ref}]
        Message-ID: {msgid()}
        """,
        "Please send the invoice to my new address.\r\n",
    )

    receipt = filed(post_email(forged))

    assert receipt["ticket_id"] != hers.id  # the subject tag is Alice's, the sender is not
    opened = ticket(api, receipt["ticket_id"])
    assert opened["customer_id"] != alice.id
    sender = api.get(f"/customers/{opened['customer_id']}").json
    assert sender["emails"] == ["eve@evil.example"]
    [message] = customer_messages(api, receipt["ticket_id"])
    assert "alice@example.com" not in message["author"]["name"]
    assert email_of(api, receipt["message_id"])["from_address"] == "eve@evil.example"
    assert len(customer_messages(api, hers.id)) == 1  # nothing reached Alice's ticket


@pytest.mark.parametrize(
    "sender",
    [
        "Alice <alice@example.com>, Eve <eve@evil.example>",
        "Alice <alice@example.com> <eve@evil.example>",
        "alice@example.com eve@evil.example",
    ],
)
def test_a_from_naming_two_addresses_waits_in_the_quarantine(api, post_email, sender):
    mail = raw_mail(
        f"""
        From: {sender}
        To: support@desk.example
        Subject: Which of us?
        Message-ID: {msgid()}
        """
    )

    receipt = quarantined(post_email(mail))

    row = quarantine_row(api, receipt["inbound_id"])
    assert "ambiguous" in row["error"]
    assert row["subject"] == "Which of us?"
    assert api.walk("/tickets") == []


# -- no header through a file name ---------------------------------------------------------------


def test_an_attachment_named_with_a_line_break_downloads_and_injects_no_header(api, post_email):
    mail = raw_mail(
        f"""
        From: Mei Lin <mei@example.com>
        To: support@desk.example
        Subject: The report
        Message-ID: {msgid()}
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b"
        """,
        "--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n"
        "--b\r\nContent-Type: application/pdf\r\n"
        "Content-Disposition: attachment; filename*=UTF-8''report%0D%0AX-Injected%3A%20yes.pdf"
        "\r\n\r\n%PDF-1.7\r\n--b--\r\n",
    )

    receipt = filed(post_email(mail))

    [attachment] = customer_messages(api, receipt["ticket_id"])[0]["attachments"]
    assert "\r" not in attachment["filename"] and "\n" not in attachment["filename"]
    download = api.client.get(attachment["url"], headers=api.headers)
    assert download.status_code == 200
    assert "X-Injected" not in download.headers
    assert download.headers["Content-Disposition"].startswith('attachment; filename="report')


def test_a_stored_name_with_a_line_break_still_downloads_safely(api, post_email):
    receipt = filed(post_email(compose(subject="An old message")))
    db.session.add(
        Attachment(
            message_id=receipt["message_id"],
            filename="old\r\nX-Injected: yes.txt",
            content_type="text/plain",
            size=2,
            inline=False,
            data=b"hi",
        )
    )
    db.session.commit()
    [attachment] = customer_messages(api, receipt["ticket_id"])[0]["attachments"]

    download = api.client.get(attachment["url"], headers=api.headers)

    assert download.status_code == 200
    assert "X-Injected" not in download.headers
    assert "%0D%0A" in download.headers["Content-Disposition"]


# -- tracking pixels ------------------------------------------------------------------------------


def test_images_from_the_web_load_only_when_the_agent_chooses_to_show_them(api, post_email):
    html = (
        '<p>Hi!<img src="https://tracker.example/open.gif?u=42" width="1" height="1"></p>'
        '<p><img src="cid:logo@mail.example.com" alt="logo"></p>'
    )
    receipt = filed(post_email(html_mail(html)))

    held = email_of(api, receipt["message_id"])
    shown = api.get(f"/messages/{receipt['message_id']}/email", query_string={"images": "show"})

    assert held["remote_images"] is True
    assert not re.search(r'(?<!data-)src="https://tracker', held["html"])
    assert 'data-src="https://tracker.example/open.gif?u=42"' in held["html"]
    assert 'src="cid:logo@mail.example.com"' in held["html"]  # the mail's own image shows
    assert shown.status_code == 200
    assert 'src="https://tracker.example/open.gif?u=42"' in shown.json["html"]
    bad = api.get(f"/messages/{receipt['message_id']}/email", query_string={"images": "all"})
    assert bad.status_code == 422 and "images" in bad.json["errors"]
