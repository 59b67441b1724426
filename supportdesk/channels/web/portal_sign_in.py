"""The portal's sign-in pages: ask for a magic link, open it, press "Sign in", sign out.

- ``/help/<locale>/portal``: the address form. Its answer is always "check your inbox"
  (the same words, the same mail sent, known address or not); links are budgeted per
  address (``SUPPORTDESK_PORTAL_LINK_RATE_LIMIT``: past it nothing more is sent, and
  the reader is told the same) and per client address
  (``SUPPORTDESK_PORTAL_LINK_CLIENT_RATE_LIMIT``: past it the reader is told to wait).
  A form that fills in the hidden ``website`` field (a bot) is answered alike and
  mails nobody.
- ``/help/<locale>/portal/sign-in/<token>``: what the mailed link opens. A GET only
  shows a "Sign in" button (mail scanners open links on their own); its POST, with the
  session's CSRF token (no other site can sign a reader in as someone else), spends
  the link (``portal_links.use_link``) and signs the browser in, on the portal page it
  was sent away from (``remember_return_to``; the portal's requests else).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, make_response, redirect, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response as WerkzeugResponse

from supportdesk.channels.web import portal_links
from supportdesk.channels.web.pages import checked_locale, page, pages
from supportdesk.core.errors import InvalidInput, TooManyRequests
from supportdesk.core.settings import settings
from supportdesk.core.sockets import throttle
from supportdesk.customers import sessions
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.extensions import csrf, db
from supportdesk.knowledge import activity, voters

#: the session key of the address the last link went to (for "check your inbox")
SENT_TO = "portal_link_sent_to"
#: the session key of the portal page a signed-out reader asked for (``remember_return_to``)
RETURN_TO = "portal_return_to"
#: the longest page address kept for after the sign-in
RETURN_TO_MAX = 2000
#: longer than any token the desk makes: not worth a query
TOKEN_MAX = 100
MINUTES = int(portal_links.LIFETIME.total_seconds() // 60)


@pages.context_processor
def portal_header() -> dict[str, Any]:
    """Whether the header offers "Sign in" or "My requests" (no query: the id suffices)."""
    return {"portal_signed_in": sessions.signed_in_customer_id() is not None}


def private_page(template: str, locale: str, status: int = 200, **context: Any) -> Response:
    """A page about one reader: never cached, never indexed; the address of a link page
    goes to no other site as a referrer."""
    response = make_response(page(template, locale, status, **context))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def switch_to(endpoint: str, **values: Any) -> dict[str, str]:
    """The language switch: the same page in each locale."""
    return {loc: url_for(endpoint, locale=loc, **values) for loc in DESK_LOCALES}


def csrf_valid() -> bool:
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


def same_site_path(target: object) -> str | None:
    """``target`` if it is a help center path on this site, else None. Where a reader
    lands once signed in must never be another site (an open redirect would lend it the
    desk's name): not ``//evil.example`` or ``https://evil.example``, nor ``/\\evil``
    (browsers read a backslash as a slash), nor anything with control characters."""
    if not isinstance(target, str) or len(target) > RETURN_TO_MAX:
        return None
    if not target.startswith("/help/") or "\\" in target:
        return None
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return target if not (parts.scheme or parts.netloc) else None


def remember_return_to(path: str) -> None:
    """Keep, in this browser's session, the page it asked for signed out: the sign-in
    link it is mailed brings it back there (the target is never in a URL: the link's
    address cannot be made to send the reader elsewhere)."""
    if (target := same_site_path(path)) is not None:
        session[RETURN_TO] = target


def sign_in_form(
    locale: str, status: int = 200, *, email: str = "", error: str | None = None, **context: Any
) -> Response:
    return private_page(
        "help/portal_sign_in.html",
        locale,
        status,
        email=email,
        error=error,
        minutes=MINUTES,
        switch=switch_to("help_center.portal_start"),
        **context,
    )


@pages.get("/<locale>/portal")
def portal_start(locale: str) -> Response | WerkzeugResponse:
    """Signed in: the reader's requests; else the form asking for their address."""
    locale = checked_locale(locale)
    if sessions.signed_in_customer(db.session) is not None:
        return redirect(url_for("help_center.portal_requests", locale=locale), code=303)
    return sign_in_form(locale, signed_out=request.args.get("signed_out") == "1")


@pages.post("/<locale>/portal")
def portal_send_link(locale: str) -> Response | WerkzeugResponse:
    locale = checked_locale(locale)
    given = request.form.get("email", "")[:320]
    sent = redirect(url_for("help_center.portal_link_sent", locale=locale), code=303)
    try:
        throttle(
            settings().portal_link_client_rate_limit,
            "portal-link-client",
            get_remote_address() or "unknown",
        )
    except TooManyRequests as error:
        too_fast = sign_in_form(locale, 429, email=given, error="portal_too_fast")
        too_fast.headers["Retry-After"] = str(error.extra.get("retry_after", 60))
        return too_fast
    if request.form.get("website"):
        return sent
    try:
        address = portal_links.normalized_address(given)
    except InvalidInput:
        return sign_in_form(locale, 422, email=given, error="email_invalid")
    try:
        throttle(settings().portal_link_rate_limit, "portal-link-address", address)
    except TooManyRequests:
        pass  # enough links went to that inbox: the same answer, no more mail
    else:
        portal_links.mail_link(
            db.session,
            address,
            locale=locale,
            link_url=lambda token: _absolute(
                url_for("help_center.portal_confirm", locale=locale, token=token)
            ),
        )
        db.session.commit()
    session[SENT_TO] = address
    return sent


def _absolute(path: str) -> str:
    """``path`` on the desk's public address (``SUPPORTDESK_PUBLIC_URL``), never on a Host
    header alone where one is set: a forged one would send the link to another site."""
    return (settings().public_url or request.host_url).rstrip("/") + path


@pages.get("/<locale>/portal/sent")
def portal_link_sent(locale: str) -> Response:
    locale = checked_locale(locale)
    address = session.get(SENT_TO)
    return private_page(
        "help/portal_sent.html",
        locale,
        email=address if isinstance(address, str) else None,
        minutes=MINUTES,
        switch=switch_to("help_center.portal_link_sent"),
    )


def _link_used(locale: str) -> Response:
    return sign_in_form(locale, 410, link_used=True)


@pages.get("/<locale>/portal/sign-in/<token>")
def portal_confirm(locale: str, token: str) -> Response:
    """The page the mailed link opens: it spends nothing (a scanner may be opening it)."""
    locale = checked_locale(locale)
    link = portal_links.usable_link(db.session, token) if len(token) <= TOKEN_MAX else None
    if link is None:
        return _link_used(locale)
    return private_page(
        "help/portal_confirm.html",
        locale,
        email=link.email,
        token=token,
        again=False,
        switch=switch_to("help_center.portal_confirm", token=token),
    )


@pages.post("/<locale>/portal/sign-in/<token>")
def portal_use_link(locale: str, token: str) -> Response | WerkzeugResponse:
    """Spend the link and sign in. A POST without this browser's CSRF token spends
    nothing: a browser signed in meanwhile (another tab) goes to its requests, another
    is shown the button again."""
    locale = checked_locale(locale)
    if not csrf_valid():
        if sessions.signed_in_customer_id() is not None:
            return redirect(url_for("help_center.portal_requests", locale=locale), code=303)
        link = portal_links.usable_link(db.session, token) if len(token) <= TOKEN_MAX else None
        if link is None:
            return _link_used(locale)
        return private_page(
            "help/portal_confirm.html",
            locale,
            400,
            email=link.email,
            token=token,
            again=True,
            switch=switch_to("help_center.portal_confirm", token=token),
        )
    customer = portal_links.use_link(db.session, token) if len(token) <= TOKEN_MAX else None
    if customer is None:
        db.session.rollback()
        return _link_used(locale)
    if (browser := voters.browser_reader()) is not None:  # what this browser read before joins
        activity.join_reader(db.session, browser.key, customer.id)
    db.session.commit()
    target = same_site_path(session.pop(RETURN_TO, None))  # before the fresh session
    sessions.sign_in(customer)
    return redirect(target or url_for("help_center.portal_requests", locale=locale), code=303)


@pages.post("/portal/sign-out")
def portal_sign_out() -> WerkzeugResponse:
    given = request.form.get("locale")
    locale = given if given in DESK_LOCALES else DESK_LOCALES[0]
    if csrf_valid():
        sessions.sign_out()
        return redirect(url_for("help_center.portal_start", locale=locale, signed_out=1), code=303)
    return redirect(url_for("help_center.portal_start", locale=locale), code=303)
