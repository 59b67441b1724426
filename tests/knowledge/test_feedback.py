"""Was this helpful? Readers vote once per article, change their minds; bots count for nothing."""

from __future__ import annotations

import secrets
import time
from typing import Any

import pytest
import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner

from supportdesk.channels.chat.identity import token_hash
from supportdesk.extensions import db
from supportdesk.knowledge import feedback
from supportdesk.knowledge.models import Article, ArticleVote
from supportdesk.knowledge.voters import COOKIE
from tests.factories import ArticleFactory, CustomerFactory, VisitorFactory


def shown(article_id: int, monkeypatch: pytest.MonkeyPatch, seconds_ago: int = 10) -> str:
    """The view token of a page showing the article, loaded ``seconds_ago``."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda _: int(time.time()) - seconds_ago)
        return feedback.page_view_token(article_id)


def visitor_token(customer: Any = None) -> str:
    """A token the widget was given, as the chat keeps it (its digest)."""
    token: str = VisitorFactory(customer=customer).token
    db.session.commit()
    return token


def post_vote(client: Any, article: Any, **body: Any) -> Any:
    return client.post(f"/api/v1/kb/articles/{article.id}/feedback", json=body)


def stored_votes(article: Any) -> list[tuple[str, bool, bool, str | None]]:
    db.session.rollback()
    rows = db.session.execute(
        sa.select(ArticleVote.voter, ArticleVote.helpful, ArticleVote.counted, ArticleVote.comment)
        .where(ArticleVote.article_id == article.id)
        .order_by(ArticleVote.id)
    )
    return [tuple(row) for row in rows]


def counts(article: Any) -> tuple[int, int]:
    db.session.rollback()
    row = db.session.execute(
        sa.select(Article.helpful_count, Article.not_helpful_count).where(Article.id == article.id)
    ).one()
    return tuple(row)


@pytest.fixture
def article(app: Any) -> Any:
    made = ArticleFactory(title="Descaling the machine")
    db.session.commit()
    return made


def test_a_reader_from_the_page_votes_and_a_second_vote_replaces_the_first(
    client, article, monkeypatch
):
    first = post_vote(client, article, helpful=True, view_token=shown(article.id, monkeypatch))

    assert first.status_code == 200, first.json
    assert first.json["helpful_count"] == 1 and first.json["not_helpful_count"] == 0
    assert first.json["your_vote"]["helpful"] is True and first.json["your_vote"]["counted"]
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"

    second = post_vote(
        client,
        article,
        helpful=False,
        comment="  It does not say how much descaler to use.  ",
        view_token=shown(article.id, monkeypatch),
    )

    assert (second.json["helpful_count"], second.json["not_helpful_count"]) == (0, 1)
    assert second.json["your_vote"]["comment"] == "It does not say how much descaler to use."
    assert stored_votes(article) == [
        (f"cookie:{cookie.value}", False, True, "It does not say how much descaler to use.")
    ]
    assert counts(article) == (0, 1)


def test_the_same_vote_twice_counts_once(client, article, monkeypatch):
    for _ in range(2):
        answer = post_vote(client, article, helpful=True, view_token=shown(article.id, monkeypatch))

    assert (answer.json["helpful_count"], answer.json["not_helpful_count"]) == (1, 0)
    assert len(stored_votes(article)) == 1


def test_a_widget_visitor_votes_by_token_stored_as_its_digest_and_counted_at_once(client, article):
    customer = CustomerFactory()
    db.session.commit()
    token = visitor_token(customer)

    answer = post_vote(client, article, helpful=False, voter=token)

    assert answer.status_code == 200, answer.json
    assert answer.json["not_helpful_count"] == 1 and answer.json["your_vote"]["counted"]
    assert client.get_cookie(COOKIE) is None  # the token names the voter: no cookie needed
    vote = db.session.scalar(sa.select(ArticleVote))
    assert vote.voter == f"visitor:{token_hash(token)}" and token not in vote.voter
    assert vote.customer_id == customer.id


def test_a_merged_customers_votes_are_the_survivors(client, api, article):
    survivor, source = CustomerFactory(), CustomerFactory()
    db.session.commit()
    post_vote(client, article, helpful=False, voter=visitor_token(source))

    merged = api.post(f"/customers/{survivor.id}/merge", json={"source_id": source.id})

    assert merged.status_code == 200, merged.json
    db.session.rollback()
    assert db.session.scalars(sa.select(ArticleVote.customer_id)).all() == [survivor.id]


def test_a_visitor_token_the_desk_never_gave_out_does_not_vote(client, article):
    answer = post_vote(client, article, helpful=True, voter=secrets.token_urlsafe(32))

    assert answer.status_code == 422
    assert "voter" in answer.json["errors"]
    assert stored_votes(article) == [] and counts(article) == (0, 0)


def test_two_browsers_are_two_voters(app, article, monkeypatch):
    for _ in range(2):
        browser = app.test_client()
        post_vote(browser, article, helpful=True, view_token=shown(article.id, monkeypatch))

    assert counts(article) == (2, 0)
    assert len({voter for voter, *_ in stored_votes(article)}) == 2


def test_a_made_up_cookie_is_replaced_by_one_the_desk_makes(client, article, monkeypatch):
    client.set_cookie(COOKIE, "x' OR 1=1 --")

    post_vote(client, article, helpful=True, view_token=shown(article.id, monkeypatch))

    made = client.get_cookie(COOKIE).value
    assert made != "x' OR 1=1 --" and len(made) == 24
    assert stored_votes(article)[0][0] == f"cookie:{made}"


def test_a_vote_with_no_shown_page_is_kept_but_counted_once_the_reader_votes_from_the_page(
    client, article, monkeypatch
):
    blind = post_vote(client, article, helpful=False, comment="Too short")

    assert blind.status_code == 200
    assert blind.json["your_vote"]["counted"] is False and blind.json["not_helpful_count"] == 0
    assert counts(article) == (0, 0) and stored_votes(article)[0][1:] == (False, False, "Too short")

    from_page = post_vote(client, article, helpful=False, view_token=shown(article.id, monkeypatch))

    assert from_page.json["your_vote"]["counted"] is True
    assert counts(article) == (0, 1)
    # and once counted, the reader may change their mind without loading the page again
    post_vote(client, article, helpful=True)
    assert counts(article) == (1, 0)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda a, mp: shown(a.id, mp, seconds_ago=0), id="voted the moment it loaded"),
        pytest.param(
            lambda a, mp: shown(a.id, mp, seconds_ago=2 * 86400), id="loaded two days ago"
        ),
        pytest.param(lambda a, mp: shown(a.id + 1, mp), id="another article's page"),
        pytest.param(lambda a, mp: shown(a.id, mp)[:-2] + "xx", id="a forged signature"),
        pytest.param(lambda a, mp: "not-a-token", id="made up"),
    ],
)
def test_a_view_token_that_proves_no_fitting_page_view_counts_nothing(
    client, article, monkeypatch, token
):
    answer = post_vote(client, article, helpful=True, view_token=token(article, monkeypatch))

    assert answer.status_code == 200
    assert answer.json["your_vote"]["counted"] is False
    assert counts(article) == (0, 0)


def test_one_page_view_counts_one_voter_only(app, article, monkeypatch):
    token = shown(article.id, monkeypatch)
    answers = [post_vote(app.test_client(), article, helpful=True, view_token=token) for _ in "ab"]

    assert [a.json["your_vote"]["counted"] for a in answers] == [True, False]
    assert counts(article) == (1, 0)


def test_the_honeypot_is_answered_like_a_vote_and_keeps_nothing(client, article, monkeypatch):
    answer = post_vote(
        client,
        article,
        helpful=True,
        website="http://cheap-pills.example",
        view_token=shown(article.id, monkeypatch),
    )

    assert answer.status_code == 200
    assert answer.json.keys() == {"helpful_count", "not_helpful_count", "your_vote"}
    assert stored_votes(article) == [] and counts(article) == (0, 0)
    assert client.get_cookie(COOKIE) is None


def test_a_comment_goes_with_a_no_only_and_has_a_length_cap(client, article, monkeypatch):
    with_yes = post_vote(client, article, helpful=True, comment="Great!")
    too_long = post_vote(client, article, helpful=False, comment="x" * (feedback.COMMENT_MAX + 1))

    assert with_yes.status_code == 422 and "comment" in with_yes.json["errors"]
    assert too_long.status_code == 422 and "comment" in too_long.json["errors"]
    assert stored_votes(article) == []


def test_a_yes_after_a_no_clears_the_comment(client, article, monkeypatch):
    token = shown(article.id, monkeypatch)
    post_vote(client, article, helpful=False, comment="Missing the steps", view_token=token)

    answer = post_vote(client, article, helpful=True)

    assert answer.json["your_vote"]["comment"] is None
    assert stored_votes(article)[0][1:] == (True, True, None)


def test_a_comment_is_plain_text_kept_as_written(client, article, monkeypatch):
    comment = "<script>alert(1)</script> 步骤不清楚"
    post_vote(
        client, article, helpful=False, comment=comment, view_token=shown(article.id, monkeypatch)
    )

    assert stored_votes(article)[0][3] == comment  # the API and pages escape it when shown


@pytest.mark.parametrize("status", ["draft", None])
def test_no_one_votes_on_a_draft_or_an_article_that_is_not_there(client, status):
    article = ArticleFactory(status=status or "published")
    db.session.commit()
    path = f"/api/v1/kb/articles/{article.id if status else article.id + 99}/feedback"

    answer = client.post(path, json={"helpful": True})

    assert answer.status_code == 404


def test_helpful_must_be_a_json_boolean(client, article):
    assert post_vote(client, article, helpful="yes").status_code == 422
    assert post_vote(client, article).status_code == 422


def test_a_reader_gets_their_own_vote_back_and_a_stranger_none(app, client, article, monkeypatch):
    post_vote(client, article, helpful=False, view_token=shown(article.id, monkeypatch))
    token = visitor_token()
    post_vote(app.test_client(), article, helpful=True, voter=token)

    mine = client.get(f"/api/v1/kb/articles/{article.id}/feedback")
    visitor = app.test_client().get(
        f"/api/v1/kb/articles/{article.id}/feedback", query_string={"visitor_token": token}
    )
    stranger = app.test_client().get(f"/api/v1/kb/articles/{article.id}/feedback")

    assert mine.json["your_vote"]["helpful"] is False
    assert visitor.json["your_vote"]["helpful"] is True
    assert stranger.json == {"helpful_count": 1, "not_helpful_count": 1, "your_vote": None}


def test_votes_are_rate_limited_per_address(app, make_app):
    limited = make_app(KB_VOTE_RATE_LIMIT="2 per minute")
    article = ArticleFactory()
    db.session.commit()
    path = f"/api/v1/kb/articles/{article.id}/feedback"
    addresses = ("192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.11")

    answers = [
        limited.test_client().post(path, json={"helpful": True}, environ_base={"REMOTE_ADDR": a})
        for a in addresses
    ]

    assert [a.status_code for a in answers] == [200, 200, 429, 200]
    assert int(answers[2].headers["Retry-After"]) > 0


def test_each_read_of_an_article_through_the_api_carries_a_view_token_that_counts(
    app, article, monkeypatch
):
    with monkeypatch.context() as patch:  # the article was read a minute ago
        patch.setattr(TimestampSigner, "get_timestamp", lambda _: int(time.time()) - 60)
        readers = [app.test_client() for _ in "ab"]
        tokens = [r.get(f"/api/v1/kb/articles/{article.id}").json["view_token"] for r in readers]

    answers = [
        post_vote(r, article, helpful=True, view_token=t)
        for r, t in zip(readers, tokens, strict=True)
    ]

    assert tokens[0] != tokens[1]
    assert [a.json["your_vote"]["counted"] for a in answers] == [True, True]
    assert counts(article) == (2, 0)
