"""The help center's pages at ``/help`` (CONTRACT section 5): server-rendered, readable
without JavaScript and indexable (titles, descriptions, canonical links, ``hreflang``
between an article's published translations, a sitemap); ``static/help.js`` only adds
search-as-you-type and voting in place.

Each page is in one desk locale (``/help/<locale>/...``); ``/help`` sends the reader to
their browser's. Readers see published articles only: a draft answers 404. Pages spend the
caller's default rate limit like every route; votes and requests have their own.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from supportdesk.channels.web import help_center
from supportdesk.channels.web.words import t
from supportdesk.core.errors import NotFound
from supportdesk.core.settings import settings
from supportdesk.customers.language import DESK_LOCALES, desk_locale
from supportdesk.extensions import db, limiter
from supportdesk.knowledge import activity, articles, categories, deflection, feedback, voters
from supportdesk.knowledge.models import Article, KbSurface

pages = Blueprint(
    "help_center",
    __name__,
    url_prefix="/help",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

#: Open Graph's names of the desk locales
OG_LOCALES = {"en": "en_US", "zh-CN": "zh_CN"}


def reader_locale() -> str:
    """The desk locale the reader's browser asks for first, else the desk's first."""
    best = request.accept_languages.best_match(DESK_LOCALES)
    return desk_locale(best) or DESK_LOCALES[0]


def checked_locale(locale: str) -> str:
    if locale not in DESK_LOCALES:
        raise NotFound(f"The help center has no {locale!r} pages.")
    return locale


def article_url(article: Article, **kwargs: Any) -> str:
    return url_for("help_center.article_page", locale=article.locale, slug=article.slug, **kwargs)


def page(template: str, locale: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """A page in ``locale``: every template gets ``t`` (its words) and the language switch
    (``switch``: locale -> the same page in that locale, set by the page or its home)."""
    switch = {loc: url_for("help_center.home", locale=loc) for loc in DESK_LOCALES}
    switch.update(context.pop("switch", {}))
    return render_template(
        template,
        locale=locale,
        t=partial(t, locale),
        switch=switch,
        og_locale=OG_LOCALES.get(locale, locale),
        locale_names={loc: t(loc, "language_name") for loc in DESK_LOCALES},
        **context,
    ), status


@pages.after_request
def name_the_browser(response: Response) -> Response:
    """Every page gives a browser without the reader cookie one (``voters``): what it
    searches and reads from its next page on is kept for the request it may file.
    Requests that came without the cookie (the first page, crawlers) record nothing."""
    if request.endpoint != "help_center.static" and response.mimetype == "text/html":
        voters.remember_browser(response)
    return response


@pages.errorhandler(NotFound)
def not_found(error: NotFound) -> tuple[str, int]:
    locale = request.view_args.get("locale") if request.view_args else None
    locale = locale if locale in DESK_LOCALES else reader_locale()
    return page("help/not_found.html", locale, 404)


@pages.get("/<path:rest>")
def nowhere(rest: str) -> WerkzeugResponse:
    """Any other address under /help: see ``in_readers_language``."""
    return in_readers_language(rest)


def in_readers_language(rest: str) -> WerkzeugResponse:
    """A page's address written without its locale (``/help/portal``,
    ``/help/search?q=``) goes to that page in the reader's language, as ``/help`` does;
    anything else is the help center's own 404 page, not the API's."""
    if rest.partition("/")[0] not in DESK_LOCALES:
        localized = f"{pages.url_prefix}/{reader_locale()}/{rest.rstrip('/')}"
        if _is_a_page(localized):
            query = request.query_string.decode()
            response = redirect(f"{localized}?{query}" if query else localized)
            response.headers["Vary"] = "Accept-Language"
            return response
    raise NotFound(f"No help center page {rest!r}.")


def _is_a_page(path: str) -> bool:
    try:
        endpoint, _ = current_app.url_map.bind("desk").match(path, method="GET")
    except HTTPException:  # no such page (or only with a slash added: not one of ours)
        return False
    return endpoint != "help_center.nowhere"


@pages.get("")
@pages.get("/")
def start() -> WerkzeugResponse:
    """The reader's language's home."""
    response = redirect(url_for("help_center.home", locale=reader_locale()))
    response.headers["Vary"] = "Accept-Language"
    return response


@pages.get("/<locale>/")
def home(locale: str) -> tuple[str, int] | WerkzeugResponse:
    if locale not in DESK_LOCALES:  # /help/portal, which Werkzeug sent here with a slash
        return in_readers_language(locale)
    return page(
        "help/home.html",
        locale,
        top=help_center.top_articles(db.session, locale),
        shelves=help_center.all_categories(db.session),
        alternates={loc: url_for("help_center.home", locale=loc) for loc in DESK_LOCALES},
    )


@pages.get("/<locale>/categories/<slug>")
def category_page(locale: str, slug: str) -> tuple[str, int]:
    locale = checked_locale(locale)
    category = help_center.category_by_slug(db.session, slug)
    switch = {
        loc: url_for("help_center.category_page", locale=loc, slug=slug) for loc in DESK_LOCALES
    }
    return page(
        "help/category.html",
        locale,
        category=category,
        shelves=help_center.shelves(db.session, category, locale),
        switch=switch,
        alternates=switch,
    )


@pages.get("/<locale>/articles/<slug>")
def article_page(locale: str, slug: str) -> WerkzeugResponse | tuple[str, int]:
    locale = checked_locale(locale)
    found = articles.find_article(db.session, slug, agent=False, locale=locale)
    if (found.locale, found.slug) != (locale, slug):  # by id, or another locale's slug
        return redirect(article_url(found), code=301)
    view = articles.read_article(db.session, str(found.id), agent=False)
    article = view.article
    voter = voters.request_reader(db.session, None)
    if voter is not None:  # a reader the desk knows (its cookie came back, a sign-in)
        activity.record_view(db.session, voter, article, surface=KbSurface.HELP_CENTER)
        if (suggestion := request.args.get("suggestion", "")).isdigit():
            deflection.record_opened(db.session, voter, int(suggestion[:10]), article.id)
    db.session.commit()  # the view counts
    answer = feedback.feedback_of(db.session, article.id, voter)
    category = (
        categories.get_category(db.session, article.category_id) if article.category_id else None
    )
    versions = {a.locale: article_url(a) for a in [article, *view.translations]}
    return page(
        "help/article.html",
        locale,
        view=view,
        article=article,
        category=category,
        answer=answer,
        view_token=feedback.page_view_token(article.id),
        alternates=versions if len(versions) > 1 else {},
        switch=versions,
        request_url=url_for("help_center.new_request", article_id=article.id, locale=locale),
    )


@pages.post("/<locale>/articles/<slug>/feedback")
@limiter.limit(lambda: settings().kb_vote_rate_limit, key_func=get_remote_address)
def vote_on_article(locale: str, slug: str) -> WerkzeugResponse:
    """The rating form without JavaScript: vote, then back to the article's answer."""
    locale = checked_locale(locale)
    article = articles.find_article(db.session, slug, agent=False, locale=locale)
    helpful = request.form.get("helpful") == "yes"
    comment = None if helpful else request.form.get("comment", "")[: feedback.COMMENT_MAX]
    voter = voters.request_voter(db.session, None) or voters.cookie_voter()
    if not request.form.get("website"):
        feedback.vote(
            db.session,
            article.id,
            voter,
            helpful=helpful,
            comment=comment,
            view_token=request.form.get("view_token"),
        )
        activity.record_rating(
            db.session,
            voter,
            article,
            helpful=helpful,
            surface=KbSurface.HELP_CENTER,
            comment=comment,
        )
        db.session.commit()
    # the app's own response class (Flask's redirect makes one, typed as Werkzeug's)
    response = cast(Response, redirect(article_url(article, _anchor="feedback"), code=303))
    voters.remember(response, voter)
    return response


@pages.get("/<locale>/search")
def search_page(locale: str) -> tuple[str, int]:
    locale = checked_locale(locale)
    q = request.args.get("q", "").strip()[:200]
    results = help_center.search_results(db.session, q, locale) if q else []
    if q and (reader := voters.request_reader(db.session, None)) is not None:
        activity.record_search(
            db.session, reader, q, len(results), surface=KbSurface.HELP_CENTER, locale=locale
        )
        db.session.commit()
    switch = {
        loc: url_for("help_center.search_page", locale=loc, q=q or None) for loc in DESK_LOCALES
    }
    return page(
        "help/search.html",
        locale,
        q=q,
        results=results,
        switch=switch,
        request_url=url_for("help_center.new_request", locale=locale, subject=q or None),
    )


@pages.get("/sitemap.xml")
def sitemap() -> Response:
    body = render_template("help/sitemap.xml", entries=help_center.sitemap_entries(db.session),
                           article_url=article_url, locales=DESK_LOCALES)  # fmt: skip
    return Response(body, mimetype="application/xml")


def robots() -> Response:
    """Crawlers may read the help center (not its search results), and nothing else."""
    lines = [
        "User-agent: *",
        "Allow: /help/",
        "Disallow: /help/*/search",
        "Disallow: /help/requests/",
        "Disallow: /",
        f"Sitemap: {url_for('help_center.sitemap', _external=True)}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
