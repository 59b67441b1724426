"""Readers find articles by their words, in English and Chinese, misspelt or half-typed."""

from __future__ import annotations

from supportdesk.extensions import db
from supportdesk.knowledge.models import Article
from supportdesk.search import service as search
from tests.factories import ArticleFactory


def found(q: str, **options) -> list[int]:
    return [hit.id for hit in search.search_articles(db.session, q, **options)]


def suggested(q: str, **options) -> list[int]:
    return [hit.id for hit in search.suggest_articles(db.session, q, **options)]


def test_a_title_match_ranks_above_a_body_mention(app):
    mention = ArticleFactory(title="Shipping times", body="Refunds are covered elsewhere.")
    titled = ArticleFactory(title="Refund policy", body="How we pay you back.")
    ArticleFactory(title="Printer setup", body="Load the paper.")
    db.session.commit()

    assert found("refund") == [titled.id, mention.id]
    assert found("scanner") == []


def test_a_two_character_chinese_query_finds_its_article(app):
    refund = ArticleFactory(
        title="如何申请退款", body="在订单页面点击申请退款，三个工作日内到账。", locale="zh-CN"
    )
    ArticleFactory(title="修改密码", body="在设置页面修改密码。", locale="zh-CN")
    db.session.commit()

    assert found("退款") == [refund.id]
    assert found("请退") == [refund.id]  # any two characters of the text, words or not
    assert found("到账") == [refund.id]
    assert found("密码") != [refund.id]


def test_chinese_words_are_found_in_any_order(app):
    card = ArticleFactory(title="退款到信用卡", body="退款会原路返回。", locale="zh-CN")
    ArticleFactory(title="信用卡账单", body="账单每月寄出。", locale="zh-CN")
    db.session.commit()

    assert found("信用卡退款") == [card.id]


def test_suggestions_follow_each_keystroke_in_both_languages(app):
    password = ArticleFactory(title="Reset your password", body="Use the link we send.")
    chinese = ArticleFactory(title="重置密码", body="使用我们发送的链接。", locale="zh-CN")
    db.session.commit()

    assert suggested("pa") == [password.id]
    assert suggested("passw") == [password.id]
    assert suggested("reset pass") == [password.id]
    assert suggested("重") == [chinese.id]
    assert suggested("重置") == [chinese.id]
    assert suggested("重置密") == [chinese.id]
    assert suggested("pass", locale="zh-CN") == []


def test_case_accents_and_full_width_letters_do_not_matter(app):
    street = ArticleFactory(title="Straße names", body="Café opening hours.")
    db.session.commit()

    assert found("STRASSE") == [street.id]
    assert found("ｃａｆｅ") == [street.id]
    assert found("CAFÉ") == [street.id]


def test_a_misspelt_word_finds_the_word_the_desk_uses(app):
    refund = ArticleFactory(title="Refund policy", body="When the refund arrives.")
    ArticleFactory(title="Delivery", body="Parcels arrive in five days.")
    db.session.commit()

    assert found("refnud") == [refund.id]  # two letters swapped
    assert found("refund polcy") == [refund.id]
    assert suggested("refnd") == [refund.id]


def test_drafts_are_for_agents_and_locales_filter(app):
    published = ArticleFactory(title="Router lights", locale="en")
    draft = ArticleFactory(title="Router lights, new model", status="draft")
    chinese = ArticleFactory(title="Router 指示灯", locale="zh-CN")
    db.session.commit()

    assert set(found("router")) == {published.id, chinese.id}
    assert set(found("router", published_only=False)) == {published.id, draft.id, chinese.id}
    assert found("router", locale="zh-CN") == [chinese.id]


def rated(article_id: int, helpful: int, not_helpful: int, views: int = 0) -> None:
    from supportdesk.knowledge.ranking import refresh_score

    article = db.session.get(Article, article_id)
    article.helpful_count, article.not_helpful_count = helpful, not_helpful
    article.view_count = views
    refresh_score(article)


def test_of_equal_matches_the_helpful_and_used_come_first_but_relevance_decides(app):
    disliked = ArticleFactory(title="Descale the machine", body="Use vinegar.")
    unrated = ArticleFactory(title="Descale the machine", body="Use vinegar.")
    liked = ArticleFactory(title="Descale the machine", body="Use vinegar.")
    mention = ArticleFactory(title="Cleaning", body="Some descale it, but clean it weekly.")
    rated(disliked.id, 0, 12)
    rated(liked.id, 30, 1, views=500)
    rated(mention.id, 80, 0, views=5000)
    db.session.commit()

    assert found("descale") == [liked.id, unrated.id, disliked.id, mention.id]


def test_an_edit_is_found_by_its_new_words_only_and_a_deleted_article_by_none(app):
    from supportdesk.knowledge.articles import delete_article, update_article

    article = ArticleFactory(title="Old wording", body="Nothing else.")
    db.session.commit()

    update_article(db.session, article, {"title": "Fresh wording"})
    db.session.commit()
    assert found("old") == [] and found("fresh") == [article.id]

    delete_article(db.session, db.session.get(Article, article.id))
    db.session.commit()
    assert found("fresh") == []


def test_the_snippet_marks_the_words_in_the_article_text_escaped(app):
    ArticleFactory(title="Safe pages", body="Never type `<script>` into the **search** box.")
    db.session.commit()

    [hit] = search.search_articles(db.session, "script search")

    assert "<mark>search</mark>" in hit.snippet
    assert "&lt;<mark>script</mark>&gt;" in hit.snippet
    assert "<script>" not in hit.snippet and "**" not in hit.snippet


def test_suggestions_put_the_articles_with_the_words_in_their_title_first(app):
    in_body = ArticleFactory(title="Shipping", body="Charger returns go through the portal.")
    in_title = ArticleFactory(title="Charger returns", body="Send it back.")
    draft = ArticleFactory(title="Charger recall", status="draft")
    db.session.commit()

    assert suggested("charg") == [in_title.id, in_body.id]
    assert suggested("charg", limit=1) == [in_title.id]
    assert suggested("charg", published_only=False)[0] in {in_title.id, draft.id}
