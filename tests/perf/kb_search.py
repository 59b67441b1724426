"""Benchmark: the search at 20,000 articles (en and zh-CN) and 500,000 ticket messages.

Run from the repository root::

    .venv/bin/python tests/perf/kb_search.py [--queries 300] [--no-postgres]

Databases: a fresh SQLite file in a temporary directory (deleted afterwards), then
PostgreSQL: a scratch database ``supportdesk_kb_search_bench`` made on the server of
``--postgres-url`` (default: the tests' local server) and dropped afterwards.

Method, once per database:

1. Schema from the real migrations.
2. Rows with bulk inserts (the service layer would take hours): 20,000 published
   articles, half English, half Chinese, 2,000 customers, 50,000 tickets of 10 messages
   each (500,000 messages). The words are drawn with a Zipf distribution from a
   vocabulary of real support words and made-up ones (English), and of real Chinese
   words and two-character words made of common characters (Chinese), so that a
   few words are everywhere and most are rare, as in real text.
3. The index from those rows with ``supportdesk.search.reindex`` (what
   ``supportdesk search reindex`` runs): its time is printed too.
4. Timed, each in a fresh session, the query mixes in turn: article search (one or
   two words, some misspelt, or Chinese words, in the query's locale), suggestions
   (every prefix of such a query as it is typed: two letters on, one Chinese
   character on) and ticket-text search (ranked, grouped by ticket, with snippets).
   The inbox's ``GET /tickets?q=`` filter (newest first, keyset) is shown beside.
5. Median and p95 per mix, and PASS/MISS for the targets on SQLite: suggest p95 under
   20 ms, article search p95 under 50 ms, ticket-text search p95 under 100 ms.

The load average is printed beside the figures; the exit status is 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from supportdesk.core.channels import Channel  # noqa: E402
from supportdesk.core.pagination import PageRequest  # noqa: E402
from supportdesk.customers.models import Customer  # noqa: E402
from supportdesk.extensions import db  # noqa: E402
from supportdesk.knowledge.models import Article, ArticleStatus, TranslationGroup  # noqa: E402
from supportdesk.search import service as search  # noqa: E402
from supportdesk.search.reindex import reindex  # noqa: E402
from supportdesk.tickets.models import AuthorKind, Direction, Message, Priority, Ticket  # noqa: E402
from supportdesk.tickets.service import tickets_page  # noqa: E402
from supportdesk.tickets.status import Status  # noqa: E402
from tests.perf.bench import loadavg, make_app, percentile, verdict  # noqa: E402

SEED = 20261202
ARTICLES = 20_000
CUSTOMERS = 2_000
TICKETS, MESSAGES_PER_TICKET = 50_000, 10
BATCH = 5_000
START = datetime(2024, 1, 1, tzinfo=UTC)
TARGETS_MS = {"suggest": 20.0, "article search": 50.0, "ticket-text search": 100.0}
BENCH_DATABASE = "supportdesk_kb_search_bench"

SUPPORT_WORDS = [
    "account",
    "address",
    "after",
    "again",
    "app",
    "battery",
    "billing",
    "cable",
    "cancel",
    "card",
    "change",
    "charge",
    "charger",
    "checkout",
    "code",
    "connection",
    "coupon",
    "delivery",
    "device",
    "discount",
    "email",
    "error",
    "firmware",
    "invoice",
    "login",
    "membership",
    "network",
    "order",
    "package",
    "parcel",
    "password",
    "payment",
    "phone",
    "plan",
    "price",
    "printer",
    "receipt",
    "refund",
    "renewal",
    "replacement",
    "reset",
    "return",
    "router",
    "screen",
    "settings",
    "shipping",
    "signal",
    "subscription",
    "tracking",
    "update",
    "upgrade",
    "warranty",
    "wifi",
]
STOP_WORDS = [
    "the",
    "a",
    "to",
    "my",
    "your",
    "it",
    "is",
    "was",
    "not",
    "and",
    "but",
    "with",
    "for",
    "of",
    "in",
    "on",
    "you",
    "we",
]
CHINESE_WORDS = [
    "退款",
    "密码",
    "订单",
    "发货",
    "账户",
    "登录",
    "信用卡",
    "发票",
    "地址",
    "优惠券",
    "会员",
    "快递",
    "物流",
    "支付",
    "退货",
    "换货",
    "保修",
    "充电器",
    "路由器",
    "网络",
    "设置",
    "更新",
    "取消",
    "续费",
    "价格",
    "客服",
    "手机",
    "邮箱",
    "验证码",
    "到账",
]
COMMON_CHARACTERS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
)


def _zipf(n: int) -> list[float]:
    return [1 / (rank**1.07) for rank in range(1, n + 1)]


class Words:
    """The two languages' vocabularies, Zipf-weighted (common words first)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
        made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)}
        self.english = STOP_WORDS + SUPPORT_WORDS + sorted(made_up)
        self.english_weights = _zipf(len(self.english))
        pairs = {"".join(rng.choices(COMMON_CHARACTERS, k=2)) for _ in range(4000)}
        self.chinese = ["的", "了", "我", "是", *CHINESE_WORDS, *sorted(pairs)]
        self.chinese_weights = _zipf(len(self.chinese))

    def english_text(self, words: int) -> str:
        chosen = self.rng.choices(self.english, self.english_weights, k=words)
        return " ".join(chosen).capitalize() + "."

    def chinese_text(self, words: int) -> str:
        return "".join(self.rng.choices(self.chinese, self.chinese_weights, k=words)) + "。"


# ---------------------------------------------------------------------------- the rows


def _insert(model: type, rows: Iterator[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(model), batch)
            batch = []
    if batch:
        db.session.execute(insert(model), batch)


def seed(words: Words, articles: int, tickets: int) -> None:
    now = datetime.now(UTC)
    _insert(TranslationGroup, ({"id": i, "created_at": now} for i in range(1, articles + 1)))
    _insert(Article, (_article(words, i, now) for i in range(1, articles + 1)))
    _insert(
        Customer,
        ({"id": i, "name": f"Customer {i}", "created_at": now, "updated_at": now}
         for i in range(1, CUSTOMERS + 1)),
    )  # fmt: skip
    _insert(Ticket, (_ticket(words, i) for i in range(1, tickets + 1)))
    _insert(Message, _messages(words, tickets))
    db.session.commit()


def _article(words: Words, i: int, now: datetime) -> dict[str, Any]:
    chinese = i % 2 == 0
    text = words.chinese_text if chinese else words.english_text
    title = text(words.rng.randint(2, 5)).rstrip("。.")
    paragraphs = [text(words.rng.randint(20, 60)) for _ in range(words.rng.randint(3, 8))]
    body = "\n\n".join(paragraphs)
    return {
        "id": i,
        "translation_group_id": i,
        "locale": "zh-CN" if chinese else "en",
        "slug": f"article-{i}",
        "title": title,
        "body": body,
        "body_html": "".join(f"<p>{p}</p>" for p in paragraphs),
        "description": None,
        "status": ArticleStatus.PUBLISHED,
        "category_id": None,
        "section_id": None,
        "owner_id": None,
        "version": 1,
        "helpful_count": 0,
        "not_helpful_count": 0,
        "view_count": 0,
        "deflection_count": 0,
        "reply_use_count": 0,
        "score": words.rng.uniform(-2, 20),
        "score_updated_at": None,
        "published_at": now,
        "created_at": now,
        "updated_at": now,
    }


def _ticket(words: Words, i: int) -> dict[str, Any]:
    at = START + timedelta(minutes=10 * i)
    chinese = i % 5 == 0
    subject = (words.chinese_text if chinese else words.english_text)(words.rng.randint(3, 7))
    return {
        "id": i,
        "subject": subject[:200],
        "status": Status.OPEN,
        "priority": Priority.NORMAL,
        "channel": Channel.EMAIL,
        "customer_id": 1 + i % CUSTOMERS,
        "assignee_id": None,
        "follow_up_of_id": None,
        "merged_into_id": None,
        "created_at": at,
        "updated_at": at,
        "first_response_due_at": None,
        "resolution_due_at": None,
    }


def _messages(words: Words, tickets: int) -> Iterator[dict[str, Any]]:
    for ticket_id in range(1, tickets + 1):
        chinese = ticket_id % 5 == 0
        for n in range(MESSAGES_PER_TICKET):
            text = words.chinese_text if chinese else words.english_text
            body = text(words.rng.randint(15, 60))
            yield {
                "ticket_id": ticket_id,
                "channel": Channel.EMAIL,
                "direction": Direction.INBOUND if n % 2 == 0 else Direction.OUTBOUND,
                "author_kind": AuthorKind.CUSTOMER if n % 2 == 0 else AuthorKind.AGENT,
                "author_user_id": None,
                "author_customer_id": None,
                "author_name": "Someone",
                "body": body,
                "body_html": f"<p>{body}</p>",
                "created_at": START + timedelta(minutes=10 * ticket_id + n),
            }


# ---------------------------------------------------------------------------- the queries


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]  # two letters swapped


def article_queries(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(query, locale): English words (a fifth of them misspelt) and Chinese words."""
    queries = []
    for i in range(n):
        if i % 2:
            queries.append(("".join(rng.sample(CHINESE_WORDS, rng.randint(1, 2))), "zh-CN"))
            continue
        picked = rng.sample(SUPPORT_WORDS, rng.randint(1, 2))
        if i % 5 == 0:
            picked[-1] = _typo(rng, picked[-1])
        queries.append((" ".join(picked), "en"))
    return queries


def typed_prefixes(queries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every state of the box while each query is typed."""
    typed = []
    for q, locale in queries:
        first = 1 if locale == "zh-CN" else 2
        typed.extend((q[:end], locale) for end in range(first, len(q) + 1) if q[end - 1] != " ")
    return typed


def ticket_queries(rng: random.Random, n: int) -> list[str]:
    return [
        " ".join(rng.sample(SUPPORT_WORDS, rng.randint(1, 2)))
        if i % 3
        else rng.choice(CHINESE_WORDS)
        for i in range(n)
    ]


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    elapsed = (time.perf_counter() - started) * 1000
    db.session.remove()
    return elapsed


def measure(queries: int, rng: random.Random) -> dict[str, list[float]]:
    articles = article_queries(rng, queries)
    typed = typed_prefixes(articles)[: queries * 3]
    texts = ticket_queries(rng, queries)
    mixes: dict[str, list[Callable[[], object]]] = {
        "article search": [
            lambda q=q, lc=lc: search.search_articles(db.session, q, locale=lc)
            for q, lc in articles
        ],
        "suggest": [
            lambda q=q, lc=lc: search.suggest_articles(db.session, q, locale=lc) for q, lc in typed
        ],
        "ticket-text search": [lambda q=q: search.search_tickets(db.session, q) for q in texts],
        "inbox q= (newest first, 50)": [
            lambda q=q: tickets_page(db.session, PageRequest(50), q=q) for q in texts
        ],
    }
    for runs in mixes.values():  # warm the caches and the segmenter
        for run in runs[:10]:
            timed(run)
    results: dict[str, list[float]] = {name: [] for name in mixes}
    longest = max(len(runs) for runs in mixes.values())
    for i in range(longest):  # in turn, so drift hits every mix alike
        for name, runs in mixes.items():
            if i < len(runs):
                results[name].append(timed(runs[i]))
    return results


# ---------------------------------------------------------------------------- the run


def run(url: str, label: str, args: argparse.Namespace) -> bool:
    app = make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        rng = random.Random(SEED)
        started = time.perf_counter()
        seed(Words(rng), args.articles, args.tickets)
        seeded = time.perf_counter()
        counts = reindex(db.session)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(sa.text("VACUUM ANALYZE"))
        indexed = time.perf_counter()
        took = f"rows in {seeded - started:.0f} s, index in {indexed - seeded:.0f} s"
        print(f"\n== {label}: {took} {counts}")
        print(f"load average before timing: {loadavg()}")
        results = measure(args.queries, rng)
        ok = True
        for name, values in results.items():
            p50, p95 = statistics.median(values), percentile(values, 95)
            target = TARGETS_MS.get(name) if label == "SQLite" else None
            mark = f"  target p95 < {target:.0f} ms: {verdict(p95 < target)}" if target else ""
            ok = ok and (target is None or p95 < target)
            print(f"{name:30} n={len(values):4}  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms{mark}")
        print(f"load average after: {loadavg()}")
        db.engine.dispose()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300, help="queries per mix")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument(
        "--tickets", type=int, default=TICKETS, help=f"x{MESSAGES_PER_TICKET} messages"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        ok = run(f"sqlite:///{Path(scratch) / 'bench.db'}", "SQLite", args) and ok
    if not args.no_postgres:
        admin = sa.create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
            connection.execute(
                sa.text(f"CREATE DATABASE {BENCH_DATABASE} ENCODING 'UTF8' TEMPLATE template0")
            )
        bench_url = sa.make_url(args.postgres_url).set(database=BENCH_DATABASE)
        try:
            run(bench_url.render_as_string(hide_password=False), "PostgreSQL", args)
        finally:
            with admin.connect() as connection:
                connection.execute(
                    sa.text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
                )
            admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
