"""Two agents on one ticket: each sees the other, and who is typing; the one who answers second
is warned that the first replied, is shown that reply, and may send anyway."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ADMIN, AGENT, Desk, new_page, sign_in


def test_two_agents_see_each_other_and_the_second_gets_the_stale_reply_warning(
    desk: Desk, browser: Any
):
    found = desk.call("GET", "/tickets", params={"q": "loud clicking", "view": "all"}).json()
    ticket = found["items"][0]
    path = f"/tickets/{ticket['id']}"
    alex = sign_in(new_page(browser), desk, ADMIN, path=path)  # Alex Morgan
    zhou = sign_in(new_page(browser), desk, AGENT, path=path)  # Zhou Jun

    alex.get_by_test_id("viewers").filter(has_text="Zhou Jun is also viewing").wait_for()
    zhou.get_by_test_id("viewers").filter(has_text="Alex Morgan is also viewing").wait_for()

    # Zhou begins a reply: Alex sees him typing.
    zhou_body = zhou.get_by_test_id("composer-body").locator("textarea")
    zhou_body.fill("Hi Priya, the clicking is usually the burrs")
    alex.get_by_test_id("agent-typing").filter(has_text="Zhou Jun is typing").wait_for()

    # Alex answers first; Zhou sees it arrive, but his text was begun before it.
    alex_body = alex.get_by_test_id("composer-body").locator("textarea")
    alex_body.fill("Hi Priya, please stop using the grinder: we are sending a new one.")
    alex.get_by_test_id("composer-send").click()
    zhou.get_by_test_id("message").filter(has_text="we are sending a new one").wait_for()

    zhou_body.fill("Hi Priya, the clicking is usually the burrs: clean them and try again.")
    zhou.get_by_test_id("composer-send").click()
    warning = zhou.get_by_test_id("stale-warning")
    warning.wait_for()
    assert "Alex Morgan wrote while you were writing" in warning.inner_text()
    assert "we are sending a new one" in warning.get_by_test_id("stale-message").inner_text()
    # Nothing was sent yet.
    messages = desk.call("GET", f"/tickets/{ticket['id']}/messages").json()["items"]
    assert not any("clean them" in m["body"] for m in messages)

    # Revise: the warning goes, and the text stays to be changed; then send anyway.
    warning.get_by_test_id("stale-revise").click()
    warning.wait_for(state="detached")
    assert "clean them" in zhou_body.input_value()
    zhou_body.fill("Alex is right: a new grinder is on its way; keep the old one unplugged.")
    zhou_body.press("Control+Enter")
    zhou.get_by_test_id("message").filter(has_text="keep the old one unplugged").wait_for()
    alex.get_by_test_id("message").filter(has_text="keep the old one unplugged").wait_for()

    # Zhou leaves: Alex sees he is alone again.
    zhou.context.close()
    alex.get_by_test_id("viewers").filter(has_text="Zhou Jun").wait_for(state="detached")
