"""Mail the widget can make the desk send: limited per inbox and per client, never a relay.

The test app allows 3 mails a minute to one address and 8 from one client address
(tests/channels/chat/conftest.py); a visitor alone may send 100.
"""

from __future__ import annotations

from typing import Any

from tests.channels.chat.conftest import mailed_code


def _mails_to(smtp_peer: Any, address: str) -> int:
    return sum(address in recipients for recipients in smtp_peer.recipients)


def test_fresh_visitors_cannot_flood_one_inbox_with_codes(visitor: Any, smtp_peer: Any) -> None:
    answers = []
    for _ in range(3):
        widget, _ = visitor()
        answers += [widget.call("verify.start", {"email": "victim@mail.example"}) for _ in range(5)]

    assert answers[:3] == [{"sent": True}] * 3
    refused = answers[3:]
    assert all(a["error"]["status"] == 429 and a["error"]["retry_after"] > 0 for a in refused)
    assert _mails_to(smtp_peer, "victim@mail.example") == 3


def test_one_client_cannot_mail_many_inboxes(visitor: Any, smtp_peer: Any) -> None:
    answers = []
    for n in range(10):
        widget, _ = visitor()
        answers.append(widget.call("verify.start", {"email": f"inbox{n}@mail.example"}))

    assert answers[:8] == [{"sent": True}] * 8
    assert [a["error"]["status"] for a in answers[8:]] == [429, 429]
    assert len(smtp_peer.received) == 8


def test_a_code_mail_carries_no_name_the_visitor_chose(visitor: Any, smtp_peer: Any) -> None:
    widget, _ = visitor(locale="zh-CN")
    widget.call("identify", {"email": "someone@mail.example", "name": "Win $500 at evil.example"})

    assert widget.call("verify.start", {"email": "someone@mail.example"}) == {"sent": True}

    mail = smtp_peer.messages[-1]
    assert mail["To"] == "someone@mail.example"
    text = mail.get_body(("plain",)).get_content() if mail.is_multipart() else mail.get_content()
    assert "evil.example" not in text and "evil.example" not in mail["Subject"]
    assert mailed_code(smtp_peer, "someone@mail.example") in text


def test_a_transcript_is_limited_per_address_too(visitor: Any, smtp_peer: Any) -> None:
    widget, _ = visitor()
    widget.call("message", {"body": "keep this for me", "client_id": "1"})
    widget.call("verify.start", {"email": "me@mail.example"})
    widget.call("verify.check", {"code": mailed_code(smtp_peer, "me@mail.example")})

    answers = [widget.call("transcript", {}) for _ in range(3)]

    assert answers[:2] == [{"sent": True}] * 2  # the code was the first of three
    assert answers[2]["error"]["status"] == 429
    assert _mails_to(smtp_peer, "me@mail.example") == 3
