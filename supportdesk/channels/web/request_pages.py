"""The request form (``/help/requests/new``) and its confirmation, without JavaScript.

The form posts here and the same rules as ``POST /portal/tickets`` apply (its schema, its
rate limit, the honeypot, ``requests.file_request``); a refusal shows the form again with
each field's error. While the reader types the subject, ``help.js`` suggests articles.
"""

from __future__ import annotations

import re
from typing import Any

from flask import redirect, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as WerkzeugResponse

from supportdesk.channels.web import requests
from supportdesk.channels.web.api import request_limit
from supportdesk.channels.web.pages import page, pages, reader_locale
from supportdesk.channels.web.portal_sign_in import csrf_valid
from supportdesk.channels.web.schemas import PortalTicketCreateSchema
from supportdesk.channels.web.words import t
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.customers.sessions import signed_in_customer
from supportdesk.extensions import db
from supportdesk.knowledge import feedback, voters
from supportdesk.knowledge.articles import find_article
from supportdesk.knowledge.models import Article
from supportdesk.tickets import refs

FIELDS = ("name", "email", "subject", "body")
REF = re.compile(refs.REF)


def _locale() -> str:
    given = request.values.get("locale")
    return given if given in DESK_LOCALES else reader_locale()


def _locale_of_url() -> str:
    """The locale without reading the body (which may be what is refused)."""
    given = request.args.get("locale")
    return given if given in DESK_LOCALES else reader_locale()


def _article(article_id: Any) -> Article | None:
    """The published article the reader came from (none for anything else)."""
    if not (isinstance(article_id, str) and article_id.isascii() and article_id.isdigit()):
        return None
    try:
        return find_article(db.session, article_id, agent=False)
    except NotFound:
        return None


def _form_page(
    locale: str,
    form: dict[str, str],
    article: Article | None,
    errors: dict[str, list[str]],
    status: int | None = None,
) -> tuple[str, int]:
    """The form; for the portal's signed-in customer without their name and address
    (theirs, proven), and its suggestions counted as the portal's."""
    article_id = article.id if article else None
    switch = {
        loc: url_for("help_center.new_request", locale=loc, article_id=article_id)
        for loc in DESK_LOCALES
    }
    return page(
        "help/request_form.html",
        locale,
        status or (422 if errors else 200),
        form=form,
        article=article,
        errors=errors,
        switch=switch,
        file_limits=file_limits(),
        signed_in=signed_in_customer(db.session),
    )


@pages.get("/requests/new")
def new_request() -> tuple[str, int]:
    """The form, the subject and description prefilled from the article the reader
    found unhelpful (its title; the comment of their No)."""
    locale = _locale()
    article = _article(request.args.get("article_id"))
    # only the subject comes from the address (a search's words): a link that filled in
    # someone's e-mail address for them would send their answer elsewhere
    form = dict.fromkeys(FIELDS, "") | {"subject": request.args.get("subject", "")[:300]}
    if article is not None:
        form["subject"] = form["subject"] or t(locale, "request_subject_about", title=article.title)
        voter = voters.request_voter(db.session, None)
        vote = feedback.vote_of(db.session, article.id, voter) if voter else None
        if vote is not None and not vote.helpful and vote.comment:
            form["body"] = form["body"] or vote.comment
    return _form_page(locale, form, article, {})


@pages.post("/requests/new")
@request_limit
def send_request() -> WerkzeugResponse | tuple[str, int]:
    locale = _locale()
    form = {name: request.form.get(name, "") for name in FIELDS}
    article = _article(request.form.get("article_id"))
    if request.form.get("website"):
        ref = requests.trap_ref(db.session)
        return redirect(url_for("help_center.request_sent", ref=ref, locale=locale), code=303)
    customer = signed_in_customer(db.session)
    if customer is not None:  # the portal's: their own name and proven address
        if not csrf_valid():  # (signed in or out in another tab since the form was shown)
            errors = {"body": [t(locale, "portal_session_changed")]}
            return _form_page(locale, form, article, errors, status=400)
        form |= {"name": customer.name, "email": next(iter(customer.emails), form["email"])}
    try:
        fields = PortalTicketCreateSchema().load(
            {**form, "article_id": article.id if article else None, "locale": locale}
        )
        filed = requests.file_request(
            db.session,
            voter=voters.request_voter(db.session, None),
            files=_files(),
            customer=customer,
            **fields,
        )
    except ValidationError as error:
        return _form_page(locale, form, article, _errors(locale, error.normalized_messages()))
    except InvalidInput as error:
        return _form_page(locale, form, article, _errors(locale, error.errors or {}))
    db.session.commit()
    ref = filed.ticket.ref
    return redirect(url_for("help_center.request_sent", ref=ref, locale=locale), code=303)


def _files() -> list[requests.RequestFile]:
    """The files the form carried (a file input left empty sends one with no name)."""
    return [
        requests.RequestFile(file.filename, file.mimetype, file.read())
        for file in request.files.getlist("files")
        if file.filename
    ]


#: what each refused field is told, in the reader's language
_FIELD_WORDS = {"email": "email_invalid", "files": "files_invalid"}


def _errors(locale: str, problems: Any) -> dict[str, list[str]]:
    """Each refused field's message in the reader's language."""
    known = (*FIELDS, "files")
    fields = [key for key in problems if key in known] if isinstance(problems, dict) else []
    return {
        key: [t(locale, _FIELD_WORDS.get(key, "required"), **file_limits())]
        for key in fields or ["body"]
    }


def file_limits() -> dict[str, Any]:
    """How many files, how large in all (the request's own size limit), for the words."""
    limit = request.max_content_length or 0
    size = f"{limit / 1024 / 1024:.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return {"count": requests.MAX_FILES, "size": size}


@pages.errorhandler(RequestEntityTooLarge)
def too_large(_: RequestEntityTooLarge) -> tuple[str, int]:
    """Files past the request's size limit: the form again (empty: the browser's request
    was not read), saying why."""
    locale = _locale_of_url()
    form = dict.fromkeys(FIELDS, "")
    errors = {"files": [t(locale, "files_invalid", **file_limits())]}
    return _form_page(locale, form, None, errors, status=413)


@pages.get("/requests/sent")
def request_sent() -> tuple[str, int]:
    """The confirmation: only the ref the address carries (a ref, or nothing), nothing
    of the request."""
    ref = request.args.get("ref", "").strip()
    return page("help/request_sent.html", _locale(), ref=ref if REF.fullmatch(ref) else None)
