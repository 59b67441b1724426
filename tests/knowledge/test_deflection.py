"""Deflection: the articles suggested as a customer types, whether they opened one, and
whether they still wrote to us within a day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from supportdesk.channels.chat import identity
from supportdesk.core.channels import Channel
from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.knowledge import deflection, voters
from supportdesk.knowledge.deflection_tasks import settle_suggestions
from supportdesk.knowledge.models import Article, KbSurface, Suggestion
from supportdesk.tickets.service import add_customer_message
from tests.factories import ArticleFactory, CustomerFactory, VisitorFactory

LATER = timedelta(days=1, hours=1)


@pytest.fixture
def refunds(app: Any) -> Any:
    made = ArticleFactory(title="Refund policy", body="We refund within 30 days.")
    db.session.commit()
    return made


def suggest(client: Any, q: str, **params: Any) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/kb/suggest", query_string={"q": q, **params})
    assert answer.status_code == 200, answer.json
    return answer.json["items"]


def suggestions() -> list[Suggestion]:
    db.session.rollback()  # what the requests committed
    return list(db.session.query(Suggestion).order_by(Suggestion.id))


def deflections(article: Any) -> int:
    db.session.rollback()
    return db.session.get(Article, article.id).deflection_count


def test_a_widget_visitor_is_shown_a_suggestion_and_opening_it_marks_it_opened(client, refunds):
    token = VisitorFactory().token
    db.session.commit()

    [item] = suggest(client, "refund", surface="widget", visitor_token=token)
    read = client.get(
        f"/api/v1/kb/articles/{refunds.id}",
        query_string={"visitor_token": token, "suggestion": item["suggestion_id"]},
    )

    assert read.status_code == 200
    [shown] = suggestions()
    assert (shown.id, shown.article_id, shown.surface) == (
        item["suggestion_id"],
        refunds.id,
        KbSurface.WIDGET,
    )
    assert shown.opened_at is not None and shown.contacted_at is None


def test_the_same_article_shown_by_every_keystroke_is_one_suggestion(client, refunds):
    token = VisitorFactory().token
    db.session.commit()

    ids = {
        suggest(client, typed, surface="widget", visitor_token=token)[0]["suggestion_id"]
        for typed in ("ref", "refu", "refund", "refund pol")
    }

    assert len(ids) == 1 and len(suggestions()) == 1


def test_the_help_center_search_box_and_agents_record_no_suggestions(client, api, refunds):
    token = VisitorFactory().token
    db.session.commit()

    in_the_help_center = suggest(client, "refund", visitor_token=token, surface="help_center")
    by_an_agent = api.get("/kb/suggest", query_string={"q": "refund", "surface": "portal"})

    assert [i["suggestion_id"] for i in in_the_help_center] == [None]
    assert [i["suggestion_id"] for i in by_an_agent.json["items"]] == [None]
    assert suggestions() == []


def test_someone_elses_suggestion_id_opens_nothing(client, refunds):
    victim, attacker = VisitorFactory().token, VisitorFactory().token
    db.session.commit()
    [item] = suggest(client, "refund", surface="widget", visitor_token=victim)

    client.get(
        f"/api/v1/kb/articles/{refunds.id}",
        query_string={"visitor_token": attacker, "suggestion": item["suggestion_id"]},
    )
    client.get(f"/help/en/articles/{refunds.slug}?suggestion={item['suggestion_id']}")

    assert [s.opened_at for s in suggestions()] == [None]


def test_a_reader_who_opened_the_suggestion_and_did_not_write_within_a_day_was_deflected(
    client, refunds
):
    token = VisitorFactory().token
    db.session.commit()
    [item] = suggest(client, "refund", surface="widget", visitor_token=token)
    client.get(
        f"/api/v1/kb/articles/{refunds.id}",
        query_string={"visitor_token": token, "suggestion": item["suggestion_id"]},
    )

    assert deflection.settle(db.session) == 0  # its day is not over
    settled = deflection.settle(db.session, at=utcnow() + LATER)
    db.session.commit()

    assert settled == 1 and deflections(refunds) == 1
    assert deflection.settle(db.session, at=utcnow() + 2 * LATER) == 0  # counted once
    assert deflections(refunds) == 1


def test_the_hourly_task_settles_what_is_a_day_old(client, refunds):
    reader = voters.cookie_voter()
    [suggestion_id] = deflection.record_shown(
        db.session, reader, [refunds.id], surface=KbSurface.REQUEST_FORM
    ).values()
    deflection.record_opened(db.session, reader, suggestion_id, refunds.id)
    db.session.get(Suggestion, suggestion_id).shown_at = utcnow() - LATER
    db.session.commit()

    settle_suggestions.call_local()

    assert deflections(refunds) == 1 and suggestions()[0].settled_at is not None


def test_a_suggestion_shown_but_never_opened_deflected_nobody(client, refunds):
    token = VisitorFactory().token
    db.session.commit()
    suggest(client, "refund", surface="widget", visitor_token=token)

    deflection.settle(db.session, at=utcnow() + LATER)
    db.session.commit()

    assert deflections(refunds) == 0 and suggestions()[0].settled_at is not None


def test_a_visitor_who_chatted_after_reading_the_suggestion_was_not_deflected(client, refunds):
    visitor = VisitorFactory()
    token = visitor.token
    db.session.commit()
    [item] = suggest(client, "refund", surface="widget", visitor_token=token)
    client.get(
        f"/api/v1/kb/articles/{refunds.id}",
        query_string={"visitor_token": token, "suggestion": item["suggestion_id"]},
    )

    customer = identity.customer_for(db.session, visitor)  # the chat's first message
    add_customer_message(db.session, customer, ticket=None, channel=Channel.CHAT, body="Still?")
    db.session.commit()
    deflection.settle(db.session, at=utcnow() + LATER)
    db.session.commit()

    [shown] = suggestions()
    assert shown.contacted_at is not None and shown.customer_id == customer.id
    assert deflections(refunds) == 0


def test_a_request_filed_from_the_browser_after_its_suggestions_is_a_contact(client, refunds):
    client.get("/help/requests/new?locale=en")  # the form gives the browser its reader cookie
    [item] = suggest(client, "refund", surface="request_form")
    assert item["suggestion_id"] is not None

    filed = client.post(
        "/api/v1/portal/tickets",
        json={"name": "Ana", "email": "ana@mail.example", "subject": "Refund", "body": "Please"},
    )

    assert filed.status_code == 201, filed.json
    [shown] = suggestions()
    assert shown.contacted_at is not None and shown.customer_id is not None


def test_writing_to_us_more_than_a_day_after_the_suggestion_does_not_undo_it(app, refunds):
    customer = CustomerFactory()
    db.session.commit()
    reader = voters.customer_voter(customer.id)
    [suggestion_id] = deflection.record_shown(
        db.session, reader, [refunds.id], surface=KbSurface.PORTAL
    ).values()
    db.session.get(Suggestion, suggestion_id).shown_at = utcnow() - LATER
    db.session.commit()

    add_customer_message(db.session, customer, ticket=None, channel=Channel.EMAIL, body="Hi")
    db.session.commit()

    assert suggestions()[0].contacted_at is None


def test_agents_get_the_deflection_rate_per_article_and_overall(client, api, refunds):
    shipping = ArticleFactory(title="Shipping times", body="Parcels leave within a day.")
    db.session.commit()
    empty = api.get("/kb/deflection")
    assert empty.json == {
        "overall": {
            "shown": 0,
            "opened": 0,
            "contacted": 0,
            "settled": 0,
            "deflected": 0,
            "rate": None,
        },
        "items": [],
        "next_cursor": None,
    }
    # three readers shown Refund policy: one opened it and was content, one opened it and
    # wrote anyway, one never opened it; one reader shown Shipping times, today
    for opened, contacted in ((True, False), (True, True), (False, False)):
        customer = CustomerFactory()
        db.session.commit()
        reader = voters.customer_voter(customer.id)
        [sid] = deflection.record_shown(
            db.session, reader, [refunds.id], surface=KbSurface.PORTAL
        ).values()
        if opened:
            deflection.record_opened(db.session, reader, sid, refunds.id)
        if contacted:
            deflection.record_contact(db.session, customer_id=customer.id)
        db.session.get(Suggestion, sid).shown_at = utcnow() - LATER
    deflection.record_shown(
        db.session, voters.cookie_voter(), [shipping.id], surface=KbSurface.REQUEST_FORM
    )
    deflection.settle(db.session)
    db.session.commit()

    report = api.get("/kb/deflection")
    first_page = api.get("/kb/deflection", query_string={"limit": 1})
    second_page = api.get(
        "/kb/deflection", query_string={"limit": 1, "cursor": first_page.json["next_cursor"]}
    )

    assert report.status_code == 200, report.json
    assert report.json["overall"] == {
        "shown": 4,
        "opened": 2,
        "contacted": 1,
        "settled": 3,
        "deflected": 1,
        "rate": pytest.approx(1 / 3),
    }
    assert [(i["article"]["title"], i["shown"], i["rate"]) for i in report.json["items"]] == [
        ("Refund policy", 3, pytest.approx(1 / 3)),
        ("Shipping times", 1, None),
    ]
    assert [i["article"]["title"] for i in first_page.json["items"]] == ["Refund policy"]
    assert [i["article"]["title"] for i in second_page.json["items"]] == ["Shipping times"]
    assert second_page.json["next_cursor"] is None
    assert client.get("/api/v1/kb/deflection").status_code == 401
    assert api.get("/kb/deflection", query_string={"days": 0}).status_code == 422
