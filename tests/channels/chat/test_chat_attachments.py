"""An agent's files in the chat: the widget hears them with the reply and downloads them
with its own visitor token, and no other visitor can."""

from __future__ import annotations

import io
from typing import Any

import requests

from tests.conftest import ApiClient

PNG = b"\x89PNG\r\n\x1a\n the router's lights"


def upload(api: ApiClient, data: bytes, filename: str, content_type: str) -> int:
    made = api.post(
        "/uploads", data={"file": (io.BytesIO(data), filename, content_type)}, json=None
    )
    assert made.status_code == 201, made.json
    return made.json["id"]


def fetch(server: Any, url: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(server.url + url, headers=headers, timeout=10)


def started_chat(visitor: Any) -> tuple[Any, dict[str, Any], int]:
    """A visitor who wrote, so that there is a chat ticket to reply on."""
    widget, session = visitor()
    ack = widget.call("message", {"body": "Which light should be on?", "client_id": "c-1"})
    return widget, session, ack["ticket_id"]


def test_the_widget_hears_the_files_of_a_reply_and_downloads_them(
    visitor: Any, api: ApiClient, server: Any, agent_peer: Any
) -> None:
    desk = agent_peer()
    widget, session, ticket_id = started_chat(visitor)
    photo = upload(api, PNG, "路由器.png", "image/png")

    reply = api.post(
        f"/tickets/{ticket_id}/messages",
        json={"body": "This one, see the photo.", "attachment_ids": [photo]},
    )

    assert reply.status_code == 201, reply.json
    heard = widget.wait_for("message", lambda m: m["id"] == reply.json["id"])
    assert heard["attachments"] == [
        {
            "id": photo,
            "filename": "路由器.png",
            "content_type": "image/png",
            "size": len(PNG),
            "url": f"/widget/attachments/{photo}",
        }
    ]
    # the agents' workspaces hear the files too, with the agents' download URL
    announced = desk.wait_for("message.created", lambda m: m["id"] == reply.json["id"])
    assert [(a["id"], a["size"], a["url"]) for a in announced["attachments"]] == [
        (photo, len(PNG), f"/api/v1/attachments/{photo}")
    ]
    file = fetch(server, heard["attachments"][0]["url"], session["visitor_token"])
    assert file.status_code == 200 and file.content == PNG
    assert file.headers["Content-Disposition"].startswith("attachment;")
    assert file.headers["Content-Security-Policy"] == "sandbox"
    # and a widget opened later sees them in the conversation it is sent
    _, again = visitor(visitor_token=session["visitor_token"])
    [shown] = [m for m in again["messages"] if m["id"] == reply.json["id"]]
    assert [a["id"] for a in shown["attachments"]] == [photo]


def test_no_other_visitor_nor_anyone_without_the_token_gets_the_file(
    visitor: Any, api: ApiClient, server: Any, agent: Any
) -> None:
    _, session, ticket_id = started_chat(visitor)
    photo = upload(api, PNG, "router.png", "image/png")
    reply = api.post(
        f"/tickets/{ticket_id}/messages", json={"body": "See.", "attachment_ids": [photo]}
    )
    assert reply.status_code == 201, reply.json
    url = f"/widget/attachments/{photo}"
    # an attacker with a widget of their own, even one with a conversation of its own
    _, attacker_session, _ = started_chat(visitor)

    stolen = fetch(server, url, attacker_session["visitor_token"])
    unknown = fetch(server, url, "a-made-up-visitor-token-of-forty-characters")
    anonymous = fetch(server, url, None)
    as_agent = fetch(server, url, api.headers["Authorization"].removeprefix("Bearer "))

    assert stolen.status_code == 404, stolen.text
    assert PNG not in stolen.content
    for refused in (unknown, anonymous, as_agent):
        assert refused.status_code == 401, refused.text
        assert refused.headers["Content-Type"] == "application/problem+json"
    assert fetch(server, url, session["visitor_token"]).status_code == 200


def test_the_files_of_an_internal_note_stay_with_the_agents(
    visitor: Any, api: ApiClient, server: Any
) -> None:
    widget, session, ticket_id = started_chat(visitor)
    notes = upload(api, b"customer is on the old firmware", "notes.txt", "text/plain")

    note = api.post(
        f"/tickets/{ticket_id}/messages",
        json={"body": "Old firmware.", "internal": True, "attachment_ids": [notes]},
    )

    assert note.status_code == 201, note.json
    assert (
        fetch(server, f"/widget/attachments/{notes}", session["visitor_token"]).status_code == 404
    )
    assert api.get(f"/attachments/{notes}").status_code == 200
    history = widget.call("history", {"after_id": 0})
    assert note.json["id"] not in [m["id"] for m in history["messages"]]
