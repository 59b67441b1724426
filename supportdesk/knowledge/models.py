"""The knowledge base: categories and sections, articles in each locale with their versions,
the readers' votes and the agents' flags.

One ``Article`` row is one article in one locale (what CONTRACT's ``/kb/articles/{id}``
names); the translations of one article share a ``TranslationGroup``. The counters on an
article (votes, views, deflections, uses in replies) are kept on its row so that lists,
the ranking and the help center read them without an aggregate; each is changed only by
the one service that owns it, under the article's row lock.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from supportdesk.core.models import JSONType, str_enum
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db
from supportdesk.users.models import User


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class FlagReason(enum.StrEnum):
    INACCURATE = "inaccurate"
    OUTDATED = "outdated"
    INCOMPLETE = "incomplete"
    OTHER = "other"


class FlagResolution(enum.StrEnum):
    #: the article was corrected
    FIXED = "fixed"
    #: the article was right; the flag is closed without a change
    DISMISSED = "dismissed"


class Category(db.Model):  # type: ignore[name-defined]
    """A top-level shelf of the help center. ``names`` and ``descriptions`` hold its wording
    per locale (``{"en": ..., "zh-CN": ...}``), read and written whole."""

    __tablename__ = "kb_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSONType)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sections: Mapped[list[Section]] = relationship(
        order_by=lambda: (Section.position, Section.id),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Section(db.Model):  # type: ignore[name-defined]
    """A group of articles inside a category."""

    __tablename__ = "kb_sections"
    __table_args__ = (UniqueConstraint("category_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("kb_categories.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(200))
    names: Mapped[dict[str, str]] = mapped_column(JSONType)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TranslationGroup(db.Model):  # type: ignore[name-defined]
    """What the translations of one article share: at most one article per locale."""

    __tablename__ = "kb_translation_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Article(db.Model):  # type: ignore[name-defined]
    __tablename__ = "kb_articles"
    __table_args__ = (
        UniqueConstraint("locale", "slug"),
        UniqueConstraint("translation_group_id", "locale"),
        # the lists: by score (the default) and by recency, per locale and per category
        Index("ix_kb_articles_rank", "status", "locale", "score", "id"),
        Index("ix_kb_articles_recent", "status", "locale", "updated_at", "id"),
        Index("ix_kb_articles_category_rank", "category_id", "status", "score", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_group_id: Mapped[int] = mapped_column(
        ForeignKey("kb_translation_groups.id"), index=True
    )
    locale: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    #: Markdown, as the editor wrote it
    body: Mapped[str] = mapped_column(Text)
    #: ``body`` rendered and sanitized at save time, so a page view renders nothing
    body_html: Mapped[str] = mapped_column(Text)
    #: the page's meta description (a plain-text summary); derived from the body when empty
    description: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[ArticleStatus] = mapped_column(
        str_enum(ArticleStatus), default=ArticleStatus.DRAFT
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_categories.id", ondelete="SET NULL"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_sections.id", ondelete="SET NULL"), index=True
    )
    #: the agent who answers for the article: flags and unhappy readers reach them
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: the number of the newest ``ArticleVersion``
    version: Mapped[int] = mapped_column(default=1)
    helpful_count: Mapped[int] = mapped_column(default=0)
    not_helpful_count: Mapped[int] = mapped_column(default=0)
    view_count: Mapped[int] = mapped_column(default=0)
    deflection_count: Mapped[int] = mapped_column(default=0)
    reply_use_count: Mapped[int] = mapped_column(default=0)
    #: the ranking (``knowledge.ranking``): helpfulness with confidence and use, decayed
    score: Mapped[float] = mapped_column(Float, default=0.0)
    score_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when an editor last saved it (``knowledge.articles``): a vote or a view is no edit,
    #: so the counters' UPDATEs leave it be
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])


class ArticleVersion(db.Model):  # type: ignore[name-defined]
    """The article as it was after one save: every edit keeps one, so any can be viewed,
    compared and restored (a restore is a new version with the old text)."""

    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ArticleStatus] = mapped_column(str_enum(ArticleStatus))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class RelatedArticle(db.Model):  # type: ignore[name-defined]
    """An editor's "see also" link from one article to another, in order."""

    __tablename__ = "kb_related_articles"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    related: Mapped[Article] = relationship(foreign_keys=[related_id])


class ArticleImage(db.Model):  # type: ignore[name-defined]
    """An image an article shows, uploaded in the editor and served from the help center.
    ``article_id`` is None while it waits for the article being written."""

    __tablename__ = "kb_article_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleVote(db.Model):  # type: ignore[name-defined]
    """One reader's answer to "Was this helpful?". ``voter`` is who the reader is to us
    (``visitor:<token digest>``, ``customer:<id>`` or ``cookie:<id>``): one vote per voter
    per article, and a second vote replaces the first (``knowledge.feedback``)."""

    __tablename__ = "kb_article_votes"
    __table_args__ = (
        UniqueConstraint("article_id", "voter"),
        # a page view counts one vote at most (``knowledge.feedback``)
        UniqueConstraint("article_id", "page_view_id"),
        Index("ix_kb_article_votes_article_helpful", "article_id", "helpful", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    voter: Mapped[str] = mapped_column(String(100))
    helpful: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    #: whether the vote is in the article's counters: an anonymous reader's vote counts
    #: once it comes from a page that was shown (``knowledge.feedback``); until then it
    #: is kept, and left out
    counted: Mapped[bool] = mapped_column(default=True)
    #: the page view (the nonce of its signed token) that made the vote count
    page_view_id: Mapped[str | None] = mapped_column(String(32))
    #: the known customer who voted (a verified visitor, a signed-in portal customer)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ArticleFlag(db.Model):  # type: ignore[name-defined]
    """An agent's report that an article is wrong, from the article or from a ticket."""

    __tablename__ = "kb_article_flags"
    __table_args__ = (
        # the review queue: open flags first, per article
        Index("ix_kb_article_flags_open", "resolved_at", "article_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason))
    note: Mapped[str | None] = mapped_column(Text)
    #: the ticket the agent was working when they saw the article was wrong
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[FlagResolution | None] = mapped_column(str_enum(FlagResolution))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    #: which version of the article fixed it (``resolution == "fixed"``)
    fixed_in_version: Mapped[int | None]

    # what a list of flags shows beside each (loaded with the page: ``knowledge.flags``)
    article: Mapped[Article] = relationship()
    flagged_by: Mapped[User | None] = relationship(foreign_keys=[flagged_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class KbAction(enum.StrEnum):
    SEARCHED = "searched"
    VIEWED = "viewed"
    RATED = "rated"


class KbSurface(enum.StrEnum):
    """Where a reader was: the help center's pages, the chat widget (before a chat), the
    help center's request form, the signed-in portal."""

    HELP_CENTER = "help_center"
    WIDGET = "widget"
    REQUEST_FORM = "request_form"
    PORTAL = "portal"


class KbActivity(db.Model):  # type: ignore[name-defined]
    """One thing a reader did in self-service: searched, viewed an article, rated one
    (``knowledge.activity``). ``reader`` is who did it as the desk knows them
    (``knowledge.voters``: ``customer:<id>``, ``visitor:<digest>``, ``cookie:<id>``);
    ``customer_id`` is set once the reader is a known customer, and then the activity is
    on that customer's timeline."""

    __tablename__ = "kb_activities"
    __table_args__ = (
        # one "viewed" per reader per article per hour (``view_hour``: hours since 1970;
        # NULL for searches and ratings, which this leaves alone)
        UniqueConstraint("reader", "article_id", "view_hour"),
        # a reader's recent activity: coalescing searches, joining a customer
        Index("ix_kb_activities_reader", "reader", "occurred_at"),
        # the searches that found nothing
        Index("ix_kb_activities_unanswered", "action", "result_count", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reader: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[KbAction] = mapped_column(str_enum(KbAction))
    #: a search's words (the last of a run of keystrokes)
    query: Mapped[str | None] = mapped_column(String(200))
    result_count: Mapped[int | None]
    #: the article viewed or rated; NULL once it is deleted (what the reader did stays)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="SET NULL"), index=True
    )
    helpful: Mapped[bool | None]
    #: what a reader who rated it not helpful wrote they were missing
    comment: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(20))
    surface: Mapped[KbSurface] = mapped_column(str_enum(KbSurface))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: a search's latest keystroke, a rating's latest change: the next within a short
    #: while replaces it
    typed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    view_hour: Mapped[int | None]

    article: Mapped[Article | None] = relationship()


class Suggestion(db.Model):  # type: ignore[name-defined]
    """An article suggested to a reader before they contacted us (the widget, the request
    form, the portal), and what came of it (``knowledge.deflection``): opened, contacted
    us anyway within a day, settled once that day is over."""

    __tablename__ = "kb_suggestions"
    __table_args__ = (
        # one open suggestion per reader, article and surface: keystrokes showing the same
        # article again are one suggestion
        Index(
            "ux_kb_suggestions_open",
            "reader",
            "article_id",
            "surface",
            unique=True,
            sqlite_where=text("settled_at IS NULL"),
            postgresql_where=text("settled_at IS NULL"),
        ),
        Index("ix_kb_suggestions_reader", "reader", "shown_at"),
        Index("ix_kb_suggestions_customer", "customer_id", "shown_at"),
        Index("ix_kb_suggestions_settle", "settled_at", "shown_at"),
        Index("ix_kb_suggestions_report", "shown_at", "article_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reader: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    surface: Mapped[KbSurface] = mapped_column(str_enum(KbSurface))
    query: Mapped[str | None] = mapped_column(String(200))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
