"""Customer operations: create, find by any identity, update, merge."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from typing import Any

from sqlalchemy import Connection, Select, bindparam, event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.core.database import get_or_not_found, savepoint, session_of
from supportdesk.core.errors import Conflict, InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.queued_writes import write_later
from supportdesk.core.settings import settings
from supportdesk.customers.identities import (
    IdentityKind,
    normalize_email,
    normalize_locale,
    normalize_phone,
)
from supportdesk.customers.models import Customer, Identity
from supportdesk.customers.signals import customers_merged
from supportdesk.search import service as search
from supportdesk.users.models import User

_NAME_BY_ID = "supportdesk.customers.name_by_id"
_RENAME = (
    update(Customer).where(Customer.id == bindparam("customer_id")).values(name=bindparam("name"))
)


def normalize_identity(kind: IdentityKind, value: str, field: str | None = None) -> str:
    field = field or kind.value
    if kind is IdentityKind.EMAIL:
        return normalize_email(value, field)
    if kind is IdentityKind.PHONE:
        return normalize_phone(value, settings().default_phone_region, field)
    value = value.strip()
    if not value or len(value) > 320:
        raise InvalidInput.field(field, "Must be 1 to 320 characters.")
    return value


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput.field("name", "Must not be blank.")
    return cleaned


def find_by_identity(session: DbSession, kind: IdentityKind, value: str) -> Customer | None:
    return _owner(session, kind, normalize_identity(kind, value))


#: built once: every inbound message and every ticket an integrator opens asks it
_OWNER = (
    select(Customer)
    .join(Identity)
    .where(Identity.kind == bindparam("kind"), Identity.value == bindparam("value"))
)


def _owner(session: DbSession, kind: IdentityKind, normalized: str) -> Customer | None:
    """One indexed lookup on (kind, value)."""
    return session.scalar(_OWNER, {"kind": kind, "value": normalized})


def get_customer(session: DbSession, customer_id: int) -> Customer:
    customer = get_or_not_found(session, Customer, customer_id, "customer")
    if customer.merged_into_id is not None:
        raise NotFound(
            f"Customer {customer_id} was merged into customer {customer.merged_into_id}.",
            merged_into=customer.merged_into_id,
        )
    return customer


def _replace_identities(
    session: DbSession, customer: Customer, kind: IdentityKind, values: Iterable[str], field: str
) -> None:
    wanted: list[str] = []
    for index, raw in enumerate(values):
        value = normalize_identity(
            kind, raw, f"{field}.{index}" if field != "external_id" else field
        )
        if value not in wanted:
            wanted.append(value)
    if not wanted and all(i.kind != kind for i in customer.identities):
        return  # nothing to add, nothing to take away
    for value in wanted:
        owner = session.scalar(
            select(Identity.customer_id).where(Identity.kind == kind, Identity.value == value)
        )
        if owner is not None and owner != customer.id:
            raise Conflict(
                f"{value} already belongs to customer {owner}.",
                errors={field: [f"{value} already belongs to customer {owner}."]},
                customer_id=owner,
            )
    kept = [i for i in customer.identities if i.kind != kind or i.value in wanted]
    present = {i.value for i in kept if i.kind == kind}
    customer.identities = kept + [Identity(kind=kind, value=v) for v in wanted if v not in present]
    session.flush()


def create_customer(
    session: DbSession,
    *,
    name: str,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    external_id: str | None = None,
    locale: str | None = None,
    name_by_id: Callable[[int], str] | None = None,
) -> Customer:
    """A new customer, flushed. ``name_by_id`` names it by the id its INSERT gives
    (a widget's "Visitor 17"; ``name`` is the placeholder stored first)."""
    customer = _new_customer(name, locale, name_by_id)
    session.add(customer)
    session.flush()
    _replace_identities(session, customer, IdentityKind.EMAIL, emails, "emails")
    _replace_identities(session, customer, IdentityKind.PHONE, phones, "phones")
    if external_id:
        _replace_identities(session, customer, IdentityKind.EXTERNAL, [external_id], "external_id")
    return customer


def create_customers_without_identities(
    session: DbSession,
    locales: Sequence[str | None],
    *,
    name: str,
    name_by_id: Callable[[int], str] | None = None,
) -> list[Customer]:
    """``create_customer`` for each of ``locales``, in one flush: a chat batch makes a
    customer for every visitor writing for the first time, and a flush each was a fifth
    of what their first messages cost."""
    made = [_new_customer(name, locale, name_by_id) for locale in locales]
    session.add_all(made)
    session.flush()
    return made


def _new_customer(
    name: str, locale: str | None, name_by_id: Callable[[int], str] | None
) -> Customer:
    customer = Customer(
        name=_clean_name(name),
        locale=normalize_locale(locale) if locale else None,
        identities=[],  # known to be none yet: no query to find that out
    )
    if name_by_id is not None:
        inspect(customer).info[_NAME_BY_ID] = name_by_id
    return customer


@event.listens_for(Customer, "after_insert")
def _name_by_id(_mapper: Any, _connection: Connection, customer: Customer) -> None:
    """Within the INSERT's own flush, so that the flush's listeners (the customer's
    search document) see the final name: renamed in a flush of its own, the customer
    cost an UPDATE through the unit of work and a rewrite of that document read back
    from the database, a quarter of a widget visitor's first message. The renames of
    one flush go out together (``write_later``)."""
    name_of: Callable[[int], str] | None = inspect(customer).info.pop(_NAME_BY_ID, None)
    if name_of is not None:
        name = _clean_name(name_of(customer.id))
        write_later(session_of(customer), _RENAME, {"customer_id": customer.id, "name": name})
        set_committed_value(customer, "name", name)


def update_customer(session: DbSession, customer: Customer, **changes: object) -> Customer:
    """Apply the fields given; list fields replace the customer's whole list."""
    if "name" in changes:
        customer.name = _clean_name(str(changes["name"]))
    if "locale" in changes:
        locale = changes["locale"]
        customer.locale = normalize_locale(str(locale)) if locale else None
    if "emails" in changes:
        emails = changes["emails"] or []
        _replace_identities(session, customer, IdentityKind.EMAIL, emails, "emails")  # type: ignore[arg-type]
    if "phones" in changes:
        phones = changes["phones"] or []
        _replace_identities(session, customer, IdentityKind.PHONE, phones, "phones")  # type: ignore[arg-type]
    if "external_id" in changes:
        external = changes["external_id"]
        values = [str(external)] if external else []
        _replace_identities(session, customer, IdentityKind.EXTERNAL, values, "external_id")
    session.flush()
    return customer


def find_or_create_customer(
    session: DbSession,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    locale_from: Callable[[], str | None] | None = None,
) -> Customer:
    """The customer who owns ``email`` (then ``phone``), or a new one with both.

    ``locale_from`` tells a new customer's locale (see ``customers.language``); it is
    called only when one is made, so what it costs (detecting a language) is paid once.

    Inbound mail and calls come here once per message, so a new customer costs one
    INSERT per row: the lookups just showed the identities belong to nobody. Two
    messages from a new sender at once both see nobody; the unique index on identities
    lets one insert win, and the other (in a SAVEPOINT) looks again and finds the winner.
    """
    fresh: list[Identity] = []
    for kind, value in ((IdentityKind.EMAIL, email), (IdentityKind.PHONE, phone)):
        if value:
            normalized = normalize_identity(kind, value)
            customer = _owner(session, kind, normalized)
            if customer is not None:
                return customer
            fresh.append(Identity(kind=kind, value=normalized))
    if not fresh and not name:
        raise InvalidInput.field("customer", "Give the customer's e-mail, phone or name.")
    fallback = email.split("@")[0] if email else phone
    customer = Customer(
        name=(name or fallback or "").strip() or "Unknown",
        locale=locale_from() if locale_from else None,
        identities=fresh,
    )
    lookups = [(identity.kind, identity.value) for identity in fresh]
    try:
        with savepoint(session):
            session.add(customer)
            session.flush()
    except IntegrityError:
        for kind, normalized in lookups:  # the twin that won the race
            winner = _owner(session, kind, normalized)
            if winner is not None:
                return winner
        raise
    return customer


def customers_page(session: DbSession, page: PageRequest, *, q: str | None) -> Page[Customer]:
    """Customers that were not merged away, newest first, matching ``q`` if given.

    Each shows its identities: one query for the page's, not one per customer.
    """
    stmt = select(Customer).where(Customer.merged_into_id.is_(None))
    if q and q.strip():
        stmt = stmt.where(Customer.id.in_(customer_ids_matching(session, q)))
    stmt = stmt.options(selectinload(Customer.identities))
    return keyset_page(session, stmt, (Customer.id,), page, descending=True)


def customer_ids_matching(session: DbSession, q: str) -> Select[int]:
    """The ids of the customers ``q`` finds, for a subquery (``customers_page``, and the
    inbox's search, which finds tickets by their customer).

    A whole e-mail address or phone number, in any spelling, is one indexed identity
    lookup: ``alice@example.com`` is Alice, never ``malice@example.com``. Anything else
    (a name, part of an address or of a number) is the search's.
    """
    identity = whole_identity(q)
    if identity is None:
        return search.customer_ids_matching(session, q)
    kind, value = identity
    return select(Identity.customer_id).where(Identity.kind == kind, Identity.value == value)


def whole_identity(q: str) -> tuple[IdentityKind, str] | None:
    """``q`` as an identity's stored value, if it is a whole address or a valid number."""
    needle = q.strip()
    with suppress(InvalidInput):
        if "@" in needle:
            return IdentityKind.EMAIL, normalize_email(needle)
        if not any(char.isalpha() for char in needle):
            return IdentityKind.PHONE, normalize_phone(needle, settings().default_phone_region)
    return None


def check_mergeable(survivor: Customer, source: Customer) -> None:
    if survivor.id == source.id:
        raise InvalidInput.field("source_id", "A customer cannot be merged into itself.")


def merge_customers(
    session: DbSession, survivor: Customer, source: Customer, *, actor: User | None = None
) -> Customer:
    """Move everything of ``source`` to ``survivor`` in the caller's transaction.

    Receivers of ``customers_merged`` get the ``actor`` and the ``identities`` that
    moved (``[{kind, value, verified}]``), for the merge's record.
    """
    check_mergeable(survivor, source)
    moved = [
        {"kind": i.kind.value, "value": i.value, "verified": i.verified} for i in source.identities
    ]
    for identity in list(source.identities):
        identity.customer = survivor
    if not survivor.locale:
        survivor.locale = source.locale
    source.merged_into_id = survivor.id
    # Anything that pointed at the source now points at the survivor, so that
    # chains of merges always answer with the customer that still exists.
    session.execute(
        update(Customer)
        .where(Customer.merged_into_id == source.id)
        .values(merged_into_id=survivor.id)
    )
    session.flush()
    customers_merged.send(survivor, source=source, actor=actor, identities=moved)
    session.expire(survivor, ["identities"])
    return survivor
