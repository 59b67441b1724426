"""The knowledge base's articles, versions, categories and images as the API shows them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from supportdesk.core.fields import id_field, query_id, text
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.knowledge.feedback_schemas import view_token_field
from supportdesk.knowledge.images import IMAGE_TYPES
from supportdesk.knowledge.listing import ArticleSort
from supportdesk.knowledge.models import ArticleStatus
from supportdesk.knowledge.rendering import IMAGE_PATH
from supportdesk.knowledge.versions import version_html

TITLE_MAX = 300
#: a long article is some 20,000 characters; rendering stays well under a second at this
BODY_MAX = 100_000
DESCRIPTION_MAX = 300
SLUG_MAX = 200
#: an editor's "see also" list, not a second table of contents
RELATED_MAX = 20


def _locale(**kwargs: object) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.OneOf(DESK_LOCALES), **kwargs)  # type: ignore[arg-type]


def _status(**kwargs: object) -> ma.fields.Enum:
    return ma.fields.Enum(ArticleStatus, by_value=True, **kwargs)  # type: ignore[arg-type]


class OwnerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class ArticleLinkSchema(ma.Schema):
    """Another article this one names: a translation, or a "see also"."""

    id = ma.fields.Integer(required=True)
    locale = ma.fields.String(required=True, metadata={"enum": list(DESK_LOCALES)})
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = _status(required=True, metadata={"description": "readers see published ones only"})


class _ArticleFieldsSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True, metadata={"description": "unique per locale"})
    title = ma.fields.String(required=True)
    locale = ma.fields.String(required=True, metadata={"enum": list(DESK_LOCALES)})
    category_id = ma.fields.Integer(required=True, allow_none=True)
    section_id = ma.fields.Integer(required=True, allow_none=True)
    status = _status(required=True)
    description = ma.fields.String(
        required=True,
        metadata={"description": "the editor's summary, else the start of the body's text"},
    )
    version = ma.fields.Integer(required=True, metadata={"description": "the newest version"})
    helpful_count = ma.fields.Integer(required=True)
    not_helpful_count = ma.fields.Integer(required=True)
    view_count = ma.fields.Integer(required=True)
    deflection_count = ma.fields.Integer(required=True)
    reply_use_count = ma.fields.Integer(required=True)
    score = ma.fields.Float(
        required=True, metadata={"description": "helpfulness with confidence and use"}
    )
    owner = ma.fields.Nested(
        OwnerSchema,
        required=True,
        allow_none=True,
        metadata={"description": "the agent who answers for it; shown to agents only"},
    )
    published_at = ma.fields.DateTime(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(
        required=True, metadata={"description": "last saved (votes and views are no edit)"}
    )


class ArticleSchema(_ArticleFieldsSchema):
    body = ma.fields.String(required=True, metadata={"description": "Markdown, as written"})
    body_html = ma.fields.String(
        required=True, metadata={"description": "the body rendered and sanitized"}
    )
    translations = ma.fields.List(
        ma.fields.Nested(ArticleLinkSchema), required=True, metadata={"description": "by locale"}
    )
    related = ma.fields.List(
        ma.fields.Nested(ArticleLinkSchema), required=True, metadata={"description": "in order"}
    )
    view_token = view_token_field()


class ArticleListItemSchema(_ArticleFieldsSchema):
    """An article in a list: no body (``GET /kb/articles/{id_or_slug}`` has it)."""

    snippet = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "with q: where the words were found, highlighted with <mark>"},
    )


ArticlePageSchema = page_schema(ArticleListItemSchema, "ArticlePage")


class ArticleQuerySchema(PageArgsSchema):
    q = text(max_length=200, metadata={"description": "words to look for; best match first"})
    locale = _locale()
    category_id = query_id()
    section_id = query_id()
    sort = ma.fields.Enum(
        ArticleSort,
        by_value=True,
        load_default=ArticleSort.SCORE,
        metadata={"description": "score: helpfulness with confidence and use; recent: last saved"},
    )
    status = _status(metadata={"description": "agents only; readers get published articles"})
    visitor_token = text(
        max_length=200,
        metadata={"description": "the widget's visitor (or the X-Visitor-Token header)"},
    )


class ArticleReadQuerySchema(ma.Schema):
    locale = _locale(metadata={"description": "the slug's locale (default: the first that has it)"})
    visitor_token = text(
        max_length=200,
        metadata={"description": "the widget's visitor (or the X-Visitor-Token header)"},
    )


def _related_ids(**kwargs: Any) -> ma.fields.List:
    return ma.fields.List(
        id_field(),
        validate=ma.validate.Length(max=RELATED_MAX),
        metadata={"description": "see also, in order; replaces the list"},
        **kwargs,
    )


class ArticleCreateSchema(ma.Schema):
    title = text(required=True, min_length=1, max_length=TITLE_MAX)
    body = text(required=True, max_length=BODY_MAX, metadata={"description": "Markdown"})
    locale = _locale(required=True)
    status = _status(load_default=ArticleStatus.DRAFT)
    category_id = id_field(allow_none=True)
    section_id = id_field(allow_none=True, metadata={"description": "files it in its category"})
    slug = text(
        min_length=1,
        max_length=SLUG_MAX,
        metadata={"description": "default: from the title, numbered if taken; 409 if taken"},
    )
    description = text(max_length=DESCRIPTION_MAX, allow_none=True)
    translation_of = id_field(
        allow_none=True,
        metadata={"description": "an article this translates; 409 if it has this locale"},
    )
    related_ids = _related_ids(load_default=list)
    owner_id = id_field(allow_none=True, metadata={"description": "default: the author"})


class ArticleUpdateSchema(ma.Schema):
    title = text(min_length=1, max_length=TITLE_MAX)
    body = text(max_length=BODY_MAX, metadata={"description": "Markdown"})
    locale = _locale()
    status = _status(metadata={"description": "published sets published_at; draft clears it"})
    category_id = id_field(allow_none=True)
    section_id = id_field(allow_none=True)
    slug = text(min_length=1, max_length=SLUG_MAX, metadata={"description": "409 if taken"})
    description = text(max_length=DESCRIPTION_MAX, allow_none=True)
    translation_of = id_field(allow_none=True, metadata={"description": "null: stand alone"})
    related_ids = _related_ids()
    owner_id = id_field(allow_none=True)


class BodyRenderSchema(ma.Schema):
    body = text(required=True, max_length=BODY_MAX, metadata={"description": "Markdown"})


class BodyRenderedSchema(ma.Schema):
    body_html = ma.fields.String(required=True)


# -- versions


class VersionSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    status = _status(required=True)
    author = ma.fields.Nested(OwnerSchema, required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)


class VersionDetailSchema(VersionSchema):
    body = ma.fields.String(required=True)
    body_html = ma.fields.Function(version_html, required=True, metadata={"type": "string"})


VersionPageSchema = page_schema(VersionSchema, "ArticleVersionPage")


class DiffQuerySchema(ma.Schema):
    against = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "the version to compare with (default: the one before)"},
    )


class DiffLineSchema(ma.Schema):
    kind = ma.fields.String(
        required=True, metadata={"enum": ["context", "added", "removed", "hunk"]}
    )
    text = ma.fields.String(required=True)


class VersionDiffSchema(ma.Schema):
    from_ = ma.fields.Integer(required=True, data_key="from", attribute="from_number")
    to = ma.fields.Integer(required=True, attribute="to_number")
    title_from = ma.fields.String(required=True)
    title_to = ma.fields.String(required=True)
    unified = ma.fields.String(required=True, metadata={"description": "as diff -u prints it"})
    lines = ma.fields.List(ma.fields.Nested(DiffLineSchema), required=True)


# -- categories and sections

#: a name per desk locale, a field each (``zh-CN`` is a name JSON allows, Python not)
LocaleNamesSchema = ma.Schema.from_dict(
    {locale: text(min_length=1, max_length=200) for locale in DESK_LOCALES}, name="LocaleNames"
)
LocaleDescriptionsSchema = ma.Schema.from_dict(
    {locale: text(max_length=1000) for locale in DESK_LOCALES}, name="LocaleDescriptions"
)


def _some_locale(names: dict[str, str]) -> None:
    if not names:
        raise ma.ValidationError("Give the name in one locale at least.")


def _names(**kwargs: object) -> ma.fields.Nested:
    return ma.fields.Nested(
        LocaleNamesSchema,
        validate=_some_locale,
        metadata={"minProperties": 1, "description": "per locale; replaced whole"},
        **kwargs,  # type: ignore[arg-type]
    )


def _position(**kwargs: Any) -> ma.fields.Integer:
    return ma.fields.Integer(validate=ma.validate.Range(min=0, max=1_000_000), **kwargs)


class SectionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    category_id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True, metadata={"description": "unique in its category"})
    names = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    position = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class CategorySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True)
    names = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    descriptions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    position = ma.fields.Integer(required=True)
    sections = ma.fields.List(
        ma.fields.Nested(SectionSchema), required=True, metadata={"description": "in order"}
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


CategoryPageSchema = page_schema(CategorySchema, "CategoryPage")
SectionPageSchema = page_schema(SectionSchema, "SectionPage")


class SectionQuerySchema(PageArgsSchema):
    category_id = query_id()


class CategoryCreateSchema(ma.Schema):
    names = _names(required=True)
    descriptions = ma.fields.Nested(LocaleDescriptionsSchema)
    slug = text(min_length=1, max_length=SLUG_MAX, metadata={"description": "default: from a name"})
    position = _position(metadata={"description": "default: last"})


class CategoryUpdateSchema(ma.Schema):
    names = _names()
    descriptions = ma.fields.Nested(LocaleDescriptionsSchema)
    slug = text(min_length=1, max_length=SLUG_MAX)
    position = _position()


class SectionCreateSchema(ma.Schema):
    category_id = id_field(required=True)
    names = _names(required=True)
    slug = text(min_length=1, max_length=SLUG_MAX, metadata={"description": "default: from a name"})
    position = _position(metadata={"description": "default: last"})


class SectionUpdateSchema(ma.Schema):
    category_id = id_field(metadata={"description": "moves it, with its articles"})
    names = _names()
    slug = text(min_length=1, max_length=SLUG_MAX)
    position = _position()


# -- images


class ImageSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    url = ma.fields.Function(
        lambda image: f"{IMAGE_PATH}{image.id}",
        required=True,
        metadata={"type": "string", "description": "what the Markdown names: ![alt](url)"},
    )
    filename = ma.fields.String(required=True)
    content_type = ma.fields.String(required=True, metadata={"enum": list(IMAGE_TYPES)})
    size = ma.fields.Integer(required=True)
    article_id = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "the article that shows it"}
    )
    created_at = ma.fields.DateTime(required=True)
