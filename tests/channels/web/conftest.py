"""The help center's world: a category with a section, articles in both languages."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import pytest
from itsdangerous.timed import TimestampSigner

from supportdesk.extensions import db
from tests.factories import ArticleFactory, CategoryFactory, SectionFactory


@dataclass
class Shelf:
    category: Any
    section: Any
    refund: Any
    refund_zh: Any
    reset: Any
    draft: Any


@pytest.fixture
def shelf(app: Any) -> Shelf:
    category = CategoryFactory(
        names={"en": "Billing", "zh-CN": "账单"},
        descriptions={"en": "Payments and refunds", "zh-CN": "付款与退款"},
    )
    section = SectionFactory(category=category, names={"en": "Refunds", "zh-CN": "退款"})
    refund = ArticleFactory(
        title="Refund policy",
        body="You can ask for a **refund** within 30 days of purchase.",
        section_id=section.id,
    )
    refund_zh = ArticleFactory(
        title="退款政策",
        body="购买后三十天内可以申请退款。",
        locale="zh-CN",
        section_id=section.id,
        translation_of=refund.id,
    )
    reset = ArticleFactory(
        title="Reset your password",
        body="Open Settings, then Security, and choose Reset password.",
        category_id=category.id,
        related_ids=[refund.id],
    )
    draft = ArticleFactory(title="Secret launch plans", body="Not yet.", status="draft")
    db.session.commit()
    return Shelf(category, section, refund, refund_zh, reset, draft)


def aged_page(client: Any, url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The page as a reader who opened it 10 seconds ago has it (its vote counts)."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda _: int(time.time()) - 10)
        return client.get(url)


def view_token(html: str) -> str:
    match = re.search(r'name="view_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)
