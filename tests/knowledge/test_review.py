"""The review queue: flagged and poorly rated articles, with what readers said and the figures."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.knowledge import feedback, flags, ranking
from supportdesk.knowledge.models import FlagReason, FlagResolution
from supportdesk.knowledge.voters import Voter
from tests.factories import ArticleFactory

_voters = itertools.count()


def voted(article: Any, pattern: str, *, comment: str | None = None) -> None:
    """Readers' votes in this order: ``Y`` helpful, ``N`` not (with ``comment``), each a
    proven reader of their own."""
    for mark in pattern:
        reader = Voter(f"visitor:{next(_voters):064x}", proven=True)
        helpful = mark == "Y"
        feedback.vote(
            db.session, article.id, reader, helpful=helpful, comment=None if helpful else comment
        )
    db.session.commit()


def queue(api: Any, **query: Any) -> dict[str, dict[str, Any]]:
    """The queue, by article title."""
    return {item["article"]["title"]: item for item in api.walk("/kb/review", limit=2, **query)}


def test_a_flagged_article_is_in_the_queue_with_its_open_flags_until_they_are_resolved(api, agent):
    article = ArticleFactory(title="Warranty terms")
    ArticleFactory(title="Fine as it is")
    first = flags.flag_article(db.session, article.id, reason=FlagReason.OUTDATED, agent=agent)
    second = flags.flag_article(
        db.session, article.id, reason=FlagReason.INCOMPLETE, agent=agent, note="No returns"
    )
    db.session.commit()

    listed = queue(api)

    assert listed.keys() == {"Warranty terms"}
    item = listed["Warranty terms"]
    assert item["reasons"] == ["flagged"]
    assert [f["id"] for f in item["open_flags"]] == [second.id, first.id]
    assert item["open_flags"][0]["note"] == "No returns"

    for flag in (first, second):
        flags.resolve_flag(db.session, flag.id, resolution=FlagResolution.FIXED, agent=agent)
    db.session.commit()
    assert queue(api) == {}


@pytest.mark.parametrize(
    ("pattern", "in_queue"),
    [
        ("YNNNNNNNN" + "NY", True),  # 2 of 11: even at best under half
        ("YYYNNNNY", False),  # 4 of 8 helpful: maybe fine
        ("NYNYNY", False),  # 3 of 6, no run
        ("NNY", False),  # too few to say
    ],
)
def test_a_poorly_rated_article_is_in_the_queue_with_confidence_only(api, pattern, in_queue):
    article = ArticleFactory(title="Rated")
    db.session.commit()
    voted(article, pattern)

    listed = queue(api)

    assert ("Rated" in listed) is in_queue
    if in_queue:
        assert listed["Rated"]["reasons"] == ["poorly_rated"]


def test_a_fresh_run_of_no_votes_calls_for_a_look_at_a_well_rated_article(api):
    article = ArticleFactory(title="Was right until the update")
    db.session.commit()
    voted(article, "Y" * 20 + "NN")
    assert queue(api) == {}

    voted(article, "N", comment="The menu is gone in version 3")

    item = queue(api)["Was right until the update"]
    assert item["reasons"] == ["no_run"]
    assert item["figures"]["helpful_count"] == 20 and item["figures"]["not_helpful_count"] == 3

    voted(article, "Y")
    assert queue(api) == {}


def test_an_item_shows_the_latest_no_comments_and_the_figures(api):
    article = ArticleFactory(title="Descaling")
    db.session.commit()
    for n in range(5):
        voted(article, "N", comment=f"Comment {n}")
    voted(article, "N")  # a No without a comment
    ranking.record_view(db.session, article)
    ranking.record_deflection(db.session, article)
    db.session.commit()
    blind = Voter("cookie:AAAAAAAAAAAAAAAAAAAAAAAA")  # no shown page: kept, not counted
    feedback.vote(db.session, article.id, blind, helpful=False, comment="Buy cheap pills")
    db.session.commit()

    item = queue(api)["Descaling"]

    assert [c["comment"] for c in item["comments"]] == ["Comment 4", "Comment 3", "Comment 2"]
    assert item["reasons"] == ["poorly_rated", "no_run"]
    figures = item["figures"]
    assert figures["view_count"] == 1 and figures["deflection_count"] == 1
    assert figures["reply_use_count"] == 0
    assert (figures["helpful_count"], figures["not_helpful_count"]) == (0, 6)
    assert figures["helpful_ratio"] == 0.0
    assert figures["helpful_lower"] == 0.0 and 0 < figures["helpful_upper"] < 0.5


def test_the_most_used_come_first_and_filters_narrow_the_queue(api, agent):
    for title, views, locale in (("Quiet", 1, "en"), ("Busy", 50, "en"), ("忙碌", 20, "zh-CN")):
        article = ArticleFactory(title=title, locale=locale)
        for _ in range(views):
            ranking.record_view(db.session, article)
        flags.flag_article(db.session, article.id, reason=FlagReason.OTHER, agent=agent)
    db.session.commit()

    assert list(queue(api)) == ["Busy", "忙碌", "Quiet"]
    assert list(queue(api, locale="zh-CN")) == ["忙碌"]
