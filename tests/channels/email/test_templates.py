"""New tickets by e-mail are acknowledged in the customer's language, in words admins choose."""

from __future__ import annotations

from email.utils import parseaddr

from supportdesk.extensions import db
from tests.channels.email.conftest import compose
from tests.factories import CustomerFactory, UserFactory


def admin_api(client):
    from supportdesk.users.service import create_token
    from tests.conftest import ApiClient

    token = create_token(db.session, UserFactory(role="admin"))
    db.session.commit()
    return ApiClient(client, token)


def test_a_new_ticket_by_email_is_acknowledged_in_chinese(post_email, smtp_server, api):
    CustomerFactory(name="王芳", emails=["wang@example.com"], locale="zh-CN")
    db.session.commit()

    filed = post_email(compose(sender=("王芳", "wang@example.com"), subject="发票开错了"))

    [ack] = smtp_server.messages
    assert parseaddr(ack["To"])[1] == "wang@example.com"
    assert ack["Subject"] == f"我们已收到您的来信：发票开错了 [SD-{1000 + filed.json['ticket_id']}]"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert "王芳，您好" in ack.get_body(("plain",)).get_content()
    # On the ticket it is the desk's automatic message; the ticket is still new.
    ticket = api.get(f"/tickets/{filed.json['ticket_id']}").json
    assert ticket["status"] == "new"
    messages = api.walk(f"/tickets/{ticket['id']}/messages")
    assert [(m["direction"], m["author"]["kind"]) for m in messages] == [
        ("inbound", "customer"),
        ("outbound", "system"),
    ]


def test_the_acknowledgement_answers_the_mail_that_opened_the_ticket(post_email, smtp_server):
    """Threaded under the customer's mail and its references, to the customer's first
    address, even when they wrote from another of theirs."""
    CustomerFactory(name="Mei Lin", emails=["mei@example.com", "mei.lin@work.example"])
    db.session.commit()
    earlier = "<earlier@elsewhere.example>"

    post_email(
        compose(
            sender=("Mei Lin", "mei.lin@work.example"),
            message_id="<opening@work.example>",
            headers={"References": earlier},
        )
    )

    [ack] = smtp_server.messages
    assert ack["In-Reply-To"] == "<opening@work.example>"
    assert ack["References"] == f"{earlier} <opening@work.example>"
    assert parseaddr(ack["To"])[1] == "mei@example.com"


def test_replies_and_robots_get_no_acknowledgement(post_email, smtp_server):
    first = post_email(compose(message_id="<one@example.com>"))
    assert first.status_code == 202
    post_email(compose(subject="Re: it", headers={"In-Reply-To": "<one@example.com>"}))
    post_email(compose(subject="Out of office", headers={"Auto-Submitted": "auto-replied"}))

    assert len(smtp_server.messages) == 1  # the first message's acknowledgement only


def test_an_admin_rewords_the_acknowledgement(client, post_email, smtp_server):
    admin = admin_api(client)

    saved = admin.client.put(
        "/api/v1/email/templates/ticket_acknowledgement/en",
        json={"subject": "Ticket {{ ticket_ref }} opened", "body": "Hi {{ customer_name }}!"},
        headers=admin.headers,
    )
    post_email(compose(sender=("Ana Souza", "ana@example.com")))

    assert saved.status_code == 200 and saved.json["customized"] is True
    [ack] = smtp_server.messages
    assert ack["Subject"].startswith("Ticket SD-")
    assert ack.get_body(("plain",)).get_content().strip() == "Hi Ana Souza!"


def test_template_edits_are_checked_and_admin_only(client, api):
    admin = admin_api(client)
    path = "/api/v1/email/templates/ticket_acknowledgement/zh-CN"

    broken = admin.client.put(
        path, json={"subject": "{{ ticket_ref ", "body": "x"}, headers=admin.headers
    )
    unknown_variable = admin.client.put(
        path, json={"subject": "{{ password }}", "body": "x"}, headers=admin.headers
    )
    by_agent = api.client.put(path, json={"subject": "a", "body": "b"}, headers=api.headers)
    no_such = admin.client.put(
        "/api/v1/email/templates/nope/en", json={"subject": "a", "body": "b"}, headers=admin.headers
    )
    listing = api.get("/email/templates").json
    listed = listing["items"]

    assert broken.status_code == 422 and "subject" in broken.json["errors"]
    assert unknown_variable.status_code == 422
    assert by_agent.status_code == 403
    assert no_such.status_code == 404
    assert {(t["key"], t["locale"]) for t in listed} >= {
        ("ticket_acknowledgement", "en"),
        ("ticket_acknowledgement", "zh-CN"),
        ("csat_request", "en"),
        ("csat_request", "zh-CN"),
    }
    assert not any(t["customized"] for t in listed)
    assert listing["next_cursor"] is None
