"""An agent's files in the visitor's widget, in a real browser: each is named with its size, a
photo is shown, and a click saves the very bytes the agent sent, for that visitor alone."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import Any

from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser_fixture,
    built_widget_fixture,
    converse,
    host_page_fixture,
    host_site_fixture,
    open_widget,
)
from tests.channels.chat.test_chat_attachments import upload

ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e" / "artifacts"
MANUAL = b"%PDF-1.4\n% the router's manual\n" + bytes(range(256)) * 8  # about 2 KB


def png(width: int, height: int) -> bytes:
    """A real PNG (a blue-to-orange stripe), so that the browser has a picture to decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"".join(bytes((30 + 200 * x // width, 90, 220 - 180 * x // width)) for x in range(width))
    pixels = zlib.compress((b"\x00" + row) * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PHOTO = png(160, 90)


def tokens_sent_to(page: Any) -> list[str]:
    """The visitor tokens the desk sends the page's widget (in ``session``), as they come."""
    tokens: list[str] = []

    def heard(payload: str | bytes) -> None:
        if isinstance(payload, str):
            tokens.extend(re.findall(r'"visitor_token":\s*"([^"]+)"', payload))

    page.on("websocket", lambda socket: socket.on("framereceived", heard))
    return tokens


def test_the_visitor_sees_the_agents_files_and_saves_the_bytes_sent(
    host_site: str, browser: Any, agent_peer: Any, api: Any, tmp_path: Path
) -> None:
    agent_peer()
    page = browser.new_context(accept_downloads=True).new_page()
    frame, handle = open_widget(page, host_site)
    ticket_id = converse(frame, api, ["路由器的哪个灯应该亮？"], [])
    photo = upload(api, PHOTO, "路由器.png", "image/png")
    manual = upload(api, MANUAL, "说明书.pdf", "application/pdf")

    reply = api.post(
        f"/tickets/{ticket_id}/messages",
        json={"body": "The green one, see the photo.", "attachment_ids": [photo, manual]},
    )

    assert reply.status_code == 201, reply.json
    files = frame.locator("#sd-messages .msg--agent .files li")
    files.nth(1).wait_for()
    shown = [f"路由器.png ({len(PHOTO)} B)", "说明书.pdf (2 KB)"]  # the photo is under 1 KB
    assert files.locator("a.file").all_inner_texts() == shown
    thumbnail = files.nth(0).locator("a.file img.thumbnail")  # a tap on the picture saves it
    thumbnail.wait_for()
    assert thumbnail.get_attribute("alt") == ""  # the link's words name it, once
    assert thumbnail.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [160, 90]
    assert files.nth(1).locator("img").count() == 0  # a PDF is a link, never a picture
    assert axe_violations(handle) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-attachments.png"))

    for name, sent, target in [("说明书.pdf", MANUAL, "a.file"), ("路由器.png", PHOTO, "img")]:
        with page.expect_download() as saving:
            files.filter(has_text=name).locator(target).click()
        download = saving.value
        assert download.suggested_filename == name
        download.save_as(tmp_path / name)
        assert (tmp_path / name).read_bytes() == sent
    page.context.close()


def test_another_visitors_widget_cannot_fetch_the_file(
    host_site: str, browser: Any, agent_peer: Any, api: Any
) -> None:
    agent_peer()
    owner = browser.new_context().new_page()
    owners = tokens_sent_to(owner)
    frame, _ = open_widget(owner, host_site)
    ticket_id = converse(frame, api, ["我的发票在哪里？"], [])
    invoice = upload(api, MANUAL, "发票.pdf", "application/pdf")
    body = {"body": "Here it is.", "attachment_ids": [invoice]}
    assert api.post(f"/tickets/{ticket_id}/messages", json=body).status_code == 201
    frame.locator("#sd-messages .msg--agent a.file").wait_for()

    # Someone else on the shop's site: a visitor token of their own (as the desk sent it to
    # their widget), and the invoice's URL.
    stranger = browser.new_context().new_page()
    tokens = tokens_sent_to(stranger)
    their_frame, theirs = open_widget(stranger, host_site)
    their_frame.locator("#sd-composer[maxlength]").wait_for()  # their `session` has arrived
    assert len(tokens) == 1 and tokens != owners

    def fetch(token: str) -> int:
        return theirs.evaluate(
            """async ([url, token]) => {
                const answer = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
                return answer.status;
            }""",
            [f"/widget/attachments/{invoice}", token],
        )

    assert fetch(tokens[0]) == 404
    assert fetch(owners[0]) == 200  # the same request: only the owner's token opens it
    owner.context.close()
    stranger.context.close()
