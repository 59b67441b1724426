"""Integrations: what admins set up, and the context panel that asks them all at once.

The panel is two steps, so that the caller can end its database transaction in between:
``context_calls`` reads the customer and the enabled integrations into plain values,
``fetch_context`` asks the integrations concurrently, answering within ``DEADLINE_SECONDS``
whatever they do, from a cache of a minute where it can.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import select

from supportdesk.core.database import get_or_not_found
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer
from supportdesk.customers.service import get_customer
from supportdesk.integrations import calls
from supportdesk.integrations.calls import Answer
from supportdesk.integrations.models import Integration

#: how long an integration's answer about a customer is shown again without asking
CACHE_SECONDS = 60
#: the answers a process keeps, in bytes (each is at most ``calls.MAX_ANSWER_BYTES``)
CACHE_BYTES = 32 * 1024 * 1024
#: what the panel waits at most: every call's own timeout, and a little for the threads
DEADLINE_SECONDS = calls.TIMEOUT_SECONDS + 0.3
#: integrations asked at the same time by one panel
MAX_CONCURRENT_CALLS = 16
#: identities integrations are told about; a visitor token is the chat's credential
SHARED_IDENTITY_KINDS = (IdentityKind.EMAIL, IdentityKind.PHONE, IdentityKind.EXTERNAL)
_EXTENSION = "supportdesk.integrations.cache"
log = logging.getLogger(__name__)


# -- what admins set up


def integrations_page(session: DbSession, page: PageRequest) -> Page[Integration]:
    return keyset_page(session, select(Integration), [Integration.id], page, descending=False)


def get_integration(session: DbSession, integration_id: int) -> Integration:
    return get_or_not_found(session, Integration, integration_id, "integration")


def create_integration(
    session: DbSession, *, name: str, url: str, secret: str, enabled: bool = True
) -> Integration:
    integration = Integration(name=name, url=url, secret=secret, enabled=enabled)
    session.add(integration)
    session.flush()
    return integration


def update_integration(session: DbSession, integration: Integration, **changes: Any) -> None:
    """Change any of name, url, secret, enabled. Answers cached before are not shown
    again: the cache key holds ``updated_at``."""
    for field, value in changes.items():
        setattr(integration, field, value)
    session.flush()


def delete_integration(session: DbSession, integration: Integration) -> None:
    session.delete(integration)
    session.flush()


# -- the context panel


@dataclass(frozen=True)
class ContextCall:
    """One integration to ask about one customer, as plain values (no rows, no session)."""

    integration_id: int
    integration_name: str
    url: str
    secret: str
    body: bytes
    cache_key: tuple[int, str, str]


@dataclass(frozen=True)
class ContextCard:
    integration: dict[str, Any]
    answer: Answer

    def view(self) -> dict[str, Any]:
        """The card as ``ContextCardSchema`` shows it (``error`` only when there is one)."""
        answer = self.answer
        card = {
            "integration": self.integration,
            "status": answer.status,
            "data": answer.data,
            "fetched_at": answer.fetched_at,
        }
        return card if answer.error is None else {**card, "error": answer.error}


def context_calls(session: DbSession, customer_id: int) -> list[ContextCall]:
    """What to ask every enabled integration about the customer (404: no such customer)."""
    customer = get_customer(session, customer_id)
    body = calls.request_body(_customer_view(customer))
    digest = hashlib.sha256(body).hexdigest()
    integrations = session.scalars(
        select(Integration).where(Integration.enabled).order_by(Integration.id)
    )
    return [
        ContextCall(
            integration_id=i.id,
            integration_name=i.name,
            url=i.url,
            secret=i.secret,
            body=body,
            # a new URL or secret (updated_at), or a customer who changed (the body's
            # digest), is a new question
            cache_key=(i.id, i.updated_at.isoformat(), digest),
        )
        for i in integrations
    ]


def _customer_view(customer: Customer) -> dict[str, Any]:
    """The customer as integrations see them: every identity, with whether it is proven.

    The integration decides what an unverified address may show: an order list may be
    fine to show for a claimed e-mail, a device's location may not.
    """
    return {
        "id": customer.id,
        "name": customer.name,
        "identities": [
            {"kind": i.kind.value, "value": i.value, "verified": i.verified}
            for i in customer.identities
            if i.kind in SHARED_IDENTITY_KINDS
        ],
    }


def fetch_context(planned: list[ContextCall]) -> list[ContextCard]:
    """Every integration's card, in the order given, within ``DEADLINE_SECONDS``.

    Cached answers are used as they are; the others are asked at once, each on a thread
    of its own. A call still running at the deadline is shown as unavailable; it goes on
    in the background and, if it answers well, is cached for the next look.
    """
    cache = _cache()
    answers = {call.integration_id: cache.get(call.cache_key) for call in planned}
    missing = [call for call in planned if answers[call.integration_id] is None]
    if missing:
        answers.update(_ask_all(missing, cache))
    return [
        ContextCard({"id": call.integration_id, "name": call.integration_name}, answer)
        for call in planned
        if (answer := answers[call.integration_id]) is not None
    ]


def _ask_all(planned: list[ContextCall], cache: AnswerCache) -> dict[int, Answer]:
    executor = ThreadPoolExecutor(
        max_workers=min(len(planned), MAX_CONCURRENT_CALLS), thread_name_prefix="context"
    )
    try:
        futures = {call.integration_id: executor.submit(_ask, call, cache) for call in planned}
        wait(futures.values(), timeout=DEADLINE_SECONDS)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    late = Answer.unavailable(f"no answer within {calls.TIMEOUT_SECONDS:g} s")
    return {
        integration_id: future.result() if future.done() and not future.cancelled() else late
        for integration_id, future in futures.items()
    }


def _ask(call: ContextCall, cache: AnswerCache) -> Answer:
    try:
        answer = calls.ask(call.url, call.secret, call.body)
    except Exception:  # a failure ``calls`` did not foresee is still one card's, not a 500
        log.exception("context integration %s failed", call.integration_id)
        return Answer.unavailable("the request failed")
    if answer.error is None:
        cache.put(call.cache_key, answer)
    return answer


class AnswerCache:
    """Good answers for ``CACHE_SECONDS``, per server process (cachetools' TTLCache,
    sized by the answers' bytes, behind a lock: the calls' threads write to it).

    Failures are not kept: the next look asks again, so a system back up shows at once.
    """

    def __init__(self) -> None:
        self._answers: TTLCache[tuple[int, str, str], Answer] = TTLCache(
            maxsize=CACHE_BYTES, ttl=CACHE_SECONDS, getsizeof=lambda answer: max(answer.size, 1)
        )
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str, str]) -> Answer | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key: tuple[int, str, str], answer: Answer) -> None:
        with self._lock:
            self._answers[key] = answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def _cache() -> AnswerCache:
    """The app's answer cache (made on first use; ``setdefault`` keeps one if two race)."""
    return current_app.extensions.setdefault(_EXTENSION, AnswerCache())
