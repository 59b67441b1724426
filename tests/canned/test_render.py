"""Filling a canned response in on a ticket: POST /tickets/{id}/canned-responses/{id}/render."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import TemplateError

from supportdesk.canned import placeholders
from supportdesk.extensions import db
from tests.conftest import ApiClient
from tests.factories import CustomerFactory, TicketFactory


def ticket_for(**customer: Any) -> Any:
    ticket = TicketFactory(customer=CustomerFactory(**customer), subject="Router blinks red")
    db.session.commit()
    return ticket


def render(api: ApiClient, ticket: Any, response: dict[str, Any], **body: Any) -> Any:
    return api.post(f"/tickets/{ticket.id}/canned-responses/{response['id']}/render", json=body)


def test_the_placeholders_are_filled_from_the_ticket_its_customer_and_the_agent(
    admin_api: ApiClient, api: ApiClient
) -> None:
    ticket = ticket_for(name="Mei Lin", emails=["mei@example.com"], phones=["+1 415 555 0100"])
    body = (
        "{{ customer.name }} <{{ customer.email }}> {{ customer.phone }} | {{ ticket.ref }} "
        "{{ ticket.subject | upper }} {{ ticket.status }} | {{ agent.name }} {{ agent.email }}"
    )
    response = admin_api.post("/canned-responses", json={"title": "All", "bodies": {"en": body}})

    rendered = render(api, ticket, response.json)

    assert rendered.status_code == 200, rendered.json
    agent = api.get("/me").json
    assert rendered.json == {
        "body": f"Mei Lin <mei@example.com> +14155550100 | {ticket.ref} ROUTER BLINKS RED "
        f"new | Ada Agent {agent['email']}",
        "locale": "en",
    }


def test_text_is_left_as_it_is_written_nothing_escaped(
    admin_api: ApiClient, api: ApiClient
) -> None:
    ticket = ticket_for(name='Tom & "Jerry" <O\'Brien>', emails=[])
    body = (
        'Dear {{ customer.name }}, 5 < 6 & "quotes" stay.'
        "{% if customer.email %} Mail: {{ customer.email }}{% endif %}\n"
    )
    response = admin_api.post("/canned-responses", json={"title": "T", "bodies": {"en": body}})

    rendered = render(api, ticket, response.json)

    assert rendered.json["body"] == 'Dear Tom & "Jerry" <O\'Brien>, 5 < 6 & "quotes" stay.\n'


@pytest.mark.parametrize(
    ("customer_locale", "agent_locale", "bodies", "expected"),
    [
        ("zh-CN", "en", ["en", "zh-CN"], "zh-CN"),  # the customer's first
        ("zh-Hans-SG", "en", ["en", "zh-CN"], "zh-CN"),  # any Chinese is the desk's Chinese
        (None, "zh-CN", ["en", "zh-CN"], "zh-CN"),  # else the agent's
        ("zh-CN", "zh-CN", ["en"], "en"),  # else English
        (None, "en", ["zh-CN"], "zh-CN"),  # else the one it is written in
        ("fr", "en", ["en", "zh-CN"], "en"),
    ],
)
def test_without_a_locale_it_speaks_the_customers_else_the_agents_else_english(
    admin_api: ApiClient,
    api: ApiClient,
    customer_locale: str | None,
    agent_locale: str,
    bodies: list[str],
    expected: str,
) -> None:
    ticket = ticket_for(locale=customer_locale)
    assert api.patch("/me", json={"locale": agent_locale}).status_code == 200
    wording = {"en": "Hello {{ customer.name }}", "zh-CN": "{{ customer.name }}，您好"}
    made = admin_api.post(
        "/canned-responses",
        json={"title": "Hi", "bodies": {locale: wording[locale] for locale in bodies}},
    )

    rendered = render(api, ticket, made.json)

    assert rendered.status_code == 200, rendered.json
    assert rendered.json == {
        "body": wording[expected].replace("{{ customer.name }}", ticket.customer.name),
        "locale": expected,
    }


def test_a_locale_asked_for_is_used_and_one_it_lacks_is_a_422(
    admin_api: ApiClient, api: ApiClient, greeting: dict[str, Any]
) -> None:
    ticket = ticket_for(name="李伟", locale="en")
    english_only = admin_api.post("/canned-responses", json={"title": "E", "bodies": {"en": "Hi"}})

    chinese = render(api, ticket, greeting, locale="zh-CN")
    missing = render(api, ticket, english_only.json, locale="zh-CN")
    unknown = render(api, ticket, greeting, locale="fr")

    assert chinese.json == {"body": f"李伟，您好！关于 {ticket.ref}：Ada Agent", "locale": "zh-CN"}
    assert missing.status_code == 422
    assert list(missing.json["errors"]) == ["locale"]
    assert unknown.status_code == 422
    assert list(unknown.json["errors"]) == ["locale"]


def test_the_body_may_be_left_out(api: ApiClient, greeting: dict[str, Any]) -> None:
    ticket = ticket_for(name="Mei")

    rendered = api.client.post(
        f"/api/v1/tickets/{ticket.id}/canned-responses/{greeting['id']}/render",
        headers=api.headers,
    )

    assert rendered.status_code == 200, rendered.json
    assert rendered.json["body"] == f"Hello Mei, about {ticket.ref}: Ada Agent"


def test_no_such_ticket_or_response_is_a_404(api: ApiClient, greeting: dict[str, Any]) -> None:
    ticket = ticket_for()

    assert render(api, ticket, {"id": greeting["id"] + 1}).status_code == 404
    assert (
        api.post(
            f"/tickets/{ticket.id + 99}/canned-responses/{greeting['id']}/render", json={}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        "{{ customer.name.__class__.__mro__ }}",
        "{{ customer.__class__ }}",
        "{{ lipsum.__globals__ }}",
    ],
)
def test_the_sandbox_holds_even_a_body_that_skipped_the_check(body: str) -> None:
    """The second wall: should a body ever be stored unchecked, the sandbox, with no
    globals and a context of strings, still gives nothing away."""
    context = {"customer": {"name": "Mei"}}

    with pytest.raises(TemplateError):  # SecurityError, or the unsafe attribute's undefined
        placeholders.fill(body, context)
