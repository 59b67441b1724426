"""``supportdesk demo``: a desk to try out, with customers who used every channel."""

from __future__ import annotations

import os
import re
import subprocess
import time

import requests

from supportdesk.core.time import utcnow
from supportdesk.demo import ADMIN, load_demo
from supportdesk.extensions import db
from tests.peers import SUPPORTDESK, serve_process

DEMO_ADMIN = {"email": ADMIN["email"], "password": ADMIN["password"]}


def _credentials(sign_in_text: str) -> dict[str, tuple[str, str]]:
    """``{"admin": (email, password), "agent": ...}``, read as a person reads the text."""
    found = re.findall(r"^\s*(admin|agent): (\S+) / (\S+)$", sign_in_text, re.MULTILINE)
    return {role: (email, password) for role, email, password in found}


def test_the_printed_credentials_sign_in_as_admin_and_as_agent(client):
    text = load_demo(db.session)

    assert "http://127.0.0.1:5000/" in text
    credentials = _credentials(text)
    assert set(credentials) == {"admin", "agent"}
    for role, (email, password) in credentials.items():
        response = client.post("/api/v1/session", json={"email": email, "password": password})
        assert response.status_code == 200, response.json
        assert response.json["user"]["role"] == role


def test_the_customer_who_called_then_emailed_then_chatted_has_one_solved_story(api):
    load_demo(db.session)
    found = api.get("/customers", query_string={"q": "maria.gonzalez@example.com"}).json["items"]
    [maria] = found

    items = api.walk(f"/customers/{maria['id']}/timeline")

    times = [i["occurred_at"] for i in items]
    assert times == sorted(times, reverse=True)
    oldest_first = list(reversed(items))
    contacts = [i["channel"] for i in oldest_first if i.get("direction") == "inbound"]
    assert list(dict.fromkeys(contacts)) == ["phone", "email", "chat"]
    assert next(i["kind"] for i in oldest_first if i["channel"] != "system") == "call"
    replies = {i["channel"] for i in items if i.get("direction") == "outbound"}
    assert replies == {"email", "chat"}
    assert any(i.get("direction") == "internal" for i in items)
    # one ticket; her help-center reading before the chat belongs to none
    [ticket_id] = {i["ticket_id"] for i in items if i["kind"] != "kb_activity"}
    assert {i["ticket_id"] for i in items if i["kind"] == "kb_activity"} == {None}
    assert api.get(f"/tickets/{ticket_id}").json["status"] == "solved"
    # The story reads in order: opened first, solved last, all of it in the past weeks.
    assert (oldest_first[0]["event"], items[0]["event"]) == ("created", "status_changed")
    assert items[0]["data"]["to"] == "solved"
    today = utcnow().date().isoformat()
    assert all(i["occurred_at"] < today for i in items)


def test_the_demo_desk_shows_every_channel_status_and_both_languages(api):
    load_demo(db.session)

    customers = api.walk("/customers")
    tickets = api.walk("/tickets")

    assert {c["locale"] for c in customers} >= {"en", "zh-CN"}
    assert any(c["emails"] and c["phones"] for c in customers)
    assert {t["channel"] for t in tickets} == {"email", "chat", "phone", "web"}
    assert {t["status"] for t in tickets} >= {"new", "open", "pending", "solved", "closed"}
    assert any(t["assignee_id"] for t in tickets)
    assert any(t["tags"] for t in tickets)
    assert {t["priority"] for t in tickets} >= {"normal", "high", "urgent"}


def test_the_demo_help_center_has_ranked_articles_in_both_languages_linked(api, client):
    load_demo(db.session)

    public = client.get("/api/v1/kb/articles", query_string={"limit": 200}).json["items"]
    everything = api.walk("/kb/articles")
    chinese = client.get("/api/v1/kb/articles", query_string={"locale": "zh-CN"}).json["items"]

    assert {a["locale"] for a in public} == {"en", "zh-CN"}
    assert len(public) >= 8 and len(everything) == len(public) + 1  # one draft
    assert public[0]["title"] in {"Refund policy", "退款政策"}  # the best liked first
    assert [a["score"] for a in public] == sorted((a["score"] for a in public), reverse=True)
    refund = next(a for a in chinese if a["title"] == "退款政策")
    assert refund["slug"] == "退款政策"
    read = client.get(f"/api/v1/kb/articles/{refund['id']}").json
    assert [t["title"] for t in read["translations"]] == ["Refund policy"]
    assert [r["title"] for r in read["related"]] == ["配送时间与物流查询"]
    shelves = client.get("/api/v1/kb/categories").json["items"]
    assert shelves[0]["names"] == {"en": "Orders and refunds", "zh-CN": "订单与退款"}
    assert all(c["sections"] for c in shelves)


def test_the_demo_review_queue_calls_out_only_what_readers_find_poor(api):
    load_demo(db.session)

    queue = {item["article"]["title"]: item["reasons"] for item in api.walk("/kb/review")}

    assert "Refund policy" not in queue  # 42 Yes and 3 No, given among the Yes
    assert queue == {
        "The grinder makes a clicking noise": ["poorly_rated"],
        "磨豆机发出咔哒声": ["poorly_rated"],
    }
    [grinder] = [i for i in api.walk("/kb/review") if i["article"]["locale"] == "en"]
    assert [c["comment"] for c in grinder["comments"]] == [
        "The upper burr does not come off on my model. Which way does it turn?"
    ]


def test_the_demo_review_shows_what_its_suggestions_deflected(api):
    load_demo(db.session)

    report = api.get("/kb/deflection").json

    overall = report["overall"]
    assert overall["rate"] is not None and 0 < overall["rate"] < 1
    assert overall["shown"] > overall["settled"] > overall["deflected"] > 0  # today's: unsettled
    assert overall["contacted"] > 0
    by_title = {item["article"]["title"]: item for item in report["items"]}
    refunds = by_title["Refund policy"]
    assert report["items"][0] == refunds  # the most shown
    assert (refunds["shown"], refunds["deflected"]) == (6, 4)


def test_loading_the_demo_twice_duplicates_nothing(api):
    load_demo(db.session)
    customers, tickets = len(api.walk("/customers")), len(api.walk("/tickets"))

    again = load_demo(db.session)

    assert "already loaded" in again
    assert set(_credentials(again)) == {"admin", "agent"}
    assert len(api.walk("/customers")) == customers
    assert len(api.walk("/tickets")) == tickets


def test_the_demo_command_loads_the_desk_and_says_how_to_sign_in(app, api):
    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5000/" in result.output
    assert set(_credentials(result.output)) == {"admin", "agent"}
    assert api.get("/customers", query_string={"q": "Maria"}).json["items"]


def test_the_demo_lets_a_newcomer_send_a_reply_by_email_without_a_mail_server(tmp_path):
    """`supportdesk demo`, then `supportdesk serve` with no SMTP setting at all: an e-mail
    reply goes to the local outbox the demo recorded, and the admin reads it there."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SUPPORTDESK_")}
    env.update(
        SUPPORTDESK_INSTANCE_PATH=str(tmp_path),
        SUPPORTDESK_DATABASE_URL=f"sqlite:///{tmp_path / 'desk.db'}",
    )
    demo = subprocess.run([*SUPPORTDESK, "demo"], env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    assert "local outbox" in demo.stdout and "/api/v1/email/outbox" in demo.stdout

    with serve_process(env) as base:
        admin = requests.Session()
        signed_in = admin.post(base + "/api/v1/session", json=DEMO_ADMIN, timeout=5)
        assert signed_in.status_code == 200, signed_in.text
        csrf = {"X-CSRF-Token": signed_in.json()["csrf_token"]}
        ticket = admin.get(base + "/api/v1/tickets?status=new", timeout=5).json()["items"][0]
        reply = admin.post(
            base + f"/api/v1/tickets/{ticket['id']}/messages",
            json={"body": "We are on it.", "channel": "email"},
            headers=csrf,
            timeout=5,
        )
        assert reply.status_code == 201, reply.text
        deadline = time.monotonic() + 20
        while not (items := admin.get(base + "/api/v1/email/outbox", timeout=5).json()["items"]):
            assert time.monotonic() < deadline, "the reply never reached the outbox"
            time.sleep(0.2)
        [mail] = items
        assert ticket["ref"] in mail["subject"]
        read = admin.get(base + f"/api/v1/email/outbox/{mail['id']}", timeout=5).json()
        assert read["text"].strip() == "We are on it."
