"""Every list the agents' workspace reads costs the same SQL for a page of 5 as for a page of 40.

The workspace scrolls through these lists all day: a statement per row (a customer's
identities, a ticket's assignee) makes a page of 200 cost 200 round trips. Each test builds
a world of 40 varied rows and asks for a page of 5 and a page of 40, counting every
statement the request sends, the sign-in by token included. The lists that are not paged
(small by design: a customer's identities, an agent's saved views) are asked for at 5 rows
and again at 40.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from supportdesk.channels.email.models import DeliveryStatus, EmailDetails
from supportdesk.channels.email.outbox import outbox_url
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Identity
from supportdesk.extensions import db
from supportdesk.integrations import service as integrations
from supportdesk.knowledge import activity, articles, deflection, feedback, flags, voters
from supportdesk.knowledge.models import ArticleStatus, FlagReason, FlagResolution, KbSurface
from supportdesk.notifications import service as notifications
from supportdesk.notifications.models import NotificationKind
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, AuthorKind, Direction
from supportdesk.users import service as users
from supportdesk.users.models import User
from tests.conftest import ApiClient
from tests.factories import (
    ArticleFactory,
    CallFactory,
    CannedResponseFactory,
    CategoryFactory,
    CustomerFactory,
    MessageFactory,
    QuarantinedMailFactory,
    SavedViewFactory,
    SectionFactory,
    TicketFactory,
    UserFactory,
    VisitorFactory,
)
from tests.peers import free_port

ROWS = 40


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL statements the block sends to the database, in order."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts made by the dozen: argon2 at its lightest (these passwords guard nothing)."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def admin(client: Any) -> User:
    """The admin asking for the lists: admins see every list (everyone's tokens too)."""
    user = UserFactory(name="Ida Admin", role="admin")
    db.session.commit()
    return user


@pytest.fixture
def admin_api(client: Any, admin: User) -> ApiClient:
    token = users.create_token(db.session, admin)
    db.session.commit()
    return ApiClient(client, token)


def pages_cost_the_same(api: ApiClient, path: str, **filters: str | int) -> list[dict[str, Any]]:
    """Ask for a page of 5 and a page of 40 (with ``filters``); both must send as many
    statements.

    Returns the page of 40, for what it shows.
    """
    counted: dict[int, list[str]] = {}
    items: list[dict[str, Any]] = []
    for limit in (5, ROWS):
        items, counted[limit] = listed(api, path, **filters, limit=limit)
        assert len(items) == limit
    assert len(counted[5]) == len(counted[ROWS]), "\n\n".join(counted[ROWS])
    return items


def listed(
    api: ApiClient, path: str, items: str = "items", **query: str | int
) -> tuple[list[dict[str, Any]], list[str]]:
    """The ``items`` of the list at ``path``, and the statements asking for it sent."""
    api.get(path)  # a token's use is noted once a minute: on this call, not the counted ones
    with statements_run() as statements:
        response = api.get(path, query_string=query)
    assert response.status_code == 200, response.json
    return response.json[items], list(statements)


def lists_cost_the_same(
    api: ApiClient, path: str, add_rows: Callable[[int], object], items: str = "items"
) -> list[dict[str, Any]]:
    """For a list with no pages: ``add_rows(n)`` adds ``n`` rows to the list at ``path``
    (its ``items``); the list of 5 and the list of 40 must send as many statements.

    Returns the list of 40.
    """
    add_rows(5)
    db.session.commit()
    few, few_sent = listed(api, path, items)
    add_rows(ROWS - 5)
    db.session.commit()
    many, many_sent = listed(api, path, items)
    assert (len(few), len(many)) == (5, ROWS)
    assert len(few_sent) == len(many_sent), "\n\n".join(many_sent)
    return many


def test_a_page_of_tickets_names_customers_and_assignees_at_a_constant_cost(admin_api):
    for n in range(ROWS):
        ticket = TicketFactory(body=None)
        tickets.update_ticket(
            db.session, ticket, assignee_id=UserFactory().id, tags=[f"plan_{n}", "vip"]
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/tickets")

    assert len({t["customer"]["id"] for t in page}) == len({t["assignee"]["id"] for t in page})
    assert len({t["assignee"]["id"] for t in page}) == ROWS
    assert all(t["customer"]["id"] == t["customer_id"] and t["customer"]["name"] for t in page)
    assert all(t["assignee"]["id"] == t["assignee_id"] and t["assignee"]["name"] for t in page)
    assert all(t["tags"][-1] == "vip" for t in page)


def test_an_inbox_views_filtered_page_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        ticket = TicketFactory(body=None, priority="high", channel="chat")
        changes = {"tags": [f"plan_{n}", "vip"], "status": "open"}
        tickets.update_ticket(db.session, ticket, assignee_id=None, **changes)
        TicketFactory(body=None, priority="low", channel="chat")  # one the filters leave out
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/tickets", view="unassigned", tag="vip", priority="high")

    assert {(t["status"], t["priority"], t["assignee"]) for t in page} == {("open", "high", None)}
    assert all("vip" in t["tags"] for t in page)


def test_a_page_of_messages_lists_attachments_at_a_constant_cost(admin_api):
    ticket = TicketFactory(body=None)
    colleague = UserFactory()
    note = {"direction": Direction.INTERNAL, "author_kind": AuthorKind.AGENT}
    for n in range(ROWS):
        if n % 2:
            message = MessageFactory(ticket=ticket)
        else:
            message = MessageFactory(ticket=ticket, author_user=colleague, **note)
        message.attachments.append(
            Attachment(filename=f"photo-{n}.png", content_type="image/png", size=3, data=b"png")
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/tickets/{ticket.id}/messages")

    assert [m["attachments"][0]["filename"] for m in page] == [f"photo-{n}.png" for n in range(40)]
    assert {m["internal"] for m in page} == {True, False}


def test_a_page_of_customers_shows_every_identity_at_a_constant_cost(admin_api):
    for n in range(ROWS):
        CustomerFactory(
            emails=[f"c{n}@mail.example", f"c{n}@work.example"],
            phones=[f"+1 415 555 {100 + n:04d}"],
            external_id=f"crm-{n}",
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/customers")

    newest = page[0]
    assert newest["emails"] == [f"c{ROWS - 1}@mail.example", f"c{ROWS - 1}@work.example"]
    assert newest["phones"] == [f"+1415555{100 + ROWS - 1:04d}"]
    assert newest["external_id"] == f"crm-{ROWS - 1}"


def test_a_page_of_a_customers_timeline_costs_the_same_whatever_its_entries(admin_api):
    customer = CustomerFactory()
    agent = UserFactory()
    for _ in range(ROWS // 4):  # each round: created, a message, an assignment, a call
        ticket = TicketFactory(customer=customer)
        tickets.update_ticket(db.session, ticket, actor=agent, assignee_id=agent.id)
        CallFactory(customer=customer, ticket=ticket)
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/customers/{customer.id}/timeline")

    assert {e["kind"] for e in page} == {"message", "call", "ticket_event"}
    assigned = [e for e in page if e.get("event") == "assigned"]
    assert assigned and all(e["actor"]["name"] == agent.name for e in assigned)


def test_a_page_of_users_costs_the_same_as_a_page_of_five(admin_api):
    for _ in range(ROWS):
        UserFactory()
    db.session.commit()

    pages_cost_the_same(admin_api, "/users")


def test_a_page_of_everyones_tokens_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        users.create_token(db.session, UserFactory(), f"integration {n}")
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/tokens")

    assert len({t["user_id"] for t in page}) == ROWS


def test_a_page_of_the_email_quarantine_costs_the_same_as_a_page_of_five(admin_api):
    for _ in range(ROWS):
        QuarantinedMailFactory()

    page = pages_cost_the_same(admin_api, "/email/quarantine")

    assert all(m["error"] == "The message has no sender address (From)." for m in page)


# -- tickets' e-mail and the outbox


@pytest.fixture
def outbox(app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The desk delivers into a local outbox (a maildir), as ``supportdesk demo`` sets up."""
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "SMTP_URL", outbox_url(folder))
    return folder


def emailed_replies() -> tuple[Any, list[Any]]:
    """A customer's e-mail ticket with ``ROWS`` agents' replies by e-mail, every other one
    with a file."""
    ticket = TicketFactory(channel="email", customer=CustomerFactory(emails=["mei@mail.example"]))
    replies = []
    for n in range(ROWS):
        reply = MessageFactory(
            ticket=ticket,
            author_user=UserFactory(),
            direction=Direction.OUTBOUND,
            author_kind=AuthorKind.AGENT,
        )
        if n % 2:
            reply.attachments.append(
                Attachment(
                    filename=f"invoice-{n}.pdf", content_type="application/pdf", size=3, data=b"pdf"
                )
            )
        replies.append(reply)
    db.session.commit()
    return ticket, replies


def test_a_page_of_a_tickets_deliveries_costs_the_same_whatever_they_hold(admin_api, outbox):
    ticket, replies = emailed_replies()
    failed = [m.id for m in replies[::4]]
    db.session.execute(
        sa.update(EmailDetails)
        .where(EmailDetails.message_id.in_(failed))
        .values(delivery_status=DeliveryStatus.FAILED, delivery_error="550 No such mailbox")
    )
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/tickets/{ticket.id}/deliveries")

    assert [d["message_id"] for d in page] == [m.id for m in replies]
    assert [d["message_id"] for d in page if d["retryable"]] == failed
    assert {d["to"][0]["address"] for d in page} == {"mei@mail.example"}


def test_a_page_of_the_outbox_costs_the_same_as_a_page_of_five(admin_api, outbox):
    ticket, _ = emailed_replies()

    page = pages_cost_the_same(admin_api, "/email/outbox")

    assert all(ticket.ref in mail["subject"] and "mei@mail.example" in mail["to"] for mail in page)


def test_the_template_list_costs_one_statement_beyond_the_sign_in(admin_api):
    admin_api.get("/me")
    with statements_run() as signing_in:  # a plain answer: the sign-in's statements only
        admin_api.get("/me")
    # every template in force: the admins' wordings, all of them in one statement
    templates, sent = listed(admin_api, "/email/templates")

    assert len(templates) > 1
    assert len(sent) <= len(signing_in) + 1, "\n\n".join(sent)


# -- customers


def test_a_page_of_a_customers_merges_names_each_agent_at_a_constant_cost(admin_api):
    survivor = CustomerFactory()
    for n in range(ROWS):  # each by an agent of their own, every fifth by the desk itself
        source = CustomerFactory(emails=[f"old{n}@mail.example"], phones=[f"+1 415 555 {n:04d}"])
        TicketFactory(customer=source)
        actor = UserFactory() if n % 5 else None
        customers.merge_customers(db.session, survivor, source, actor=actor)
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/customers/{survivor.id}/merges")

    assert len({m["actor"]["id"] for m in page if m["actor"]}) == ROWS * 4 // 5
    assert all(len(m["identities"]) == 2 and m["tickets"] == 1 for m in page)


def test_a_customers_identities_cost_the_same_however_many_they_are(admin_api):
    customer = CustomerFactory(emails=[])
    db.session.commit()
    numbers = itertools.count()

    def add_identities(count: int) -> None:
        for n in itertools.islice(numbers, count):
            if n == 0:
                kind, value = IdentityKind.EXTERNAL, "crm-1"
            elif n % 2:
                kind, value = IdentityKind.EMAIL, f"c{n}@mail.example"
            else:
                kind, value = IdentityKind.PHONE, f"+1415555{n:04d}"
            customer.identities.append(Identity(kind=kind, value=value, verified=n % 4 == 1))

    identities = lists_cost_the_same(
        admin_api, f"/customers/{customer.id}/identities", add_identities
    )

    assert {i["kind"] for i in identities} == {"email", "phone", "external"}
    assert {i["verified"] for i in identities} == {True, False}


def chat_visitors(customer: Any, count: int, claims: Callable[[int], str]) -> None:
    """``count`` more widget visitors of ``customer``, each typing the address ``claims(n)``."""
    for _ in range(count):
        visitor = VisitorFactory(customer=customer)
        visitor.claimed_email = claims(visitor.id)


def test_the_addresses_a_customers_visitors_claimed_cost_the_same_however_many(admin_api):
    customer = CustomerFactory()
    db.session.commit()

    claimed = lists_cost_the_same(
        admin_api,
        f"/customers/{customer.id}/claimed-emails",
        lambda n: chat_visitors(customer, n, lambda v: f"visitor{v}@mail.example"),
    )

    assert all(not c["verified"] and c["email"].startswith("visitor") for c in claimed)


def test_the_customers_owning_claimed_addresses_cost_the_same_however_many(admin_api):
    customer = CustomerFactory()
    db.session.commit()

    def owner_of(visitor_id: int) -> str:
        address = f"owner{visitor_id}@mail.example"
        CustomerFactory(emails=[address], phones=[f"+1415555{visitor_id:04d}"])
        return address

    matches = lists_cost_the_same(
        admin_api,
        f"/customers/{customer.id}/possible-matches",
        lambda n: chat_visitors(customer, n, owner_of),
    )

    assert all(m["customer"]["emails"] == [m["email"]] for m in matches)
    assert all(len(m["customer"]["phones"]) == 1 for m in matches)


# -- agents' own lists


def test_a_page_of_notifications_costs_the_same_whatever_they_are_about(admin_api, admin):
    colleague = UserFactory()
    for n, kind in zip(range(ROWS), itertools.cycle(NotificationKind), strict=False):
        ticket = TicketFactory(body=None, channel=("email", "chat", "phone")[n % 3])
        notifications.notify(
            db.session, [admin.id, colleague.id], kind, ticket, actor_name=colleague.name
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/notifications")

    assert len({n["ticket"]["id"] for n in page}) == ROWS
    assert {n["kind"] for n in page} == {k.value for k in NotificationKind}


def test_an_agents_saved_views_cost_the_same_however_many_they_keep(admin_api, admin):
    others = SavedViewFactory()  # a colleague's view: not in the list
    shapes = itertools.cycle(
        [{"view": "open"}, {"view": "unassigned", "tag": "vip"}, {"priority": "high"}]
    )

    views = lists_cost_the_same(
        admin_api,
        "/saved-views",
        lambda n: [SavedViewFactory(owner=admin, filters=next(shapes)) for _ in range(n)],
    )

    assert others.id not in {v["id"] for v in views}
    assert {v["filters"].get("view") for v in views} == {"open", "unassigned", None}


def test_a_page_of_canned_responses_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        bodies = {"en": f"Hello {{{{ customer.name }}}}, {n}"}
        if n % 2:
            bodies["zh-CN"] = f"{{{{ customer.name }}}}，您好 {n}"
        CannedResponseFactory(bodies=bodies)
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/canned-responses")

    assert {len(r["bodies"]) for r in page} == {1, 2}


def test_a_page_of_integrations_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        integrations.create_integration(
            db.session,
            name=f"Shop {n}",
            url=f"https://shop{n}.example/context",
            secret=f"secret-{n:04d}-long-enough",
            enabled=bool(n % 2),
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/integrations")

    assert {i["enabled"] for i in page} == {True, False}


def test_a_customers_context_costs_the_same_for_five_integrations_as_for_forty(admin_api):
    customer = CustomerFactory(phones=["+1 415 555 0100"], external_id="crm-7")
    nobody_there = f"http://127.0.0.1:{free_port()}/context"  # each card: fast, unavailable
    names = itertools.count()

    def add_integrations(count: int) -> None:
        for n in itertools.islice(names, count):
            integrations.create_integration(
                db.session, name=f"Shop {n}", url=nobody_there, secret=f"secret-{n:04d}-long"
            )

    cards = lists_cost_the_same(
        admin_api, f"/customers/{customer.id}/context", add_integrations, items="cards"
    )

    assert {c["status"] for c in cards} == {"unavailable"}
    assert len({c["integration"]["id"] for c in cards}) == ROWS


# -- the knowledge base


def help_center() -> list[Any]:
    """``ROWS`` articles in two languages, in categories and sections, each English one
    owned by an agent of its own, with a translation, a "see also", a colleague's second
    edit and readers' votes."""
    sections = [SectionFactory() for _ in range(3)]
    english: list[Any] = []
    for n in range(ROWS // 2):
        section = sections[n % 3]
        filing = {"category_id": section.category_id, "section_id": section.id}
        article = ArticleFactory(
            title=f"Descaling, part {n}",
            owner_id=UserFactory().id,
            related_ids=[english[-1].id] if english else [],
            **filing,
        )
        ArticleFactory(
            title=f"除垢，第 {n} 部分", locale="zh-CN", translation_of=article.id, **filing
        )
        articles.update_article(db.session, article, {"body": f"Edited {n}."}, author=UserFactory())
        for helpful in (True, False, False)[: 1 + n % 3]:
            feedback.vote(
                db.session, article.id, voters.customer_voter(CustomerFactory().id), helpful=helpful
            )
        english.append(article)
    db.session.commit()
    return english


def test_a_page_of_articles_shows_owners_at_a_constant_cost(admin_api):
    help_center()

    by_score = pages_cost_the_same(admin_api, "/kb/articles")
    recent = pages_cost_the_same(admin_api, "/kb/articles", sort="recent")

    assert {a["locale"] for a in by_score} == {"en", "zh-CN"}
    assert len({a["owner"]["id"] for a in recent if a["owner"]}) == ROWS // 2


def test_a_page_of_articles_costs_readers_the_same_as_a_page_of_five(client):
    help_center()
    reader = ApiClient(client, "")
    reader.headers = {}  # no token: a reader of the help center

    page = pages_cost_the_same(reader, "/kb/articles")

    assert all(a["owner"] is None for a in page)


def test_suggestions_cost_a_widget_visitor_the_same_however_many_are_new_to_them(client):
    shown = [ArticleFactory(title=f"Descale the machine, part {n}") for n in range(5)]
    returning, newcomer = VisitorFactory(), VisitorFactory()
    deflection.record_shown(
        db.session,
        voters.visitor_voter(db.session, returning.token),
        [a.id for a in shown[1:]],
        surface=KbSurface.WIDGET,
    )
    db.session.commit()

    def suggested(visitor: Any) -> tuple[list[dict[str, Any]], list[str]]:
        """What the visitor typing "descale" in the widget is shown (and the desk keeps)."""
        query = {"q": "descale", "visitor_token": visitor.token, "surface": "widget"}
        with statements_run() as statements:
            response = client.get("/api/v1/kb/suggest", query_string=query)
        assert response.status_code == 200, response.json
        return response.json["items"], list(statements)

    again, again_sent = suggested(returning)  # one of the five is new to them
    first, first_sent = suggested(newcomer)  # all five are

    assert len(again) == len(first) == 5
    assert all(s["suggestion_id"] for s in again + first)
    assert len(again_sent) == len(first_sent), "\n\n".join(first_sent)


def test_a_page_of_an_articles_versions_names_each_author_at_a_constant_cost(admin_api):
    article = ArticleFactory(author=UserFactory())
    for n in range(1, ROWS):  # each edit by an agent of their own, every fifth by an import
        status = ArticleStatus.DRAFT if n % 2 else ArticleStatus.PUBLISHED
        changes = {"body": f"Edit {n}.", "status": status}
        author = UserFactory() if n % 5 else None
        articles.update_article(db.session, article, changes, author=author)
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/kb/articles/{article.id}/versions")

    assert [v["number"] for v in page] == list(range(ROWS, 0, -1))
    assert len({v["author"]["id"] for v in page if v["author"]}) == ROWS - (ROWS - 1) // 5


def test_a_page_of_categories_lists_their_sections_at_a_constant_cost(admin_api):
    for n in range(ROWS):
        category = CategoryFactory()
        for _ in range(n % 3):
            SectionFactory(category=category)
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/kb/categories")

    assert {len(c["sections"]) for c in page} == {0, 1, 2}


def test_a_page_of_sections_costs_the_same_as_a_page_of_five(admin_api):
    categories = [CategoryFactory() for _ in range(3)]
    for n in range(ROWS):
        SectionFactory(category=categories[n % 3])
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/kb/sections")

    assert {s["category_id"] for s in page} == {c.id for c in categories}


def test_a_page_of_flags_names_articles_and_agents_at_a_constant_cost(admin_api):
    ticket = TicketFactory(body=None)
    for n, reason in zip(range(ROWS), itertools.cycle(FlagReason), strict=False):
        article = ArticleFactory(locale=("en", "zh-CN")[n % 2])
        flag = flags.flag_article(
            db.session,
            article.id,
            reason=reason,
            agent=UserFactory(),
            ticket_id=ticket.id if n % 2 else None,
        )
        if n % 3 == 0:
            resolution = (FlagResolution.FIXED, FlagResolution.DISMISSED)[n % 2]
            flags.resolve_flag(db.session, flag.id, resolution=resolution, agent=UserFactory())
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/kb/flags")

    assert {f["status"] for f in page} == {"open", "resolved"}
    assert len({f["flagged_by"]["id"] for f in page}) == ROWS
    assert len({f["resolved_by"]["id"] for f in page if f["resolved_by"]}) == (ROWS + 2) // 3
    assert all(f["article"]["id"] == f["article_id"] for f in page)


def test_a_page_of_the_review_queue_costs_the_same_whatever_brings_articles_to_it(admin_api):
    for n in range(ROWS):  # each owned by an agent of their own
        article = ArticleFactory(owner_id=UserFactory().id)
        if n % 2:  # flagged
            flags.flag_article(
                db.session, article.id, reason=FlagReason.OUTDATED, agent=UserFactory()
            )
        for helpful in (True, False, False, False)[n % 2 :]:  # and readers say No
            feedback.vote(
                db.session,
                article.id,
                voters.customer_voter(CustomerFactory().id),
                helpful=helpful,
                comment=None if helpful else f"Out of date {n}",
            )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/kb/review")

    assert {bool(item["open_flags"]) for item in page} == {True, False}
    assert all(item["comments"] for item in page)
    assert len({item["article"]["owner"]["id"] for item in page}) == ROWS


def test_a_page_of_unanswered_searches_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        for reader in range(1 + n % 3):
            activity.record_search(
                db.session,
                voters.customer_voter(CustomerFactory().id),
                f"descale model {n}",
                0,
                surface=KbSurface.HELP_CENTER,
                locale=("en", "zh-CN", None)[reader],
            )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/kb/searches/unanswered")

    assert {s["locale"] for s in page} >= {"en"}


def test_a_page_of_the_deflection_report_names_its_articles_at_a_constant_cost(admin_api):
    shown = [ArticleFactory(locale=("en", "zh-CN")[n % 2]) for n in range(ROWS)]
    for n, article in enumerate(shown):
        for reader in range(1 + n % 3):
            deflection.record_shown(
                db.session,
                voters.customer_voter(CustomerFactory().id),
                [article.id],
                surface=(KbSurface.WIDGET, KbSurface.PORTAL)[reader % 2],
            )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/kb/deflection")

    assert {a["article"]["id"] for a in page} == {a.id for a in shown}
