"""The agent who picks up sees what the customer already tried in self-service, in the
same timeline as their messages."""

from __future__ import annotations

import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.knowledge import activity, voters
from supportdesk.knowledge.articles import delete_article
from supportdesk.knowledge.models import KbSurface
from supportdesk.tickets.models import Direction
from tests.factories import ArticleFactory, CustomerFactory, MessageFactory, TicketFactory


def test_searched_read_and_rated_show_before_the_chat_as_kb_activity_entries(api):
    customer = CustomerFactory(name="Maria")
    refunds = ArticleFactory(title="Refund policy", body="We refund within 30 days.")
    db.session.commit()
    reader = voters.customer_voter(customer.id)
    activity.record_search(db.session, reader, "refund", 1, surface=KbSurface.PORTAL, locale="en")
    activity.record_view(db.session, reader, refunds, surface=KbSurface.PORTAL)
    activity.record_rating(db.session, reader, refunds, helpful=False, surface=KbSurface.PORTAL)
    ticket = TicketFactory(customer=customer, channel="chat", body="I still want my money")
    db.session.commit()

    items = api.walk(f"/customers/{customer.id}/timeline")

    kinds = [i["kind"] for i in reversed(items) if i["kind"] != "ticket_event"]
    assert kinds == ["kb_activity", "kb_activity", "kb_activity", "message"]
    searched, viewed, rated = [i for i in reversed(items) if i["kind"] == "kb_activity"]
    assert searched == {
        "id": searched["id"],
        "kind": "kb_activity",
        "channel": "web",
        "ticket_id": None,
        "occurred_at": searched["occurred_at"],
        "action": "searched",
        "query": "refund",
        "result_count": 1,
        "helpful": None,
        "comment": None,
        "surface": "portal",
        "article": None,
    }
    link = {
        "id": refunds.id,
        "slug": "refund-policy",
        "title": "Refund policy",
        "locale": "en",
        "status": "published",
    }
    assert (viewed["action"], viewed["article"]) == ("viewed", link)
    assert (rated["action"], rated["helpful"], rated["article"]) == ("rated", False, link)
    assert ticket.id in {i["ticket_id"] for i in items}


def test_the_kind_filter_shows_self_service_alone(api):
    customer = CustomerFactory()
    TicketFactory(customer=customer, channel="email", body="Hello")
    activity.record_search(
        db.session, voters.customer_voter(customer.id), "hello", 0, surface=KbSurface.PORTAL
    )
    db.session.commit()

    items = api.walk(f"/customers/{customer.id}/timeline", kind="kb_activity")
    web = api.walk(f"/customers/{customer.id}/timeline", channel="web")

    assert [(i["action"], i["query"]) for i in items] == [("searched", "hello")]
    assert [i["kind"] for i in web] == ["kb_activity"]


def test_a_deleted_article_leaves_what_the_customer_did_without_the_article(api):
    customer = CustomerFactory()
    gone = ArticleFactory(title="Old pricing")
    db.session.commit()
    activity.record_view(
        db.session, voters.customer_voter(customer.id), gone, surface=KbSurface.PORTAL
    )
    db.session.commit()

    delete_article(db.session, gone)
    db.session.commit()
    [entry] = api.walk(f"/customers/{customer.id}/timeline", kind="kb_activity")

    assert (entry["action"], entry["article"]) == ("viewed", None)


def test_a_page_of_self_service_costs_what_any_page_costs(api, app):
    """The page query loads each entry's activity and article with it (no query per entry)."""
    customer = CustomerFactory()
    articles = [ArticleFactory(title=f"Article {n}") for n in range(5)]
    db.session.commit()
    reader = voters.customer_voter(customer.id)
    for article in articles:
        activity.record_view(db.session, reader, article, surface=KbSurface.PORTAL)
    MessageFactory(
        ticket=TicketFactory(customer=customer, channel="chat", body="Hi"),
        body="Hello",
        direction=Direction.INBOUND,
    )
    db.session.commit()
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        answer = api.get(f"/customers/{customer.id}/timeline", query_string={"kind": "kb_activity"})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)

    assert answer.status_code == 200 and len(answer.json["items"]) == 5
    kb_reads = [s for s in statements if "kb_articles" in s]
    assert len(kb_reads) == 1, kb_reads


def test_the_demo_shows_what_maria_tried_in_the_help_center_before_her_chat(api):
    from supportdesk.customers.models import Identity
    from supportdesk.demo import load_demo

    load_demo(db.session)
    maria = db.session.scalar(
        sa.select(Identity.customer_id).where(Identity.value == "maria.gonzalez@example.com")
    )

    items = list(reversed(api.walk(f"/customers/{maria}/timeline")))

    tried = [
        (i["action"], i["query"] or i["article"]["title"])
        for i in items
        if i["kind"] == "kb_activity"
    ]
    assert tried == [
        ("searched", "return label"),
        ("searched", "send back"),
        ("viewed", "Refund policy"),
        ("rated", "Refund policy"),
    ]
    after = items[[i["kind"] for i in items].index("kb_activity") + 4]
    assert (after["kind"], after["channel"]) == ("message", "chat")
