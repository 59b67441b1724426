"""Articles: written in Markdown by agents, read by everyone once published.

Each save renders the body (``rendering``), keeps a version (``ArticleVersion``: the
title, body and status as saved), claims the images the body shows and brings the search
index up to date, all in the caller's transaction. ``updated_at`` moves with saves only:
the readers' counters (votes, views) are no edit.

Drafts exist for agents only: to anyone else they answer 404, as if there were none.
The translations of an article share its ``TranslationGroup``, one article per locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, select

from supportdesk.core.errors import Conflict, InvalidInput, NotFound, referenced
from supportdesk.core.fields import MAX_ID
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.knowledge import categories, images, ranking, slugs
from supportdesk.knowledge.models import (
    Article,
    ArticleStatus,
    ArticleVersion,
    RelatedArticle,
    TranslationGroup,
)
from supportdesk.knowledge.rendering import image_ids, render_markdown, summary
from supportdesk.search import service as search
from supportdesk.users.models import User

#: what a save compares to tell whether anything changed (``related_ids`` apart)
FIELDS = (
    *("title", "body", "locale", "status", "category_id", "section_id", "description"),
    *("owner_id", "slug", "translation_group_id"),
)


@dataclass
class ArticleView:
    """An article as the API shows it: its own fields (read through to ``article``) with
    what it links to. Lists leave ``translations`` and ``related`` empty (they do not show
    them); ``owner`` is shown to agents only; ``snippet`` is the search's, with ``q``."""

    article: Article
    translations: list[Article] = field(default_factory=list)
    related: list[Article] = field(default_factory=list)
    owner: User | None = None
    snippet: str | None = None

    def __getattr__(self, name: str) -> Any:
        if name == "article":  # not set yet (a copy being made): no article to read through
            raise AttributeError(name)
        return getattr(self.article, name)

    @property
    def description(self) -> str:
        """The editor's, else the start of the body."""
        return self.article.description or summary(self.article.body_html)


def get_article(session: DbSession, article_id: int, *, lock: bool = False) -> Article:
    """The article (any status: for agents' code paths); ``lock`` for a save, so that two
    saves of one article number their versions one after the other (PostgreSQL; SQLite
    writes one at a time anyway)."""
    stmt = select(Article).where(Article.id == article_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    article = session.scalar(stmt)
    if article is None:
        raise NotFound(f"No article {article_id}.")
    return article


def find_article(
    session: DbSession, id_or_slug: str, *, agent: bool, locale: str | None = None
) -> Article:
    """The article by id, or by slug in ``locale`` (without one: the desk's first locale
    that has the slug). A draft is found for agents only."""
    if id_or_slug.isascii() and id_or_slug.isdigit():
        article = session.get(Article, int(id_or_slug)) if int(id_or_slug) <= MAX_ID else None
    else:
        stmt = select(Article).where(Article.slug == id_or_slug)
        if locale:
            stmt = stmt.where(Article.locale == locale)
        if not agent:
            stmt = stmt.where(Article.status == ArticleStatus.PUBLISHED)
        found = {a.locale: a for a in session.scalars(stmt)}
        article = next(
            (found[loc] for loc in (*DESK_LOCALES, *sorted(found)) if loc in found), None
        )
    if article is None or not (agent or article.status is ArticleStatus.PUBLISHED):
        raise NotFound(f"No article {id_or_slug!r}.")
    return article


def read_article(
    session: DbSession, id_or_slug: str, *, agent: bool, locale: str | None = None
) -> ArticleView:
    """The article as its page shows it. A reader's view counts (once per view, one
    UPDATE); an agent's does not: editors open their drafts all day."""
    article = find_article(session, id_or_slug, agent=agent, locale=locale)
    if not agent:
        ranking.record_view(session, article)
        session.flush()
    return article_view(session, article, agent=agent)


def article_view(session: DbSession, article: Article, *, agent: bool) -> ArticleView:
    """``article`` with its translations and related articles: the published ones for
    readers, all of them for agents. Three queries, however many there are."""
    translations = select(Article).where(
        Article.translation_group_id == article.translation_group_id, Article.id != article.id
    )
    related = (
        select(Article)
        .join(RelatedArticle, RelatedArticle.related_id == Article.id)
        .where(RelatedArticle.article_id == article.id)
    )
    if not agent:
        translations = translations.where(Article.status == ArticleStatus.PUBLISHED)
        related = related.where(Article.status == ArticleStatus.PUBLISHED)
    return ArticleView(
        article,
        translations=list(session.scalars(translations.order_by(Article.locale))),
        related=list(session.scalars(related.order_by(RelatedArticle.position))),
        owner=article.owner if agent else None,
    )


def create_article(
    session: DbSession,
    *,
    title: str,
    body: str,
    locale: str,
    author: User | None = None,
    status: ArticleStatus = ArticleStatus.DRAFT,
    category_id: int | None = None,
    section_id: int | None = None,
    slug: str | None = None,
    description: str | None = None,
    translation_of: int | None = None,
    related_ids: Sequence[int] = (),
    owner_id: int | None = None,
) -> Article:
    """A new article (version 1), in a translation group of its own unless it is the
    ``locale`` translation of ``translation_of`` (409 if that group has one already)."""
    if translation_of is not None:
        group_id = _group_of(session, translation_of, locale)
    else:
        group = TranslationGroup()
        session.add(group)
        session.flush()
        group_id = group.id
    article = Article(
        translation_group_id=group_id,
        locale=locale,
        title=title,
        body=body,
        body_html=render_markdown(body),
        description=description or None,
        status=status,
        published_at=utcnow() if status is ArticleStatus.PUBLISHED else None,
        owner_id=_owner(session, owner_id) if owner_id else (author.id if author else None),
        version=1,
    )
    article.category_id, article.section_id = _filing(session, category_id, section_id)
    _insert(session, article, given_slug=slug, base=slugs.slug_of(title))
    _relate(session, article, related_ids)
    _saved(session, article, author)
    return article


def update_article(
    session: DbSession, article: Article, changes: Mapping[str, Any], *, author: User | None = None
) -> Article:
    """Apply ``changes`` (the create fields); if anything changed, a new version is kept.

    The slug stays when the title changes (addresses last); a new ``status`` sets
    ``published_at`` (now on publishing, none on taking it back to draft). ``translation_of``
    moves the article into that article's group (409 if its locale is there already);
    ``null`` makes it stand alone.
    """
    article = get_article(session, article.id, lock=True)
    before = {name: getattr(article, name) for name in FIELDS}
    related_before = _related_ids(session, article)
    for name in ("title", "body", "description"):
        if name in changes:
            setattr(article, name, changes[name] or (None if name == "description" else ""))
    if article.body != before["body"]:
        article.body_html = render_markdown(article.body)
    if "status" in changes and changes["status"] is not article.status:
        article.status = changes["status"]
        published = article.status is ArticleStatus.PUBLISHED
        article.published_at = utcnow() if published else None
    locale = changes.get("locale") or article.locale
    if "translation_of" in changes:
        article.translation_group_id = _regroup(session, article, changes["translation_of"], locale)
    elif locale != article.locale:
        _check_locale_free(session, article.translation_group_id, locale, keep=article)
    if changes.get("slug") is not None or locale != article.locale:
        article.slug = _slug(session, locale, changes.get("slug"), base=article.slug, keep=article)
    article.locale = locale
    if "category_id" in changes or "section_id" in changes:
        _refile(session, article, changes)
    if "owner_id" in changes:
        article.owner_id = _owner(session, changes["owner_id"]) if changes["owner_id"] else None
    if "related_ids" in changes and list(changes["related_ids"]) != related_before:
        session.execute(delete(RelatedArticle).where(RelatedArticle.article_id == article.id))
        _relate(session, article, changes["related_ids"])
    elif all(getattr(article, name) == before[name] for name in FIELDS):
        return article  # nothing changed: no new version
    article.version += 1
    article.updated_at = utcnow()
    if article.translation_group_id != before["translation_group_id"]:
        _drop_empty_group(session, before["translation_group_id"])
    _saved(session, article, author)
    return article


def _refile(session: DbSession, article: Article, changes: Mapping[str, Any]) -> None:
    """A new category keeps the article's section only if the section is in it."""
    category_id = changes.get("category_id", article.category_id)
    section_id = changes.get("section_id", article.section_id)
    if "section_id" not in changes and section_id is not None:
        section = categories.get_section(session, section_id)
        section_id = section_id if section.category_id == category_id else None
    article.category_id, article.section_id = _filing(session, category_id, section_id)


def delete_article(session: DbSession, article: Article) -> None:
    """Remove the article with its versions, votes and flags (the database cascades); to
    take it off the help center and keep it, set it back to draft instead."""
    group_id, article_id = article.translation_group_id, article.id
    session.delete(article)
    session.flush()
    _drop_empty_group(session, group_id)
    search.remove_article(session, article_id)


def _saved(session: DbSession, article: Article, author: User | None) -> None:
    """What every save does once the row is written."""
    session.add(
        ArticleVersion(
            article_id=article.id,
            number=article.version,
            title=article.title,
            body=article.body,
            status=article.status,
            author_id=author.id if author else None,
        )
    )
    session.flush()
    images.claim_images(session, article, image_ids(article.body_html))
    search.index_article(session, article)


def _slug(
    session: DbSession, locale: str, given: str | None, *, base: str, keep: Article | None = None
) -> str:
    """A slug free in ``locale``: the one given (409 if another article has it), else
    ``base`` (the article's own, or its title's), numbered if taken."""

    return slugs.unique_slug(
        session,
        Article.slug,
        base if given is None else slugs.given_slug(given),
        Article.locale == locale,
        given=given is not None,
        keep_id=keep.id if keep else None,
        taken_by=f"Another {locale} article",
    )


def _insert(session: DbSession, article: Article, *, given_slug: str | None, base: str) -> None:
    slugs.insert_under_free_slug(
        session,
        article,
        lambda: _slug(session, article.locale, given_slug, base=base),
        given=given_slug is not None,
        taken_by=f"Another {article.locale} article",
    )


def _filing(
    session: DbSession, category_id: int | None, section_id: int | None
) -> tuple[int | None, int | None]:
    """(category, section) as they fit together: a section files the article in its
    category too; a section of another category than the one given is refused."""
    if section_id is None:
        if category_id is not None:
            referenced(session, "category_id", categories.get_category, category_id)
        return category_id, None
    section = referenced(session, "section_id", categories.get_section, section_id)
    if category_id is not None and category_id != section.category_id:
        raise InvalidInput.field(
            "section_id", f"Section {section_id} belongs to category {section.category_id}."
        )
    return section.category_id, section.id


def _owner(session: DbSession, owner_id: int) -> int:
    user = session.get(User, owner_id)
    if user is None or not user.active:
        raise InvalidInput.field("owner_id", f"No active user {owner_id}.")
    return user.id


def _group_of(session: DbSession, article_id: int, locale: str) -> int:
    """The translation group of ``article_id``, if it has no ``locale`` article yet."""
    other = referenced(session, "translation_of", get_article, article_id)
    _check_locale_free(session, other.translation_group_id, locale)
    return other.translation_group_id


def _check_locale_free(
    session: DbSession, group_id: int, locale: str, *, keep: Article | None = None
) -> None:
    stmt = select(Article.id).where(
        Article.translation_group_id == group_id, Article.locale == locale
    )
    if keep is not None:
        stmt = stmt.where(Article.id != keep.id)
    if (existing := session.scalar(stmt)) is not None:
        raise Conflict(f"Article {existing} is this article's {locale} translation already.")


def _regroup(session: DbSession, article: Article, translation_of: int | None, locale: str) -> int:
    if translation_of is None:
        if (
            session.scalar(
                select(Article.id).where(
                    Article.translation_group_id == article.translation_group_id,
                    Article.id != article.id,
                )
            )
            is None
        ):
            return article.translation_group_id  # alone already
        group = TranslationGroup()
        session.add(group)
        session.flush()
        return group.id
    if translation_of == article.id:
        raise InvalidInput.field("translation_of", "An article is not its own translation.")
    other = referenced(session, "translation_of", get_article, translation_of)
    _check_locale_free(session, other.translation_group_id, locale, keep=article)
    return other.translation_group_id


def _drop_empty_group(session: DbSession, group_id: int) -> None:
    session.execute(
        delete(TranslationGroup).where(
            TranslationGroup.id == group_id,
            ~exists().where(Article.translation_group_id == group_id),
        )
    )


def _related_ids(session: DbSession, article: Article) -> list[int]:
    stmt = select(RelatedArticle.related_id).where(RelatedArticle.article_id == article.id)
    return list(session.scalars(stmt.order_by(RelatedArticle.position)))


def _relate(session: DbSession, article: Article, related_ids: Sequence[int]) -> None:
    """``article`` sees also these, in this order (repeats once); 422 for itself or an
    article that does not exist."""
    ids = list(dict.fromkeys(related_ids))
    if article.id in ids:
        raise InvalidInput.field("related_ids", "An article is not related to itself.")
    found = set(session.scalars(select(Article.id).where(Article.id.in_(ids)))) if ids else set()
    if missing := [i for i in ids if i not in found]:
        raise InvalidInput.field("related_ids", f"No article {missing[0]}.")
    session.add_all(
        RelatedArticle(article_id=article.id, related_id=related_id, position=n)
        for n, related_id in enumerate(ids)
    )
