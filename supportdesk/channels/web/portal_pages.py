"""The signed-in customer's pages: "My requests", one request with its conversation and a
reply form, and the files of their messages.

Signed out, each page sends the reader to the sign-in page, which brings them back to it.
Signed in, anything that is
not the customer's answers the help center's 404, as what does not exist does: no
page says another customer's ticket is there. Replies are budgeted per customer
(``SUPPORTDESK_PORTAL_REPLY_RATE_LIMIT``) and carry the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, redirect, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from supportdesk.channels.web import portal_tickets, requests
from supportdesk.channels.web.pages import checked_locale, pages, reader_locale
from supportdesk.channels.web.portal_sign_in import (
    csrf_valid,
    private_page,
    remember_return_to,
    switch_to,
)
from supportdesk.channels.web.request_pages import file_limits
from supportdesk.core.downloads import download
from supportdesk.core.errors import InvalidInput, TooManyRequests
from supportdesk.core.pagination import PageRequest
from supportdesk.core.settings import settings
from supportdesk.core.sockets import throttle
from supportdesk.core.text import text_to_html
from supportdesk.customers import sessions
from supportdesk.customers.models import Customer
from supportdesk.extensions import db
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.status import Status

View = Callable[..., Response | WerkzeugResponse]


def customer_required(view: View) -> View:
    """The view gets the signed-in customer (``customer``); signed out, the sign-in page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response | WerkzeugResponse:
        locale = kwargs.get("locale")
        customer = sessions.signed_in_customer(db.session)
        if customer is None:
            return to_sign_in(checked_locale(locale or "en"))
        return view(*args, customer=customer, **kwargs)

    return wrapper


def to_sign_in(locale: str) -> WerkzeugResponse:
    """The sign-in page, which brings the reader back to this page once signed in (a
    form posted signed out comes back to its page)."""
    remember_return_to(request.full_path.rstrip("?") if request.method == "GET" else request.path)
    return redirect(url_for("help_center.portal_start", locale=locale), code=303)


@pages.get("/<locale>/portal/requests")
@customer_required
def portal_requests(locale: str, customer: Customer) -> Response | WerkzeugResponse:
    locale = checked_locale(locale)
    cursor = request.args.get("cursor") or None
    try:
        page = portal_tickets.requests_page(
            db.session, customer, PageRequest(portal_tickets.PAGE_SIZE, cursor)
        )
    except InvalidInput:  # a cursor the desk never gave out: the first page
        return redirect(url_for("help_center.portal_requests", locale=locale), code=303)
    return private_page(
        "help/portal_requests.html",
        locale,
        customer=customer,
        tickets=page.items,
        next_cursor=page.next_cursor,
        paged=cursor is not None,
        switch=switch_to("help_center.portal_requests"),
    )


def _ticket_page(
    locale: str,
    customer: Customer,
    ticket: Ticket,
    status: int = 200,
    *,
    body: str = "",
    error: str | None = None,
) -> Response:
    return private_page(
        "help/portal_request.html",
        locale,
        status,
        customer=customer,
        ticket=ticket,
        entries=portal_tickets.conversation(db.session, ticket),
        html=text_to_html,
        body=body,
        error=error,
        sent=request.args.get("sent") == "1",
        reopens=ticket.status is Status.SOLVED,
        follows_up=ticket.status is Status.CLOSED,
        file_limits=file_limits(),
        switch=switch_to("help_center.portal_request", ticket_id=ticket.id),
    )


@pages.get("/<locale>/portal/requests/<id:ticket_id>")
@customer_required
def portal_request(locale: str, ticket_id: int, customer: Customer) -> Response | WerkzeugResponse:
    locale = checked_locale(locale)
    ticket = portal_tickets.customer_ticket(db.session, customer, ticket_id)
    if ticket.merged_into_id is not None:  # the conversation goes on there
        target = url_for(
            "help_center.portal_request", locale=locale, ticket_id=ticket.merged_into_id
        )
        return redirect(target, code=301)
    return _ticket_page(locale, customer, ticket)


@pages.post("/<locale>/portal/requests/<id:ticket_id>")
@customer_required
def portal_reply(locale: str, ticket_id: int, customer: Customer) -> Response | WerkzeugResponse:
    """Reply on the request; back to its page (a closed one's follow-up's), at the reply."""
    locale = checked_locale(locale)
    ticket = portal_tickets.customer_ticket(db.session, customer, ticket_id)
    body = request.form.get("body", "")[: requests.BODY_MAX + 1]
    if not csrf_valid():
        return _ticket_page(
            locale, customer, ticket, 400, body=body, error="portal_session_changed"
        )
    try:
        throttle(settings().portal_reply_rate_limit, "portal-reply", customer.id)
        files = [
            requests.RequestFile(file.filename, file.mimetype, file.read())
            for file in request.files.getlist("files")
            if file.filename
        ]
        message = portal_tickets.reply(db.session, customer, ticket, body, files)
    except TooManyRequests:
        return _ticket_page(locale, customer, ticket, 429, body=body, error="too_fast")
    except InvalidInput as error:
        db.session.rollback()
        key = "files_invalid" if "files" in (error.errors or {}) else "required"
        return _ticket_page(locale, customer, ticket, 422, body=body, error=key)
    db.session.commit()
    target = url_for(
        "help_center.portal_request",
        locale=locale,
        ticket_id=message.ticket_id,
        sent=1,
        _anchor=f"message-{message.id}",
    )
    return redirect(target, code=303)


@pages.get("/portal/attachments/<id:attachment_id>")
def portal_attachment(attachment_id: int) -> Response | WerkzeugResponse:
    """A file of the customer's requests: always a download (``core.downloads``)."""
    customer = sessions.signed_in_customer(db.session)
    if customer is None:
        return to_sign_in(reader_locale())
    attachment = portal_tickets.customer_attachment(db.session, customer, attachment_id)
    response = download(attachment.data, attachment.content_type, attachment.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
