"""The knowledge base in the workspace: the article list, the editor with its live preview,
versions (diff and restore), flags and the review queue, in English and in Chinese."""

from __future__ import annotations

import re
from typing import Any

import requests

from tests.e2e.conftest import AGENT, Desk, new_page, screenshot, serious_violations, sign_in

NEW_LINE = "**Updated** for the new sign-in page."


def article_id(desk: Desk, title: str) -> int:
    """The demo article's id, by its title (over the REST API)."""
    listed = desk.call("GET", "/kb/articles", params={"limit": 200}).json()["items"]
    return next(item["id"] for item in listed if item["title"] == title)


def body_box(page: Any) -> Any:
    return page.get_by_test_id("kb-body").locator("textarea")


def test_an_agent_edits_an_article_then_restores_it_and_gets_its_flag_resolved(
    desk: Desk, browser: Any
) -> None:
    page = sign_in(new_page(browser), desk)
    page.get_by_test_id("nav-kb").click()
    page.get_by_role("heading", name="Knowledge base").wait_for()
    page.get_by_test_id("kb-row").first.wait_for()
    assert page.get_by_role("link", name="Refund policy").is_visible()
    screenshot(page, "kb-list-en")
    assert serious_violations(page) == []

    page.get_by_role("link", name="How to reset your password", exact=True).click()
    page.get_by_test_id("kb-article-version").wait_for()  # shown once the article is loaded
    title = page.get_by_test_id("kb-title").locator("input")
    assert title.input_value() == "How to reset your password"
    version = int(re.sub(r"\D", "", page.get_by_test_id("kb-article-version").inner_text()))
    original = body_box(page).input_value()
    assert page.get_by_test_id("kb-figure-views").is_visible()
    assert "Forgot password" in page.get_by_test_id("kb-preview").inner_html()

    # Typing shows in the preview, rendered by the desk; leaving now asks first.
    body_box(page).fill(f"{original}\n\n{NEW_LINE}")
    page.get_by_test_id("kb-preview").locator("strong", has_text="Updated").wait_for()
    page.get_by_test_id("kb-unsaved").wait_for()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("link", name="← All articles").click()
    assert "/kb/articles/" in page.url
    screenshot(page, "kb-editor-en")
    assert serious_violations(page) == []

    # A slug of digits only is refused, and said beside the field.
    page.get_by_test_id("kb-slug").locator("input").fill("12345")
    page.get_by_test_id("kb-save").click()
    page.get_by_test_id("kb-slug-error").wait_for()
    page.get_by_test_id("kb-slug").locator("input").fill("")

    page.get_by_test_id("kb-save").click()
    page.get_by_text(f"Saved as version {version + 1}.").wait_for()
    assert page.get_by_test_id("kb-article-version").inner_text() == f"Version {version + 1}"

    # The history: the version before, compared with the current one, then restored.
    page.get_by_test_id("kb-history-open").click()
    history = page.get_by_test_id("kb-history")
    history.get_by_test_id("kb-version").first.wait_for()
    history.get_by_role("button", name=re.compile(f"^Version {version}\\b")).click()
    history.get_by_text("Compare with current", exact=True).click()
    added = history.get_by_test_id("kb-diff").locator(".diff__line--added")
    added.filter(has_text="Updated").wait_for()
    screenshot(page, "kb-history-diff-en")
    assert serious_violations(page) == []
    history.get_by_test_id("kb-restore").click()
    page.get_by_test_id("confirm").click()
    page.get_by_text(f"Version {version} restored as version {version + 2}.").wait_for()
    page.keyboard.press("Escape")
    assert body_box(page).input_value() == original
    assert page.get_by_test_id("kb-article-version").inner_text() == f"Version {version + 2}"

    # Flag it; the review queue lists it with the note, and resolving takes the flag away.
    page.get_by_test_id("kb-flag-open").click()
    page.get_by_text("Outdated", exact=True).click()
    page.get_by_test_id("kb-flag-note").locator("textarea").fill("Step 2 names the old button.")
    page.get_by_test_id("kb-flag-submit").click()
    page.get_by_text("Article flagged for review.").wait_for()
    page.get_by_test_id("kb-open-flag").filter(has_text="Step 2 names the old button.").wait_for()

    page.get_by_role("link", name="← All articles").click()
    page.get_by_test_id("kb-review-link").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    item = page.get_by_test_id("kb-review-item").filter(has_text="How to reset your password")
    flag = item.get_by_test_id("kb-review-flag").filter(has_text="Step 2 names the old button.")
    flag.wait_for()
    screenshot(page, "kb-review-en")
    assert serious_violations(page) == []
    flag.get_by_test_id("kb-review-resolve").click()
    page.get_by_text("Dismissed: the article was right").click()
    page.get_by_test_id("kb-resolution-note").locator("textarea").fill("The button kept its name.")
    page.get_by_test_id("kb-resolve-submit").click()
    page.get_by_text("Flag resolved.").wait_for()
    flag.wait_for(state="detached")

    resolved = desk.call(
        "GET",
        "/kb/flags",
        params={"article_id": article_id(desk, "How to reset your password"), "status": "resolved"},
    ).json()["items"]
    assert [(f["resolution"], f["resolution_note"]) for f in resolved] == [
        ("dismissed", "The button kept its name.")
    ]


def test_a_chinese_agent_searches_reads_figures_and_reviews_in_chinese(
    desk: Desk, browser: Any
) -> None:
    page = sign_in(new_page(browser, locale="zh-CN"), desk, AGENT, path="/kb")
    page.get_by_role("heading", name="知识库").wait_for()
    page.get_by_test_id("kb-search").locator("input").fill("退款")
    row = page.get_by_test_id("kb-row").filter(has_text="退款政策")
    row.locator("mark").first.wait_for()  # the search's highlighted snippet
    screenshot(page, "kb-list-zh-CN")
    assert serious_violations(page) == []
    page.get_by_test_id("kb-categories").click()
    page.get_by_role("heading", name="分类与栏目").wait_for()
    assert page.get_by_test_id("kb-category-item").count() >= 2
    screenshot(page, "kb-categories-zh-CN")
    assert serious_violations(page) == []
    page.keyboard.press("Escape")

    row.get_by_role("link", name="退款政策").click()
    page.get_by_role("heading", name="数据").wait_for()
    assert page.get_by_test_id("kb-figure-helpful").inner_text().startswith("有帮助")
    page.get_by_test_id("kb-preview").locator("h2", has_text="如何申请退款").wait_for()
    screenshot(page, "kb-editor-zh-CN")
    assert serious_violations(page) == []

    refund = article_id(desk, "退款政策")
    flagged = desk.call(
        "POST",
        f"/kb/articles/{refund}/flags",
        json={"reason": "outdated", "note": "运费规则已更新。"},
    )
    assert flagged.status_code == 201, flagged.text
    page.goto(f"{desk.url}/kb/review")
    page.get_by_role("heading", name="审核队列").wait_for()
    item = page.get_by_test_id("kb-review-item").filter(has_text="退款政策")
    item.get_by_text("运费规则已更新。").wait_for()
    assert item.get_by_text("已过时").is_visible()
    screenshot(page, "kb-review-zh-CN")
    assert serious_violations(page) == []

    unanswered_search(desk, "gift card 礼品卡")
    page.get_by_role("tab", name="无结果的搜索").click()
    page.get_by_test_id("kb-unanswered-row").filter(has_text="礼品卡").wait_for()
    assert page.get_by_role("button", name="撰写关于“gift card 礼品卡”的文章").is_visible()
    screenshot(page, "kb-unanswered-zh-CN")
    page.get_by_role("tab", name="自助解决").click()
    page.get_by_test_id("kb-deflection-overall").get_by_text("自助解决率").wait_for()
    screenshot(page, "kb-deflection-zh-CN")
    assert serious_violations(page) == []


def unanswered_search(desk: Desk, words: str) -> None:
    """A help-center reader (a browser the desk knows by its vote cookie) searches ``words``
    and finds nothing."""
    reader = requests.Session()
    voted = reader.post(
        f"{desk.url}/api/v1/kb/articles/{article_id(desk, 'Refund policy')}/feedback",
        json={"helpful": True},
        timeout=10,
    )
    assert voted.status_code == 200, voted.text
    found = reader.get(f"{desk.url}/help/en/search", params={"q": words}, timeout=10)
    assert found.status_code == 200 and "gift" in found.text


def suggested_and_opened(desk: Desk, words: str) -> str:
    """A reader types ``words`` into the request form, is offered articles and opens the
    first; its title."""
    reader = requests.Session()
    reader.get(f"{desk.url}/help/requests/new", timeout=10)  # the form names the browser
    offered = reader.get(
        f"{desk.url}/api/v1/kb/suggest",
        params={"q": words, "locale": "en", "surface": "request_form"},
        timeout=10,
    ).json()["items"]
    first = offered[0]
    assert first["suggestion_id"] is not None, offered
    read = reader.get(
        f"{desk.url}/api/v1/kb/articles/{first['id']}",
        params={"suggestion": first["suggestion_id"]},
        timeout=10,
    )
    assert read.status_code == 200, read.text
    return str(first["title"])


def test_the_composer_suggests_articles_for_the_ticket_counts_each_use_and_flags_one(
    desk: Desk, browser: Any
) -> None:
    body = {
        "subject": "Refund",
        "channel": "email",
        "customer": {"email": "refund.asker@example.com", "name": "Refund Asker"},
        "body": "I would like my money back.",
    }
    ticket = desk.call("POST", "/tickets", json=body)
    assert ticket.status_code == 201, ticket.text
    refund = article_id(desk, "Refund policy")
    before = desk.call("GET", f"/kb/articles/{refund}").json()["reply_use_count"]

    page = sign_in(new_page(browser), desk, AGENT, path=f"/tickets/{ticket.json()['id']}")
    page.get_by_test_id("composer-suggest").click()
    hit = page.get_by_test_id("kb-suggestion").filter(has_text="Refund policy")
    hit.wait_for()
    screenshot(page, "kb-composer-suggestions-en")
    assert serious_violations(page) == []
    hit.get_by_test_id("kb-suggest-link").click()

    composer = page.get_by_test_id("composer-body").locator("textarea")
    page.wait_for_function(
        "box => box.value.includes('/help/en/articles/refund-policy')",
        arg=composer.element_handle(),
    )
    assert composer.input_value().startswith("[Refund policy](")
    for _ in range(50):
        used = desk.call("GET", f"/kb/articles/{refund}").json()["reply_use_count"]
        if used == before + 1:
            break
        page.wait_for_timeout(100)
    assert used == before + 1

    # The agent finds the article wanting: flagged from here, the note names the ticket.
    ref = ticket.json()["ref"]
    hit.get_by_test_id("kb-suggest-flag").click()
    note = page.get_by_test_id("kb-flag-note").locator("textarea")
    assert note.input_value() == f"From {ref}: "
    assert page.get_by_text("Flag “Refund policy”", exact=True).is_visible()  # which one
    screenshot(page, "kb-composer-flag-en")
    assert serious_violations(page) == []
    page.get_by_text("Incomplete", exact=True).click()
    note.press("End")
    note.press_sequentially("nothing about partial refunds.")
    page.get_by_test_id("kb-flag-submit").click()
    page.get_by_text("Article flagged for review.").wait_for()
    flags = desk.call("GET", "/kb/flags", params={"article_id": refund, "status": "open"})
    assert [(f["reason"], f["note"]) for f in flags.json()["items"]] == [
        ("incomplete", f"From {ref}: nothing about partial refunds.")
    ]


def test_editors_see_what_readers_searched_in_vain_write_it_and_read_the_deflection_rate(
    desk: Desk, browser: Any
) -> None:
    unanswered_search(desk, "gift wrapping")
    opened = suggested_and_opened(desk, "invoice")  # an article the demo suggested to none
    page = sign_in(new_page(browser), desk, AGENT, path="/kb/review")
    page.get_by_role("heading", name="Review queue").wait_for()

    page.get_by_role("tab", name="Searches with no result").click()
    row = page.get_by_test_id("kb-unanswered-row").filter(has_text="gift wrapping")
    row.wait_for()
    assert "English" in row.inner_text()
    screenshot(page, "kb-unanswered-en")
    assert serious_violations(page) == []

    page.get_by_role("tab", name="Deflection").click()
    overall = page.get_by_test_id("kb-deflection-overall")
    overall.wait_for()
    assert overall.get_by_text("Suggestions shown").is_visible()
    suggested = page.get_by_test_id("kb-deflection-row").filter(has_text=opened)
    suggested.wait_for()
    # shown and opened, still within its day: not yet a deflection, nor in the rate
    assert suggested.locator("td").all_inner_texts()[1:] == ["1", "1", "0", "0", "—"]
    screenshot(page, "kb-deflection-en")
    assert serious_violations(page) == []
    assert "tab=deflection" in page.url  # a link to this report opens it

    page.get_by_role("tab", name="Searches with no result").click()
    row.get_by_test_id("kb-unanswered-write").click()
    page.get_by_test_id("kb-title").locator("input").wait_for()
    assert page.get_by_test_id("kb-title").locator("input").input_value() == "gift wrapping"
    assert "/kb/new" in page.url


def test_what_a_reader_tried_before_filing_a_request_is_on_the_customers_history(
    desk: Desk, browser: Any
) -> None:
    refund = article_id(desk, "Refund policy")
    reader = requests.Session()  # one browser: the desk knows it by its reader cookie
    reader.get(f"{desk.url}/help/requests/new", timeout=10)  # which the form gives it
    offered = reader.get(
        f"{desk.url}/api/v1/kb/suggest",
        params={"q": "refund", "locale": "en", "surface": "request_form"},
        timeout=10,
    ).json()["items"]
    hit = next(item for item in offered if item["id"] == refund)
    read = reader.get(
        f"{desk.url}/api/v1/kb/articles/{refund}",
        params={"suggestion": hit["suggestion_id"]},
        timeout=10,
    )
    assert read.status_code == 200, read.text
    reader.get(f"{desk.url}/help/en/search", params={"q": "partial refund"}, timeout=10)
    voted = reader.post(
        f"{desk.url}/api/v1/kb/articles/{refund}/feedback", json={"helpful": False}, timeout=10
    )
    assert voted.status_code == 200, voted.text
    subject = "Partial refund for a broken cup"
    body = {"name": "Mei Reader", "email": "mei.reader@example.com", "subject": subject}
    filed = reader.post(
        f"{desk.url}/api/v1/portal/tickets",
        json={**body, "body": "Only one cup of the set broke."},
        timeout=10,
    )
    assert filed.status_code == 201, filed.text
    tickets = desk.call("GET", "/tickets", params={"q": subject}).json()["items"]
    ticket_id = next(t["id"] for t in tickets if t["ref"] == filed.json()["ref"])

    for locale, said in [
        (
            "en-US",
            [
                "Rated “Refund policy” not helpful",
                "Searched “partial refund” (no results)",
                "Read “Refund policy”",
            ],
        ),
        ("zh-CN", ["评价“Refund policy”没有帮助", "搜索了“partial refund”（无结果）"]),
    ]:
        page = sign_in(new_page(browser, locale=locale), desk, AGENT, path=f"/tickets/{ticket_id}")
        panel = page.get_by_test_id("customer-panel")
        panel.get_by_role("tab", name=re.compile("History|历史")).click()
        activity = panel.locator("[data-testid=timeline-entry][data-kind=kb_activity]")
        activity.first.wait_for()
        shown = activity.locator(".entry__snippet").all_inner_texts()
        assert all(line in shown for line in said), shown
        kinds = activity.locator(".entry__kind").all_inner_texts()
        assert ("In the help center" if locale == "en-US" else "帮助中心") in kinds
        screenshot(page, f"kb-timeline-{locale}")
        assert serious_violations(page) == []
        page.close()


def test_an_agent_writes_the_missing_chinese_translation_and_the_two_link_to_each_other(
    desk: Desk, browser: Any
) -> None:
    original = article_id(desk, "Milk frothing for beginners")  # the demo's draft, English only
    page = sign_in(new_page(browser), desk)
    page.goto(f"{desk.url}/kb/articles/{original}")
    translations = page.get_by_test_id("kb-translations")
    translations.get_by_text("No 简体中文 translation yet.").wait_for()
    assert page.get_by_test_id("kb-unsaved").count() == 0  # opened as saved, section and all

    translations.get_by_test_id("kb-write-translation").click()
    page.get_by_text("A translation of “Milk frothing for beginners”.").wait_for()
    page.get_by_test_id("kb-title").locator("input").fill("奶泡入门")
    body_box(page).fill("使用**冷牛奶**，蒸汽棒刚好没入液面，加热到 65 °C 即停止。")
    page.get_by_test_id("kb-preview").locator("strong", has_text="冷牛奶").wait_for()
    page.get_by_test_id("kb-save").click()
    page.get_by_test_id("kb-article-version").wait_for()  # saved: now an article of its own
    back = translations.get_by_role("link", name="English: Milk frothing for beginners")
    back.wait_for()
    screenshot(page, "kb-translation-written-en")
    assert serious_violations(page) == []

    back.click()
    translations.get_by_role("link", name="简体中文: 奶泡入门").wait_for()
    read = desk.call("GET", f"/kb/articles/{original}").json()
    [chinese] = read["translations"]
    assert (chinese["locale"], chinese["title"]) == ("zh-CN", "奶泡入门")
    made = desk.call("GET", f"/kb/articles/{chinese['id']}").json()
    assert (made["slug"], made["section_id"]) == ("奶泡入门", read["section_id"])
