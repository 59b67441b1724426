"""Self-service on the timeline: what a known reader searched, read and rated shows there
before they write, and nobody else's reading ever does."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest

from supportdesk.channels.chat import identity
from supportdesk.channels.chat.identity import Claim
from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.knowledge import activity, voters
from supportdesk.knowledge.models import KbActivity, KbSurface
from supportdesk.knowledge.voters import COOKIE
from tests.factories import ArticleFactory, CustomerFactory, VisitorFactory


@pytest.fixture
def refunds(app: Any) -> Any:
    made = ArticleFactory(title="Refund policy", body="We refund within 30 days.")
    db.session.commit()
    return made


def self_service(api: Any, customer_id: int) -> list[tuple[Any, ...]]:
    """The customer's timeline as the agent sees it: its kb_activity entries, oldest first."""
    items = api.walk(f"/customers/{customer_id}/timeline", kind="kb_activity")
    return [
        (
            i["action"],
            i["query"] if i["action"] == "searched" else (i["article"] or {}).get("title"),
            i["result_count"] if i["action"] == "searched" else i["helpful"],
        )
        for i in reversed(items)
    ]


def test_a_known_visitor_searched_read_and_rated_before_the_chat_and_the_agent_sees_it(
    client, api, refunds
):
    customer = CustomerFactory(name="Maria")
    token = VisitorFactory(customer=customer).token
    db.session.commit()

    client.get("/api/v1/kb/articles", query_string={"q": "warranty", "visitor_token": token})
    client.get("/api/v1/kb/articles", query_string={"q": "refund", "visitor_token": token})
    client.get(f"/api/v1/kb/articles/{refunds.id}", query_string={"visitor_token": token})
    voted = client.post(
        f"/api/v1/kb/articles/{refunds.id}/feedback", json={"helpful": False, "voter": token}
    )

    assert voted.status_code == 200, voted.json
    assert self_service(api, customer.id) == [
        ("searched", "warranty", 0),
        ("searched", "refund", 1),
        ("viewed", "Refund policy", None),
        ("rated", "Refund policy", False),
    ]


def test_the_widget_naming_its_visitor_in_a_header_keeps_the_token_out_of_urls(
    client, api, refunds
):
    customer = CustomerFactory(name="Maria")
    token = VisitorFactory(customer=customer).token
    db.session.commit()
    visitor = {voters.VISITOR_TOKEN_HEADER: token}

    client.get("/api/v1/kb/suggest", query_string={"q": "refund"}, headers=visitor)
    client.get(f"/api/v1/kb/articles/{refunds.id}", headers=visitor)
    voted = client.post(
        f"/api/v1/kb/articles/{refunds.id}/feedback", json={"helpful": True}, headers=visitor
    )
    mine = client.get(f"/api/v1/kb/articles/{refunds.id}/feedback", headers=visitor)

    assert voted.status_code == 200, voted.json
    assert "Set-Cookie" not in voted.headers  # the visitor voted, not a browser's cookie
    assert mine.json["your_vote"]["helpful"] is True
    assert self_service(api, customer.id) == [
        ("searched", "refund", 1),
        ("viewed", "Refund policy", None),
        ("rated", "Refund policy", True),
    ]


def test_keystrokes_typed_in_a_row_are_one_search_with_the_last_words(client, api, refunds):
    customer = CustomerFactory()
    token = VisitorFactory(customer=customer).token
    db.session.commit()

    for typed in ("r", "re", "ref", "refund", "refun", "refund polic"):
        answer = client.get("/api/v1/kb/suggest", query_string={"q": typed, "visitor_token": token})
        assert answer.status_code == 200, answer.json
    client.get("/api/v1/kb/suggest", query_string={"q": "shipping", "visitor_token": token})

    assert self_service(api, customer.id) == [
        ("searched", "refund polic", 1),
        ("searched", "shipping", 0),
    ]


def test_a_search_typed_on_after_reading_an_article_is_a_search_of_its_own(app, refunds):
    customer = CustomerFactory()
    db.session.commit()
    reader = voters.customer_voter(customer.id)

    activity.record_search(db.session, reader, "refund", 1, surface=KbSurface.PORTAL)
    activity.record_view(db.session, reader, refunds, surface=KbSurface.PORTAL)
    activity.record_search(db.session, reader, "refund for a gift", 0, surface=KbSurface.PORTAL)
    db.session.commit()

    done = db.session.query(KbActivity).order_by(KbActivity.id)
    assert [(a.action.value, a.query) for a in done] == [
        ("searched", "refund"),
        ("viewed", None),
        ("searched", "refund for a gift"),
    ]


def test_the_same_words_typed_again_later_are_a_new_search(app, refunds):
    customer = CustomerFactory()
    db.session.commit()
    reader = voters.customer_voter(customer.id)
    start = utcnow()

    first = activity.record_search(
        db.session, reader, "refund", 1, surface=KbSurface.PORTAL, at=start
    )
    again = activity.record_search(
        db.session,
        reader,
        "refund",
        1,
        surface=KbSurface.PORTAL,
        at=start + activity.SEARCH_COALESCE + timedelta(seconds=1),
    )

    assert first is not None and again is not None and first.id != again.id


def test_reading_an_article_again_within_the_hour_is_one_view(app, refunds):
    customer = CustomerFactory()
    db.session.commit()
    reader = voters.customer_voter(customer.id)
    start = utcnow().replace(minute=0, second=0)

    first = activity.record_view(db.session, reader, refunds, surface=KbSurface.PORTAL, at=start)
    soon = activity.record_view(
        db.session, reader, refunds, surface=KbSurface.PORTAL, at=start + timedelta(minutes=20)
    )
    later = activity.record_view(
        db.session, reader, refunds, surface=KbSurface.PORTAL, at=start + timedelta(hours=2)
    )

    assert first is not None and soon is None and later is not None
    db.session.commit()
    assert db.session.query(KbActivity).count() == 2


def test_a_visitor_with_no_customer_leaves_no_trace_until_their_first_chat_brings_the_last_week(
    client, api, refunds
):
    visitor = VisitorFactory()
    token = visitor.token
    db.session.commit()
    reader = voters.visitor_voter(db.session, token)
    activity.record_search(
        db.session,
        reader,
        "old question",
        0,
        surface=KbSurface.WIDGET,
        at=utcnow() - activity.JOIN_WINDOW - timedelta(hours=1),
    )
    db.session.commit()
    client.get("/api/v1/kb/articles", query_string={"q": "refund", "visitor_token": token})
    client.get(f"/api/v1/kb/articles/{refunds.id}", query_string={"visitor_token": token})
    bystander = CustomerFactory()
    db.session.commit()

    assert self_service(api, bystander.id) == []
    assert {a.customer_id for a in db.session.query(KbActivity)} == {None}

    customer = identity.customer_for(db.session, visitor)  # their first chat message
    db.session.commit()

    assert self_service(api, customer.id) == [
        ("searched", "refund", 1),
        ("viewed", "Refund policy", None),
    ]


def test_a_visitor_who_proves_who_they_are_brings_their_reading_to_that_customer(
    client, api, refunds, monkeypatch
):
    monkeypatch.setitem(client.application.config, "WIDGET_SECRET", "s3cret")
    owner = CustomerFactory(external_id="user-42")
    visitor = VisitorFactory()
    token = visitor.token
    db.session.commit()
    client.get("/api/v1/kb/articles", query_string={"q": "refund", "visitor_token": token})

    signed = hmac.new(b"s3cret", b"user-42", hashlib.sha256).hexdigest()
    identity.resolve(db.session, token, Claim(external_id="user-42", hash=signed))
    db.session.commit()

    assert self_service(api, owner.id) == [("searched", "refund", 1)]


def test_an_attacker_with_their_own_token_claiming_someone_elses_address_gets_nothing_of_theirs(
    client, api, refunds
):
    victim = CustomerFactory(emails=["victim@mail.example"])
    victim_token = VisitorFactory(customer=victim).token
    attacker = VisitorFactory()
    attacker_token = attacker.token
    db.session.commit()
    client.get("/api/v1/kb/articles", query_string={"q": "divorce", "visitor_token": victim_token})
    client.get("/api/v1/kb/articles", query_string={"q": "refund", "visitor_token": attacker_token})

    found, _ = identity.resolve(db.session, attacker_token, Claim(email="victim@mail.example"))
    db.session.commit()

    assert found.customer_id != victim.id
    assert self_service(api, found.customer_id) == [("searched", "refund", 1)]
    assert self_service(api, victim.id) == [("searched", "divorce", 0)]


def test_a_browser_that_files_a_request_brings_its_help_center_reading_to_the_request(
    client, api, refunds
):
    client.get("/help/requests/new?locale=en")  # the form gives the browser its reader cookie
    client.get("/api/v1/kb/suggest", query_string={"q": "refund", "surface": "request_form"})
    client.get("/help/en/search", query_string={"q": "cancel my order"})
    page = client.get(f"/help/en/articles/{refunds.slug}")
    assert page.status_code == 200

    filed = client.post(
        "/api/v1/portal/tickets",
        json={"name": "Ana", "email": "ana@mail.example", "subject": "Refund", "body": "Please"},
    )

    assert filed.status_code == 201, filed.json
    customer_id = db.session.query(KbActivity.customer_id).distinct().scalar()
    assert customer_id is not None
    assert self_service(api, customer_id) == [
        ("searched", "refund", 1),
        ("searched", "cancel my order", 0),
        ("viewed", "Refund policy", None),
    ]


def test_a_reader_who_lands_searches_reads_then_files_a_request_brings_that_reading_to_it(
    client, api, refunds
):
    landed = client.get("/help/", follow_redirects=True)
    assert landed.status_code == 200 and client.get_cookie(COOKIE) is not None
    client.get("/help/en/search", query_string={"q": "refund"})
    client.get(f"/help/en/articles/{refunds.slug}")

    filed = client.post(
        "/help/requests/new",
        data={
            "name": "Ana",
            "email": "ana@mail.example",
            "subject": "Refund",
            "body": "The policy does not say how long it takes.",
            "locale": "en",
        },
    )

    assert filed.status_code == 303, filed.text
    customer_id = db.session.query(KbActivity.customer_id).distinct().scalar()
    assert customer_id is not None
    assert self_service(api, customer_id) == [
        ("searched", "refund", 1),
        ("viewed", "Refund policy", None),
    ]


def test_the_first_help_center_page_gives_the_browser_its_reader_cookie_and_records_nothing(
    client, refunds
):
    first = client.get(f"/help/en/articles/{refunds.slug}")
    again = client.get(f"/help/en/articles/{refunds.slug}")

    [cookie] = [h for h in first.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    assert "Set-Cookie" not in again.headers  # the browser has it: it keeps its name
    assert [a.action.value for a in db.session.query(KbActivity)] == ["viewed"]  # the second


def test_a_crawler_that_keeps_no_cookies_reads_twenty_pages_and_leaves_no_trace(app, refunds):
    crawler = app.test_client(use_cookies=False)
    pages = [
        "/help/en/",
        f"/help/en/articles/{refunds.slug}",
        "/help/en/search?q=refund",
        "/help/zh-CN/",
        "/api/v1/kb/suggest?q=refund",
    ] * 4

    answers = [crawler.get(url) for url in pages]

    assert [a.status_code for a in answers] == [200] * 20
    assert crawler.get("/api/v1/kb/suggest?q=refund&surface=request_form").status_code == 200
    assert all(COOKIE in a.headers.get("Set-Cookie", "") for a in answers[:4])  # offered
    assert db.session.query(KbActivity).count() == 0


def test_a_cookie_the_desk_could_not_have_made_names_no_reader(client, refunds):
    client.set_cookie(COOKIE, "not-one-of-ours")

    page = client.get(f"/help/en/articles/{refunds.slug}")
    client.get("/help/en/search", query_string={"q": "refund"})

    assert page.status_code == 200
    assert client.get_cookie(COOKIE).value != "not-one-of-ours"  # replaced by a real one
    assert [a.action.value for a in db.session.query(KbActivity)] == ["searched"]


def test_a_token_the_desk_never_gave_out_still_reads_and_leaves_nothing(client, refunds):
    made_up = "x" * 43

    listed = client.get(
        "/api/v1/kb/articles", query_string={"q": "refund", "visitor_token": made_up}
    )
    read = client.get(f"/api/v1/kb/articles/{refunds.id}", query_string={"visitor_token": made_up})

    assert (listed.status_code, read.status_code) == (200, 200)
    assert db.session.query(KbActivity).count() == 0


def test_agents_searching_and_reading_leave_no_reader_history(api, refunds):
    api.get("/kb/articles", query_string={"q": "refund"})
    api.get(f"/kb/articles/{refunds.id}")
    api.get("/kb/suggest", query_string={"q": "refund", "surface": "portal"})

    assert db.session.query(KbActivity).count() == 0


def test_merging_customers_moves_their_self_service_with_the_timeline(client, api, refunds):
    survivor, source = CustomerFactory(), CustomerFactory()
    token = VisitorFactory(customer=source).token
    db.session.commit()
    client.get(f"/api/v1/kb/articles/{refunds.id}", query_string={"visitor_token": token})

    merged = api.post(f"/customers/{survivor.id}/merge", json={"source_id": source.id})

    assert merged.status_code == 200, merged.json
    assert self_service(api, survivor.id) == [("viewed", "Refund policy", None)]
    assert {a.customer_id for a in db.session.query(KbActivity)} == {survivor.id}


def test_editors_see_the_searches_that_found_nothing_most_frequent_first(client, api, refunds):
    for words in ["Warranty", "warranty", "refund", "warranty", "刷机", "刷机"]:
        reader = voters.cookie_voter()  # six browsers
        activity.record_search(
            db.session,
            reader,
            words,
            0 if words != "refund" else 1,
            surface=KbSurface.HELP_CENTER,
            locale="zh-CN" if words == "刷机" else "en",
        )
    old = voters.cookie_voter()
    activity.record_search(
        db.session,
        old,
        "ancient",
        0,
        surface=KbSurface.HELP_CENTER,
        at=utcnow() - timedelta(days=40),
    )
    db.session.commit()

    first = api.get("/kb/searches/unanswered", query_string={"limit": 1})
    everything = api.walk("/kb/searches/unanswered")
    chinese = api.walk("/kb/searches/unanswered", locale="zh-CN")
    a_year = api.walk("/kb/searches/unanswered", days=365)

    assert first.status_code == 200 and first.json["next_cursor"]
    assert [(i["query"], i["locale"], i["count"]) for i in everything] == [
        ("warranty", "en", 3),
        ("刷机", "zh-CN", 2),
    ]
    assert [i["query"] for i in chinese] == ["刷机"]
    assert "ancient" in [i["query"] for i in a_year]
    assert client.get("/api/v1/kb/searches/unanswered").status_code == 401
    made_up = api.get("/kb/searches/unanswered", query_string={"cursor": "WyJ4Il0"})
    assert (made_up.status_code, list(made_up.json["errors"])) == (422, ["cursor"])


def test_a_no_and_then_what_was_missing_is_one_rating_the_agent_reads_with_the_words(
    client, api, refunds
):
    customer = CustomerFactory()
    token = VisitorFactory(customer=customer).token
    db.session.commit()
    visitor = {voters.VISITOR_TOKEN_HEADER: token}
    feedback = f"/api/v1/kb/articles/{refunds.id}/feedback"

    client.post(feedback, json={"helpful": False}, headers=visitor)
    said = client.post(
        feedback, json={"helpful": False, "comment": "Nothing on store credit."}, headers=visitor
    )
    client.post(feedback, json={"helpful": True}, headers=visitor)  # a changed mind is news

    assert said.status_code == 200, said.json
    entries = api.walk(f"/customers/{customer.id}/timeline", kind="kb_activity")
    assert [(e["helpful"], e["comment"]) for e in reversed(entries)] == [
        (False, "Nothing on store credit."),
        (True, None),
    ]
