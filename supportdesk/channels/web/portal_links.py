"""The portal's magic links: how a customer proves an e-mail address without a password.

A link is mailed to the address asked for, whoever owns it (or nobody yet), so the
answer never tells whether the desk knows the address. Its token is 256 random bits;
only its SHA-256 is stored. It works once, within ``LIFETIME``: the first use wins a
conditional UPDATE (two tabs, two devices: one signs in, the other is told the link was
used), and opening the link (a GET, which mail scanners such as Outlook's Safe Links
do on their own) uses nothing: only the page's "Sign in" button does.

Using a link proves the address: its owner is the customer with that e-mail identity,
now marked verified; if nobody has it, a new customer holding it as a verified identity.
Never a customer found through a claim (an address typed into a request form).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, select, update

from supportdesk.channels.email.desk_mail import send_desk_mail
from supportdesk.channels.web.models import PortalLink
from supportdesk.core.database import begin_writing
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer

LIFETIME = timedelta(minutes=15)
#: spent links are kept this long after they expire (what a support question may ask
#: about), then deleted when their address asks for a new one
KEPT = timedelta(days=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalized_address(email: str) -> str:
    """The address as identities store it, or ``InvalidInput`` on ``email``."""
    return customers.normalize_identity(IdentityKind.EMAIL, email, "email")


def mail_link(
    session: DbSession, address: str, *, locale: str, link_url: Callable[[str], str]
) -> PortalLink:
    """Make a link for the normalised ``address`` and mail it (in ``locale``, the desk
    mail ``portal_sign_in_link``) once the session commits; ``link_url`` makes the
    link's absolute URL from its token.

    Earlier links of the address keep working until they expire: a reader who asked
    twice may open either mail.
    """
    now = utcnow()
    session.execute(
        delete(PortalLink).where(PortalLink.email == address, PortalLink.expires_at < now - KEPT)
    )
    token = secrets.token_urlsafe(32)
    link = PortalLink(
        token_hash=token_hash(token),
        email=address,
        locale=locale,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    session.add(link)
    session.flush()
    send_desk_mail(  # worded as the admins have it (``desk_mail.templates``)
        session,
        template="portal_sign_in_link",
        locale=locale,
        to_name="",
        to_address=address,
        desk_name=settings().desk_name,
        sign_in_url=link_url(token),
        minutes=str(int(LIFETIME.total_seconds() // 60)),
    )
    return link


def usable_link(session: DbSession, token: str) -> PortalLink | None:
    """The link of ``token`` if it can still sign someone in (it is not used by this)."""
    link = session.scalar(select(PortalLink).where(PortalLink.token_hash == token_hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def use_link(session: DbSession, token: str) -> Customer | None:
    """Spend the link of ``token`` and return the customer it proves, or None when it is
    unknown, expired or used already (by another tab a moment ago, too).

    The UPDATE is the whole check: of two uses at once, the database lets one change
    the row; the other changes nothing and is refused.
    """
    digest = token_hash(token)
    now = utcnow()
    begin_writing(session)
    spent = session.execute(
        update(PortalLink)
        .where(
            PortalLink.token_hash == digest,
            PortalLink.used_at.is_(None),
            PortalLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return None
    link = session.scalars(select(PortalLink).where(PortalLink.token_hash == digest)).one()
    customer = proven_customer(session, link.email, link.locale)
    link.customer_id = customer.id
    session.flush()
    return customer


def proven_customer(session: DbSession, address: str, locale: str | None) -> Customer:
    """The owner of the proven ``address`` (its identity now verified), or a new customer
    holding it (two first sign-ins of one new address at once find one winner)."""
    customer = customers.find_or_create_customer(session, email=address, locale_from=lambda: locale)
    for identity in customer.identities:
        if identity.kind is IdentityKind.EMAIL and identity.value == address:
            identity.verified = True
    session.flush()
    return customer
