"""Agents flag what is wrong in an article, from the article or from a ticket, and resolve it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from supportdesk.extensions import db
from supportdesk.knowledge import articles
from supportdesk.users.service import create_token
from tests.conftest import ApiClient
from tests.factories import ArticleFactory, TicketFactory, UserFactory
from tests.peers import LiveServer


@pytest.fixture
def article(app: Any) -> Any:
    made = ArticleFactory(title="Warranty terms")
    db.session.commit()
    return made


def test_an_agent_flags_an_article_from_a_ticket(api, agent, article):
    ticket = TicketFactory()
    db.session.commit()

    answer = api.post(
        f"/kb/articles/{article.id}/flags",
        json={
            "reason": "outdated",
            "note": " The warranty is two years now. ",
            "ticket_id": ticket.id,
        },
    )

    assert answer.status_code == 201, answer.json
    flag = answer.json
    assert (flag["reason"], flag["note"], flag["ticket_id"]) == (
        "outdated",
        "The warranty is two years now.",
        ticket.id,
    )
    assert flag["status"] == "open" and flag["resolved_at"] is None and flag["resolution"] is None
    assert flag["flagged_by"] == {"id": agent.id, "name": agent.name}
    assert flag["article"]["id"] == article.id and flag["article"]["title"] == "Warranty terms"


def test_a_draft_can_be_flagged_too(api):
    draft = ArticleFactory(status="draft")
    db.session.commit()

    assert (
        api.post(f"/kb/articles/{draft.id}/flags", json={"reason": "incomplete"}).status_code == 201
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "boring"}, "reason"),
        ({}, "reason"),
        ({"reason": "other", "ticket_id": 999_999}, "ticket_id"),
        ({"reason": "other", "note": "x" * 2001}, "note"),
    ],
)
def test_a_flag_that_names_nothing_real_is_refused_by_field(api, article, body, field):
    answer = api.post(f"/kb/articles/{article.id}/flags", json=body)

    assert answer.status_code == 422
    assert field in answer.json["errors"]


def test_flagging_an_article_that_is_not_there_is_404(api):
    assert api.post("/kb/articles/424242/flags", json={"reason": "other"}).status_code == 404


def test_resolving_as_fixed_records_who_when_how_and_the_version(api, agent, article):
    flag = api.post(f"/kb/articles/{article.id}/flags", json={"reason": "inaccurate"}).json
    articles.update_article(db.session, article, {"body": "Two years, parts and labour."})
    db.session.commit()

    answer = api.post(
        f"/kb/flags/{flag['id']}/resolve", json={"resolution": "fixed", "note": "Updated"}
    )

    assert answer.status_code == 200, answer.json
    resolved = answer.json
    assert resolved["status"] == "resolved" and resolved["resolution"] == "fixed"
    assert resolved["resolved_by"] == {"id": agent.id, "name": agent.name}
    assert resolved["resolved_at"] and resolved["resolution_note"] == "Updated"
    assert resolved["fixed_in_version"] == 2


def test_a_dismissed_flag_names_no_version(api, article):
    flag = api.post(f"/kb/articles/{article.id}/flags", json={"reason": "other"}).json

    answer = api.post(f"/kb/flags/{flag['id']}/resolve", json={"resolution": "dismissed"})

    assert answer.json["resolution"] == "dismissed" and answer.json["fixed_in_version"] is None


def test_a_flag_is_resolved_once(api, article):
    flag = api.post(f"/kb/articles/{article.id}/flags", json={"reason": "other"}).json
    api.post(f"/kb/flags/{flag['id']}/resolve", json={"resolution": "dismissed"})

    again = api.post(f"/kb/flags/{flag['id']}/resolve", json={"resolution": "fixed"})

    assert again.status_code == 409
    assert "dismissed" in again.json["detail"]
    assert (
        api.get(f"/kb/flags?article_id={article.id}").json["items"][0]["resolution"] == "dismissed"
    )


def test_two_agents_resolving_one_flag_at_once_get_one_resolution(app, client, article):
    agents = [UserFactory(name=f"Agent {n}") for n in range(6)]
    tokens = [create_token(db.session, a) for a in agents]
    db.session.commit()
    flag = (
        ApiClient(client, tokens[0])
        .post(f"/kb/articles/{article.id}/flags", json={"reason": "other"})
        .json
    )
    start = threading.Barrier(len(tokens))

    with LiveServer(app) as server:

        def resolve(token: str) -> int:
            start.wait()
            return requests.post(
                f"{server.url}/api/v1/kb/flags/{flag['id']}/resolve",
                json={"resolution": "fixed"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            ).status_code

        with ThreadPoolExecutor(len(tokens)) as pool:
            answers = sorted(pool.map(resolve, tokens))

    assert answers == [200] + [409] * 5


def test_the_list_filters_open_and_resolved_and_by_article(api, article):
    other = ArticleFactory()
    db.session.commit()
    ids = [
        api.post(f"/kb/articles/{a.id}/flags", json={"reason": "other"}).json["id"]
        for a in (article, other, article)
    ]
    api.post(f"/kb/flags/{ids[0]}/resolve", json={"resolution": "dismissed"})

    def listed(**query: Any) -> list[int]:
        return [f["id"] for f in api.walk("/kb/flags", limit=1, **query)]

    assert listed() == ids[::-1]
    assert listed(status="open") == [ids[2], ids[1]]
    assert listed(status="resolved") == [ids[0]]
    assert listed(article_id=article.id) == [ids[2], ids[0]]
    assert listed(status="open", article_id=other.id) == [ids[1]]
