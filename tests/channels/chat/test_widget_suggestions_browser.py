"""Articles in the widget before a chat, in a real browser: while the visitor writes their first
message the widget offers articles that may answer it; one opens in the frame, takes a vote
(counted as this visitor's), and the visitor goes back and chats all the same. A No asks what
they were looking for, which the agents' review queue shows; and the visitor's token never goes
into an address (access logs keep those), only into the X-Visitor-Token header."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from supportdesk.channels.chat.identity import find_visitor
from supportdesk.extensions import db
from supportdesk.knowledge.models import Article, ArticleVote, Suggestion
from supportdesk.tickets.models import AuthorKind, Message
from tests.channels.chat.browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser_fixture,
    built_widget_fixture,
    host_page_fixture,
    open_widget,
    phone,
)
from tests.channels.chat.conftest import eventually
from tests.factories import ArticleFactory, VisitorFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e" / "artifacts"
REFUND_BODY = "## How to ask\n\nWe refund **any order** within 30 days."
ZH_REFUND_BODY = "## 如何申请\n\n收到商品 30 天内可申请退款。"


def snap(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_visitor_reads_a_suggested_article_votes_then_goes_back_and_chats(
    host_page: Any, browser: Any, agent_peer: Any
) -> None:
    refund = cast(Article, ArticleFactory(title="Refund policy", body=REFUND_BODY))
    ArticleFactory(title="Shipping times", body="Parcels leave within a day.")
    db.session.commit()
    agent_peer()  # an agent is online: the composer, not the offline form
    page = browser.new_page(viewport={"width": 420, "height": 700})
    frame, handle = open_widget(page, host_page("en"))
    composer = frame.locator("#sd-composer")
    frame.locator("#sd-suggestions").wait_for(state="hidden")  # nothing typed, nothing offered

    composer.press_sequentially("refund")
    offered = frame.locator("#sd-suggestions .suggestion")
    offered.filter(has_text="Refund policy").wait_for()
    assert frame.locator("#sd-suggestions-title").inner_text() == "Articles that may help"
    assert offered.all_inner_texts() == ["Refund policy"]
    snap(page, "widget-suggestions-en")
    assert axe_violations(handle) == []

    offered.first.click()
    reader = frame.locator("#sd-article")
    reader.locator("strong", has_text="any order").wait_for()  # the desk's rendered Markdown
    assert frame.locator("#sd-article-title").inner_text() == "Refund policy"
    assert composer.is_hidden()  # the article has the frame
    frame.locator("#sd-article-yes").click()
    frame.locator("#sd-article-voted").filter(has_text="You found this helpful").wait_for()
    assert frame.locator("#sd-article-yes").get_attribute("aria-pressed") == "true"
    snap(page, "widget-article-en")
    assert axe_violations(handle) == []

    # The vote is this visitor's (their token), and the suggestion is known to have been opened.
    voted = select(ArticleVote).filter_by(article_id=refund.id)
    eventually(lambda: db.session.scalar(voted) is not None)
    vote = db.session.scalar(voted)
    assert vote is not None and vote.helpful and vote.voter.startswith("visitor:")
    opened = select(Suggestion).filter_by(article_id=refund.id, surface="widget")
    eventually(lambda: (db.session.scalar(opened) or Suggestion()).opened_at is not None)

    # Back: the suggestions and the words typed are still there; then "Chat with us".
    frame.locator("#sd-article-back").click()
    offered.first.wait_for()
    assert composer.input_value() == "refund"
    offered.first.click()
    frame.locator("#sd-article-chat").click()
    composer.wait_for()
    assert frame.locator("#sd-composer:focus").count() == 1
    composer.press_sequentially(" please, the parcel came broken")
    composer.press("Enter")
    frame.locator("#sd-messages .msg--customer.is-sent").wait_for()
    # The chat has begun: no more suggestions under the visitor's words.
    composer.press_sequentially("refund")
    frame.locator("#sd-suggestions").wait_for(state="hidden")
    page.close()


class Requests:
    """Every request a page makes (its frames' too) and every WebSocket it opens: their
    addresses, and the X-Visitor-Token header of the knowledge base's calls."""

    def __init__(self, page: Any) -> None:
        self.urls: list[str] = []
        self.kb: list[tuple[str, str | None]] = []
        page.on("request", self._seen)
        page.on("websocket", lambda socket: self.urls.append(socket.url))

    def _seen(self, request: Any) -> None:
        self.urls.append(request.url)
        if "/api/v1/kb/" in request.url:
            self.kb.append((request.url, request.headers.get("x-visitor-token")))


def test_a_visitor_who_found_an_article_no_help_says_what_was_missing_and_chats_about_it(
    host_page: Any, browser: Any, agent_peer: Any, client: Any, api: Any
) -> None:
    refund = cast(Article, ArticleFactory(title="Refund policy", body=REFUND_BODY))
    earlier = [VisitorFactory().token for _ in range(2)]
    db.session.commit()
    for token in earlier:  # two readers said No before, without a word
        answer = client.post(
            f"/api/v1/kb/articles/{refund.id}/feedback",
            json={"helpful": False},
            headers={"X-Visitor-Token": token},
        )
        assert answer.status_code == 200, answer.json
    agent_peer()
    page = phone(browser, "375x667")
    requests = Requests(page)
    frame, handle = open_widget(page, host_page("en"))
    frame.locator("#sd-status", has_text="We're online").wait_for()  # the visitor has a token

    composer = frame.locator("#sd-composer")
    composer.press_sequentially("refund")
    frame.locator("#sd-suggestions .suggestion", has_text="Refund policy").click()
    frame.locator("#sd-article-body strong", has_text="any order").wait_for()
    frame.locator("#sd-article-no").click()
    # The No is saved at once; the box asking what was missing has the focus.
    comment = frame.locator("#sd-article-comment:focus")
    comment.wait_for()
    assert frame.locator("label[for=sd-article-comment]").inner_text() == (
        "What were you looking for? (optional)"
    )
    assert frame.locator("#sd-article-no").get_attribute("aria-pressed") == "true"
    mine = select(ArticleVote).filter_by(article_id=refund.id, helpful=False, comment=None)
    eventually(lambda: len(db.session.scalars(mine).all()) == 3)
    missing = "Whether a parcel that came broken counts"
    page.keyboard.type(missing)
    snap(page, "widget-article-comment-en-375")
    assert axe_violations(handle) == []
    frame.locator("#sd-article-comment-send").click()
    thanks = frame.locator("#sd-article-voted:focus")
    thanks.filter(has_text="Thank you! What you wrote helps us improve").wait_for()
    assert frame.locator("#sd-article-feedback").is_hidden()
    snap(page, "widget-article-comment-sent-en-375")
    assert axe_violations(handle) == []

    # The comment is the visitor's vote's, and the agents' review queue shows it: the third No
    # in a row calls for a look.
    db.session.rollback()
    vote = db.session.scalar(select(ArticleVote).filter_by(article_id=refund.id, comment=missing))
    assert vote is not None and not vote.helpful and vote.voter.startswith("visitor:")
    review = api.get("/kb/review").json["items"]
    assert [(item["article"]["id"], item["reasons"]) for item in review] == [
        (refund.id, ["no_run"])
    ]
    assert [said["comment"] for said in review[0]["comments"]] == [missing]

    # Tab from the thanks reaches "Chat with us": the chat starts about the article.
    page.keyboard.press("Tab")
    assert frame.locator("#sd-article-chat:focus").count() == 1
    page.keyboard.press("Enter")
    frame.locator("#sd-composer:focus").wait_for()
    assert composer.input_value() == "About “Refund policy”: refund"

    # Back in the article, the No and its thanks are as the visitor left them; they change
    # their mind: a Yes replaces the No, clears the comment, and the article leaves the queue.
    frame.locator("#sd-suggestions .suggestion", has_text="Refund policy").click()
    frame.locator("#sd-article-voted", has_text="Thank you! What you wrote").wait_for()
    assert frame.locator("#sd-article-no").get_attribute("aria-pressed") == "true"
    frame.locator("#sd-article-yes").click()
    frame.locator("#sd-article-voted", has_text="You found this helpful").wait_for()
    assert frame.locator("#sd-article-feedback").is_hidden()
    db.session.rollback()
    db.session.refresh(vote)
    assert vote.helpful and vote.comment is None
    assert api.get("/kb/review").json["items"] == []

    frame.locator("#sd-article-chat").click()
    composer.press_sequentially(" for a broken parcel?")
    composer.press("Enter")
    frame.locator("#sd-messages .msg--customer.is-sent").wait_for()
    db.session.rollback()
    sent = select(Message.body).filter_by(author_kind=AuthorKind.CUSTOMER)
    assert db.session.scalars(sent).all() == ["About “Refund policy”: refund for a broken parcel?"]

    # Suggest, read, vote and comment: each named the visitor in the header, never in an address.
    calls = [url for url, _ in requests.kb]
    assert any("/suggest?" in url for url in calls)
    assert any(f"/articles/{refund.id}?" in url for url in calls)
    assert any(url.endswith(f"/articles/{refund.id}/feedback") for url in calls)
    tokens = {header for _, header in requests.kb}
    assert len(tokens) == 1
    token = tokens.pop()
    assert token is not None and find_visitor(db.session, token) is not None
    assert requests.urls and not [url for url in requests.urls if token in url]
    page.context.close()


def test_a_chinese_visitor_is_offered_chinese_articles_in_chinese(
    host_page: Any, browser: Any, agent_peer: Any
) -> None:
    ArticleFactory(title="退款政策", body=ZH_REFUND_BODY, locale="zh-CN")
    ArticleFactory(title="Refund policy", body="We refund within 30 days.")
    db.session.commit()
    agent_peer()
    page = browser.new_page(viewport={"width": 420, "height": 700}, locale="zh-CN")
    frame, _ = open_widget(page, host_page("zh-CN"))

    frame.locator("#sd-composer").press_sequentially("退款")
    offered = frame.locator("#sd-suggestions .suggestion")
    offered.filter(has_text="退款政策").wait_for()
    assert offered.all_inner_texts() == ["退款政策"]  # the widget's language only
    assert frame.locator("#sd-suggestions-title").inner_text() == "这些文章也许能帮到您"
    snap(page, "widget-suggestions-zh-CN")

    offered.first.click()
    frame.locator("#sd-article-body h2", has_text="如何申请").wait_for()
    frame.locator("#sd-article-no").click()
    frame.locator("#sd-article-voted").filter(has_text="没有帮助").wait_for()
    assert frame.locator("#sd-article-chat").inner_text() == "联系客服"
    assert frame.locator("label[for=sd-article-comment]").inner_text() == "您想找的是什么？（选填）"
    frame.locator("#sd-article-comment:focus").wait_for()
    page.keyboard.type("退货的运费由谁承担？")
    snap(page, "widget-article-zh-CN")
    page.set_viewport_size({"width": 375, "height": 667})
    snap(page, "widget-article-comment-zh-CN-375")
    frame.locator("#sd-article-comment-send").click()
    frame.locator("#sd-article-voted:focus", has_text="谢谢！您的意见").wait_for()
    db.session.rollback()
    assert db.session.scalars(select(ArticleVote.comment)).all() == ["退货的运费由谁承担？"]
    page.keyboard.press("Escape")  # Escape leaves the article, not the chat
    offered.first.wait_for()
    page.close()
