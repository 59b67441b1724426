"""Benchmark: filing inbound e-mail, 5,000 messages through the one ingest pipeline.

Run from the repository root::

    .venv/bin/python tests/perf/email_ingest.py [--messages 5000] [--warmup 20] [--profile]
        [--acknowledge on|off|both]
    SUPPORTDESK_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python tests/perf/email_ingest.py

Databases: always a fresh SQLite file in a temporary directory (deleted afterwards);
also PostgreSQL when ``SUPPORTDESK_DATABASE_URL`` is a ``postgresql`` URL. That database
is treated as scratch: schema ``public`` is DROPPED (CASCADE) and recreated before the
run, and the filed mail is left behind for inspection.

Method, once per database and per acknowledgement setting (``--acknowledge``: ``on``,
``off`` or ``both``, the default; a fresh database each time):

1. Schema from the real migrations (``flask_migrate.upgrade``). The app is configured
   as in production (its task queue Huey's SQLite file in a temporary instance folder,
   as a desk without Redis has it) except: mail "sent" goes to a local outbox
   (``SMTP_URL=maildir:`` a temporary folder, see ``channels.email.outbox``) instead of
   an SMTP server, and the per-sender rate limit is out of the way (the benchmark's
   customers write far more often than the limit allows). ``on`` is the production
   default: every new ticket is acknowledged (``EMAIL_ACKNOWLEDGE_NEW_TICKETS``), a
   second message rendered from a template, stored on the ticket and its delivery
   enqueued, within the timed call, as ``ingest-email`` does; sending it is the worker's
   work, done after the timed loop (the queued tasks run one by one in this process)
   and printed on a line of its own. ``off`` measures ingest alone.
2. Shapes. Every ``tests/channels/email/corpus/*.eml`` of at most 1 MB, byte for byte
   (charsets, MIME trees, line endings as the senders' clients wrote them), plus shapes
   generated here: plain text, Gmail-style multipart/alternative with HTML, Foxmail
   Chinese (``gb2312`` label on GBK bytes, base64), ISO-2022-JP, and a small (20-80 KB)
   PDF or PNG attachment. Generated shapes get fresh text each time and, in replies, a
   quoted history in their client's style. Half the messages come from the corpus
   (each file equally often), half from the generated shapes (weights in ``SHAPES``).
   Without a corpus, all come from the generated shapes.
3. Traffic. 500 customers; every message gets a unique ``Message-ID`` and its ``From``
   address rewritten (the display name, as the shape encoded it, is kept). About 60%
   open a new ticket (a random customer; any ``In-Reply-To``/``References`` of the
   shape dropped, any ``[SD-n]`` tag taken out of the subject); about 40% are replies
   by the ticket's own customer to one of the 300 most recent tickets, threaded by
   ``In-Reply-To`` (25%), ``References`` alone (5%) or the subject tag alone (10%).
   Messages are made one at a time between the timed calls, because a reply needs
   the Message-IDs and ticket ids the run has filed so far. Only header fields are
   rewritten: the rest of each message stays byte-exact.
4. File each message with ``inbound.receive(db.session, raw, source="cli")`` in one
   app context, as the ``ingest-email`` command does; ``time.perf_counter`` brackets
   that call only (two commits: the raw bytes, then the filed message). A few untimed
   warm-up messages go first, and the language model that new customers' locales are
   told by is loaded, as a running desk has it after its first new customer.
5. Check: no message quarantined (the reasons are printed if any are), none taken for
   a duplicate, every reply on the ticket it was aimed at, every new message on a new
   ticket, and the stored ``threaded_by`` counts equal to the planned mix; with
   acknowledgements on, one acknowledgement per new ticket that is not an auto-reply,
   each marked sent and delivered into the outbox (none with acknowledgements off).
6. Print total time, messages/s, median, p95, p99 and max per message, per shape and
   per kind of message, and PASS/MISS for the target: at least 300 messages/s on
   SQLite (one process, so one core) with acknowledgements on (the ``off`` run's figure
   is printed beside it, for information). The corpus files over 1 MB (the 20 MB
   attachment) are filed once each afterwards and printed on their own lines, outside
   the figures.

Timings are wall-clock, so other work on the 2-CPU machine shows up in them: the load
average before and after the run is printed beside the figures. ``--profile`` runs the
timed loop under cProfile and prints the 10 functions with the most time per message
(own and cumulative); the figures of a profiled run are inflated by the profiler.

The exit status is 1 when the target is missed or a check fails.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import gc
import os
import pstats
import quopri
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.charset import Charset
from email.header import Header
from email.utils import format_datetime
from enum import StrEnum
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from supportdesk.channels.email.inbound import Receipt, receive  # noqa: E402
from supportdesk.channels.email.models import (  # noqa: E402
    DeliveryStatus,
    EmailDetails,
    InboundEmail,
    InboundStatus,
)
from supportdesk.channels.email.outbox import outbox_url  # noqa: E402
from supportdesk.channels.email.parse import decode_header_value  # noqa: E402
from supportdesk.extensions import db  # noqa: E402
from supportdesk.tickets.models import REF_OFFSET, AuthorKind, Message, Ticket  # noqa: E402
from tests.perf.bench import (  # noqa: E402
    loadavg,
    make_app,
    percentile,
    reset_postgres,
    warm_language_model,
)

CORPUS = REPO_ROOT / "tests" / "channels" / "email" / "corpus"
MAX_SHAPE_BYTES = 1_000_000  # larger corpus files are timed on their own

# The traffic
SEED = 20261124
CUSTOMERS = 500
RECENT_TICKETS = 300  # replies go to one of the most recent tickets
CORPUS_SHARE = 0.5
TARGET_MESSAGES_PER_SECOND = 300.0


class Kind(StrEnum):
    """What a message is meant to do; the values are ``EmailDetails.threaded_by``'s."""

    NEW = "new_ticket"
    IN_REPLY_TO = "in_reply_to"
    REFERENCES = "references"
    SUBJECT_TAG = "subject_tag"


MIX = {Kind.NEW: 0.60, Kind.IN_REPLY_TO: 0.25, Kind.REFERENCES: 0.05, Kind.SUBJECT_TAG: 0.10}

# ---------------------------------------------------------------------------- text

_VOCABULARY = (
    "router order invoice delivery refund account password login screen error update "
    "billing package tracking address payment card subscription renewal discount export "
    "warranty replacement battery charger cable firmware settings network report sync "
    "reset please thanks again yesterday today tomorrow morning still waiting because "
    "the a my your our it is was not working since after before when with without and "
    "but could would should can you we they have has had tried already restart again"
)
_WORDS = _VOCABULARY.split()
_SUBJECTS = (
    "Router keeps dropping the connection",
    "Refund for order not received",
    "Cannot log in after password reset",
    "Invoice shows the wrong address",
    "CSV export stops at 10,000 rows",
    "Question about my subscription renewal",
    "Charger stopped working after a week",
    "Discount code rejected at checkout",
)
_CHINESE = (
    "您好，我们的路由器从昨天开始一直断线，重启也没有用。",
    "请帮忙查一下订单的物流状态，已经一周没有更新了。",
    "发票上的公司地址写错了，麻烦重新开一张。",
    "退款已经申请十天了，还没有到账，请尽快处理。",
    "密码重置以后还是无法登录，提示账号已锁定。",
    "附件是错误截图，麻烦看一下是什么问题。",
    "我们王喆经理明天上午有空，可以电话沟通。",
)
_CHINESE_SUBJECTS = ("路由器频繁断线", "发票地址错误", "退款一直没有到账", "无法登录账号")
_JAPANESE = (
    "お世話になっております。",
    "請求書の金額が契約内容と異なっているようです。",
    "昨日からデータの同期が止まっております。",
    "パスワードを再設定してもログインできません。",
    "お手数ですが、ご確認のほどよろしくお願いいたします。",
)
_JAPANESE_SUBJECTS = ("請求金額について", "同期が停止しています", "ログインできません")


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(_WORDS, k=rng.randint(6, 16))).capitalize() + "."


def english_text(rng: random.Random, low: int = 150, high: int = 1200) -> str:
    """A few paragraphs of support-mail English, ``low`` to ``high`` characters."""
    target = rng.randint(low, high)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "Hello,\n\n" + "\n\n".join(paragraphs) + "\n\nThanks,\n"


def _wrap_base64(data: bytes, newline: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return newline.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def _quoted_printable(text: str, newline: bytes) -> bytes:
    return quopri.encodestring(text.encode()).replace(b"\n", newline)


def _encoded_word(text: str, charset: str, codec: str | None = None) -> str:
    """RFC 2047 B encoding, with the bytes of ``codec`` under the label ``charset``."""
    data = text.encode(codec or charset)
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


# ---------------------------------------------------------------------------- shapes

#: builds a message: (rng, quoted history or None for a new message) -> raw bytes.
#: Message-ID, From, In-Reply-To and References are rewritten afterwards.
Builder = Callable[[random.Random, str | None], bytes]


@dataclass(frozen=True)
class Shape:
    name: str
    build: Builder
    weight: float


def _head(fields: list[tuple[str, str]], newline: bytes) -> bytes:
    return newline.join(f"{name}: {value}".encode() for name, value in fields) + newline * 2


def _common(rng: random.Random, subject: str) -> list[tuple[str, str]]:
    return [
        ("Date", format_datetime(time_of_day(rng))),
        ("From", "customer@mail.example"),  # the customer's name and address go here
        ("To", "Supportdesk <support@desk.example>"),
        ("Subject", subject),
        ("Message-ID", "<placeholder@mail.example>"),
        ("MIME-Version", "1.0"),
    ]


def time_of_day(rng: random.Random) -> datetime:
    return datetime(2026, 11, 23, 8, tzinfo=UTC) + timedelta(seconds=rng.randrange(36_000))


def _english_reply(text: str, quoted: str | None) -> str:
    if quoted is None:
        return text
    history = "\n".join(f"> {line}" if line else ">" for line in quoted.splitlines())
    return (
        f"{text}\nOn Mon, 23 Nov 2026 at 10:12, Supportdesk <support@desk.example> wrote:\n"
        f"{history}\n"
    )


def plain_text(rng: random.Random, quoted: str | None) -> bytes:
    """Thunderbird: text/plain UTF-8, format=flowed, 8bit, LF line endings."""
    newline = b"\n"
    fields = _common(rng, rng.choice(_SUBJECTS))
    fields += [
        ("Content-Type", "text/plain; charset=UTF-8; format=flowed"),
        ("Content-Transfer-Encoding", "8bit"),
        ("User-Agent", "Mozilla Thunderbird"),
    ]
    body = _english_reply(english_text(rng) + "Jörg\n", quoted)
    return _head(fields, newline) + body.encode()


def alternative_html(rng: random.Random, quoted: str | None) -> bytes:
    """Gmail: multipart/alternative, both parts UTF-8 quoted-printable, CRLF."""
    newline = b"\r\n"
    boundary = f"000000000000{rng.getrandbits(64):016x}"
    text = english_text(rng) + "Renée\n"
    paragraphs = "".join(
        f"<div>{p.replace(chr(10), '<br>')}</div><div><br></div>" for p in text.split("\n\n")
    )
    html = f'<div dir="ltr">{paragraphs}</div>'
    if quoted is not None:
        text = _english_reply(text, quoted)
        html += (
            '<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 23 Nov 2026 '
            "at 10:12, Supportdesk &lt;support@desk.example&gt; wrote:<br></div>"
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px '
            f'solid rgb(204,204,204);padding-left:1ex">{quoted.replace(chr(10), "<br>")}'
            "</blockquote></div>"
        )
    fields = _common(rng, rng.choice(_SUBJECTS))
    fields.append(("Content-Type", f'multipart/alternative; boundary="{boundary}"'))
    parts = [
        (f"--{boundary}", "text/plain", _quoted_printable(text, newline)),
        (f"--{boundary}", "text/html", _quoted_printable(html, newline)),
    ]
    out = _head(fields, newline)
    for delimiter, content_type, payload in parts:
        out += newline.join(
            [
                delimiter.encode(),
                f'Content-Type: {content_type}; charset="UTF-8"'.encode(),
                b"Content-Transfer-Encoding: quoted-printable",
                b"",
                payload,
                b"",
            ]
        )
    return out + f"--{boundary}--".encode() + newline


def foxmail_gbk(rng: random.Random, quoted: str | None) -> bytes:
    """Foxmail: multipart/alternative labelled gb2312, GBK bytes (王喆), base64, CRLF."""
    newline = b"\r\n"
    boundary = f"----=_NextPart_{rng.getrandbits(48):012X}"
    text = "".join(rng.sample(_CHINESE, rng.randint(2, 5))) + "\n\n王喆\n"
    if quoted is not None:
        text += (
            "\n------------------ 原始邮件 ------------------\n"
            '发件人: "Supportdesk"<support@desk.example>;\n'
            "发送时间: 2026年11月23日(星期一) 上午10:12\n"
            '收件人: "王喆"<customer@mail.example>;\n\n' + quoted + "\n"
        )
    html = "<div>" + text.replace("\n", "<br>") + "</div>"
    fields = _common(rng, _encoded_word(rng.choice(_CHINESE_SUBJECTS), "gb2312", "gbk"))
    fields[1] = ("From", f'"{_encoded_word("王喆", "gb2312", "gbk")}" <customer@mail.example>')
    fields += [
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ("X-Mailer", "Foxmail 7.2.25.228[cn]"),
    ]
    out = _head(fields, newline) + b"This is a multi-part message in MIME format." + newline * 2
    for content_type, body in (("text/plain", text), ("text/html", html)):
        out += newline.join(
            [
                f"--{boundary}".encode(),
                f'Content-Type: {content_type};{newline.decode()}\tcharset="gb2312"'.encode(),
                b"Content-Transfer-Encoding: base64",
                b"",
                _wrap_base64(body.replace("\n", "\r\n").encode("gbk"), newline),
                b"",
            ]
        )
    return out + f"--{boundary}--".encode() + newline * 2


def iso_2022_jp(rng: random.Random, quoted: str | None) -> bytes:
    """Becky!/Thunderbird JP: text/plain ISO-2022-JP, 7bit, LF."""
    newline = b"\n"
    text = "株式会社サンプル\n田中様\n\n" + "\n".join(rng.sample(_JAPANESE, rng.randint(2, 5)))
    if quoted is not None:
        quoted_lines = "\n".join(f"> {line}" for line in quoted.splitlines())
        text += f"\n\nOn 2026/11/23 10:12, Supportdesk wrote:\n{quoted_lines}\n"
    fields = _common(rng, _encoded_word(rng.choice(_JAPANESE_SUBJECTS), "ISO-2022-JP"))
    fields[1] = ("From", f"{_encoded_word('田中 太郎', 'ISO-2022-JP')} <customer@mail.example>")
    fields += [
        ("Content-Type", "text/plain; charset=ISO-2022-JP"),
        ("Content-Transfer-Encoding", "7bit"),
    ]
    return _head(fields, newline) + text.encode("iso-2022-jp") + newline


def small_attachment(rng: random.Random, quoted: str | None) -> bytes:
    """Outlook-ish multipart/mixed: a short text and a 20-80 KB PDF or PNG, CRLF."""
    newline = b"\r\n"
    boundary = f"_004_{rng.getrandbits(64):016x}_"
    text = _english_reply(english_text(rng, 80, 400) + "See the attached file.\n", quoted)
    size = rng.randint(20_000, 80_000)
    if rng.random() < 0.5:
        name, content_type = f"invoice-{rng.randint(1000, 9999)}.pdf", "application/pdf"
        data = b"%PDF-1.4\n" + rng.randbytes(size)
    else:
        name, content_type = "screenshot.png", "image/png"
        data = b"\x89PNG\r\n\x1a\n" + rng.randbytes(size)
    fields = _common(rng, rng.choice(_SUBJECTS))
    fields.append(("Content-Type", f'multipart/mixed; boundary="{boundary}"'))
    out = _head(fields, newline)
    out += newline.join(
        [
            f"--{boundary}".encode(),
            b'Content-Type: text/plain; charset="us-ascii"',
            b"Content-Transfer-Encoding: quoted-printable",
            b"",
            _quoted_printable(text, newline),
            f"--{boundary}".encode(),
            f'Content-Type: {content_type}; name="{name}"'.encode(),
            f'Content-Disposition: attachment; filename="{name}"; size={len(data)}'.encode(),
            b"Content-Transfer-Encoding: base64",
            b"",
            _wrap_base64(data, newline),
            b"",
        ]
    )
    return out + f"--{boundary}--".encode() + newline


GENERATED = (
    Shape("generated: plain text", plain_text, 0.30),
    Shape("generated: alternative html", alternative_html, 0.35),
    Shape("generated: gb2312 label, gbk", foxmail_gbk, 0.10),
    Shape("generated: iso-2022-jp", iso_2022_jp, 0.10),
    Shape("generated: small attachment", small_attachment, 0.15),
)


def corpus_shape(path: Path, weight: float) -> Shape:
    data = path.read_bytes()
    return Shape(f"corpus: {path.stem}", lambda _rng, _quoted: data, weight)


def load_shapes() -> tuple[list[Shape], list[Path]]:
    """The shapes to draw from, and the corpus files too large to be one."""
    # A bounce is filed only against a reply of ours it returns; the traffic here has
    # none to return, so the DSN shape is left out (its filing is tested in test_inbound).
    files = [
        p for p in (sorted(CORPUS.glob("*.eml")) if CORPUS.is_dir() else []) if "dsn" not in p.name
    ]
    small = [p for p in files if p.stat().st_size <= MAX_SHAPE_BYTES]
    large = [p for p in files if p.stat().st_size > MAX_SHAPE_BYTES]
    if not small:
        return list(GENERATED), large
    shapes = [corpus_shape(p, CORPUS_SHARE / len(small)) for p in small]
    shapes += [
        Shape(s.name, s.build, s.weight * (1 - CORPUS_SHARE) / sum(g.weight for g in GENERATED))
        for s in GENERATED
    ]
    return shapes, large


# ---------------------------------------------------------------------------- header fields

_NEWLINE_FIELD = re.compile(rb"\r?\n(?![ \t])")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_ANGLE_ADDRESS = re.compile(r"<[^<>]*>")
_SUBJECT_TAG = re.compile(r"\s*\[[A-Za-z]+-\d+\]\s*")
_FIRST_CHARSET = re.compile(r"=\?([^?*]+)")


@dataclass
class RawMessage:
    """A message as its header fields (each with its folded lines) and the rest, untouched."""

    fields: list[bytes]
    newline: bytes
    rest: bytes  # from the blank line on

    @classmethod
    def of(cls, raw: bytes) -> RawMessage:
        end = _HEADER_END.search(raw)
        head, rest = (raw[: end.start()], raw[end.start() :]) if end else (raw, b"")
        newline = b"\r\n" if raw.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
        return cls(_NEWLINE_FIELD.split(head), newline, rest)

    def get(self, name: str) -> str | None:
        """The first field's value as written (folding kept, 8-bit bytes as latin-1)."""
        for raw_field in self.fields:
            field_name, _, value = raw_field.partition(b":")
            if field_name.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return None

    def set(self, name: str, value: str | None) -> None:
        """Replace every ``name`` field by one (in the first one's place); None removes."""
        kept: list[bytes] = []
        placed = value is None
        for raw_field in self.fields:
            if raw_field.partition(b":")[0].strip().lower() != name.lower().encode():
                kept.append(raw_field)
            elif not placed:
                kept.append(self._field(name, value or ""))
                placed = True
        if not placed:  # on top, as an MTA adds fields: below may be a broken header block
            top = 1 if kept and kept[0].startswith(b"From ") else 0
            kept.insert(top, self._field(name, value or ""))
        self.fields = kept

    def _field(self, name: str, value: str) -> bytes:
        return f"{name}: {value}".encode("latin-1").replace(b"\n", self.newline)

    def bytes(self) -> bytes:
        return self.newline.join(self.fields) + self.rest


def encode_subject(text: str, like: str) -> str:
    """``text`` as a Subject value, in the charset the original used if it can hold it."""
    if text.isascii():
        return text
    match = _FIRST_CHARSET.search(like)
    for charset in (match.group(1) if match else "utf-8", "utf-8"):
        try:
            return Header(text, Charset(charset.lower())).encode(linesep="\n")
        except (LookupError, UnicodeError):
            continue
    raise AssertionError("UTF-8 holds every text")


# ---------------------------------------------------------------------------- traffic


@dataclass
class Thread:
    ticket_id: int
    address: str
    subject: str  # decoded, without tags
    message_ids: list[str] = field(default_factory=list)


@dataclass
class Planned:
    raw: bytes
    kind: Kind
    shape: str
    address: str
    message_id: str
    subject: str
    thread: Thread | None  # the ticket a reply is aimed at


class Traffic:
    """Makes the next message from what the run has filed so far."""

    def __init__(self, shapes: list[Shape], ref_prefix: str, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.shapes = shapes
        self.weights = [s.weight for s in shapes]
        self.ref_prefix = ref_prefix
        first = ["mei", "ana", "jonas", "priya", "omar", "lena", "kwame", "sofia", "yuki", "li"]
        last = ["chen", "garcia", "novak", "patel", "haddad", "berg", "mensah", "rossi", "wang"]
        domains = ["mail.example", "example.com", "qq.example", "163.example", "corp.example"]
        self.names: dict[str, str] = {}  # address: name
        for n in range(CUSTOMERS):
            given, family = self.rng.choice(first), self.rng.choice(last)
            address = f"{given}.{family}{n}@{self.rng.choice(domains)}"
            self.names[address] = f"{given.title()} {family.title()}"
        self.customers = list(self.names)
        self.threads: list[Thread] = []
        self.tickets: set[int] = set()  # every ticket the run has filed onto
        self.planned: Counter[str] = Counter()  # kinds of the messages made, warm-up included
        self.count = 0

    def next(self) -> Planned:
        rng = self.rng
        self.count += 1
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0] if self.threads else Kind.NEW
        self.planned[str(kind)] += 1
        shape = rng.choices(self.shapes, weights=self.weights)[0]
        thread = rng.choice(self.threads[-RECENT_TICKETS:]) if kind is not Kind.NEW else None
        quoted = english_text(rng, 100, 500) if thread else None
        message = RawMessage.of(shape.build(rng, quoted))
        address = thread.address if thread else rng.choice(self.customers)
        message_id = f"perf.{self.count}.{rng.getrandbits(40):010x}@{address.split('@')[1]}"
        message.set("Message-ID", f"<{message_id}>")
        message.set("From", self.sender(message.get("From"), address))
        original_subject = message.get("Subject") or ""
        subject = _SUBJECT_TAG.sub(" ", decode_header_value(original_subject)).strip()
        if thread is None:
            message.set("In-Reply-To", None)
            message.set("References", None)
            if _SUBJECT_TAG.search(decode_header_value(original_subject)):
                message.set("Subject", encode_subject(subject, original_subject))
        elif kind is Kind.SUBJECT_TAG:
            message.set("In-Reply-To", None)
            message.set("References", None)
            ref = f"{self.ref_prefix}-{thread.ticket_id + REF_OFFSET}"
            tagged = f"Re: [{ref}] {thread.subject}"
            message.set("Subject", encode_subject(tagged, original_subject))
        else:
            chain = " ".join(f"<{m}>" for m in thread.message_ids[-10:])
            in_reply_to = f"<{thread.message_ids[-1]}>" if kind is Kind.IN_REPLY_TO else None
            message.set("In-Reply-To", in_reply_to)
            message.set("References", chain)
        return Planned(message.bytes(), kind, shape.name, address, message_id, subject, thread)

    def sender(self, original: str | None, address: str) -> str:
        """The shape's display name (as it was encoded) with the customer's address;
        the customer's own name when the shape has none."""
        if original and _ANGLE_ADDRESS.search(original):
            return _ANGLE_ADDRESS.sub(lambda _m: f"<{address}>", original, count=1)
        return f"{self.names[address]} <{address}>"

    def filed(self, planned: Planned, receipt: Receipt) -> None:
        """Remember what was filed, so that later replies can aim at it."""
        assert receipt.ticket_id is not None
        if planned.thread is None:
            thread = Thread(receipt.ticket_id, planned.address, planned.subject or "(no subject)")
            self.threads.append(thread)
        else:
            thread = planned.thread
        thread.message_ids.append(planned.message_id)
        self.tickets.add(receipt.ticket_id)


# ---------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """Per-message milliseconds and what became of each message."""

    times: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0  # of this process, during the receive() calls
    statements: int = 0  # SQL statements sent
    shapes: list[str] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)
    filed: int = 0
    duplicates: int = 0
    quarantined: list[int] = field(default_factory=list)  # inbound ids
    misthreaded: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0


def file_messages(traffic: Traffic, count: int, run: Run | None) -> None:
    """File ``count`` messages; time them into ``run`` (None: warm-up, not recorded)."""
    for _ in range(count):
        planned = traffic.next()
        cpu, start = time.process_time(), time.perf_counter()
        receipt = receive(db.session, planned.raw, source="cli")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        if run is None:
            if receipt.ticket_id is not None:
                traffic.filed(planned, receipt)
            continue
        run.times.append(elapsed * 1000)
        run.cpu_seconds += cpu
        run.shapes.append(planned.shape)
        run.kinds.append(planned.kind)
        if receipt.duplicate:
            run.duplicates += 1
        elif receipt.quarantined:
            assert receipt.inbound_id is not None
            run.quarantined.append(receipt.inbound_id)
            continue
        else:
            run.filed += 1
        expected = planned.thread.ticket_id if planned.thread else None
        if expected is not None and receipt.ticket_id != expected:
            run.misthreaded.append(f"{planned.shape} ({planned.kind}): ticket {receipt.ticket_id}")
        elif expected is None and receipt.ticket_id in traffic.tickets:
            run.misthreaded.append(f"{planned.shape} (new): onto ticket {receipt.ticket_id}")
        if receipt.ticket_id is not None:
            traffic.filed(planned, receipt)


def time_large(path: Path, traffic: Traffic) -> tuple[float, Receipt]:
    """File one large corpus message as a new ticket; milliseconds and the receipt."""
    message = RawMessage.of(path.read_bytes())
    address = traffic.rng.choice(traffic.customers)
    message.set("Message-ID", f"<perf.large.{path.stem}.{traffic.count}@{address.split('@')[1]}>")
    message.set("From", traffic.sender(message.get("From"), address))
    message.set("In-Reply-To", None)
    message.set("References", None)
    raw = message.bytes()
    gc.collect()
    start = time.perf_counter()
    receipt = receive(db.session, raw, source="cli")
    return (time.perf_counter() - start) * 1000, receipt


def summary(values: list[float]) -> str:
    if len(values) < 2:
        return f"{values[0]:>8.2f} {'':>8} {'':>8} {max(values):>8.2f}"
    return (
        f"{statistics.median(values):>8.2f} {percentile(values, 95):>8.2f} "
        f"{percentile(values, 99):>8.2f} {max(values):>8.2f}"
    )


def code_state() -> str:
    """The commit measured, and whether the working tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "supportdesk"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "code: (not a git checkout)"
    files = [line[3:] for line in changed if line.strip()]
    dirty = f"; uncommitted changes in {', '.join(files)}" if files else ""
    head = head if len(head) <= 72 else head[:69] + "..."
    return f"code: {head}{dirty}"


def print_profile(profile: cProfile.Profile, messages: int, top: int = 25) -> None:
    """Where the time goes per message: the functions with the most time of their own,
    then the application's functions by cumulative time (the pipeline's stages)."""
    stats = pstats.Stats(profile)
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        label = name if file == "~" else f"{_short(file)}:{line}({name})"
        rows.append((label, calls / messages, own / messages * 1000, cumulative / messages * 1000))
    total = sum(row[2] for row in rows)
    print(
        f"\nprofile: {total:.2f} ms per message under cProfile (ms per message, calls per message)"
    )
    print(f"top {top} by own time:")
    for label, calls, own, cumulative in sorted(rows, key=lambda r: r[2], reverse=True)[:top]:
        print(f"  {own:>7.3f} own {cumulative:>7.3f} cum {calls:>6.1f}x  {label}")
    print(f"top {top} supportdesk functions by cumulative time:")
    ours = [r for r in rows if r[0].startswith("supportdesk/")]
    for label, calls, own, cumulative in sorted(ours, key=lambda r: r[3], reverse=True)[:top]:
        print(f"  {own:>7.3f} own {cumulative:>7.3f} cum {calls:>6.1f}x  {label}")


def _short(file: str) -> str:
    """A path from the package or library on: supportdesk/..., sqlalchemy/..., email/..."""
    path = Path(file)
    parts = path.parts
    for anchor in ("site-packages", "python3.11", "python3.12", "python3.13"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    if REPO_ROOT in path.parents:
        return path.relative_to(REPO_ROOT).as_posix()
    return path.name


# ---------------------------------------------------------------------------- running


def check_database(run: Run, traffic: Traffic, *, acknowledge: bool, outbox: Path) -> list[str]:
    """Problems the stored rows show: quarantine reasons, a mix unlike the plan,
    acknowledgements missing, unsent or not in the outbox."""
    problems = []
    for inbound_id in run.quarantined:
        kept = db.session.get(InboundEmail, inbound_id)
        reason = kept.error if kept else "?"
        problems.append(f"quarantined: inbound {inbound_id} from {kept and kept.sender}: {reason}")
    stored = select(EmailDetails.threaded_by, func.count()).where(
        EmailDetails.threaded_by.is_not(None)
    )
    threaded = dict(db.session.execute(stored.group_by(EmailDetails.threaded_by)).all())
    if threaded != dict(traffic.planned):
        problems.append(f"threaded_by stored {threaded}, planned {dict(traffic.planned)}")
    problems += [f"misthreaded: {m}" for m in run.misthreaded[:20]]
    return problems + check_acknowledgements(acknowledge, outbox)


def check_acknowledgements(acknowledge: bool, outbox: Path) -> list[str]:
    """One acknowledgement per new ticket a person opened (none when they are off),
    each sent, that is delivered into the outbox."""
    opened = db.session.scalar(
        select(func.count()).where(
            EmailDetails.threaded_by == Kind.NEW.value, EmailDetails.auto_reply.is_(None)
        )
    )
    expected = opened if acknowledge else 0
    by_status = dict(
        db.session.execute(
            select(EmailDetails.delivery_status, func.count())
            .join(Message, Message.id == EmailDetails.message_id)
            .where(Message.author_kind == AuthorKind.SYSTEM)
            .group_by(EmailDetails.delivery_status)
        ).all()
    )
    in_outbox = sum(1 for _ in (outbox / "new").iterdir()) if (outbox / "new").is_dir() else 0
    print(
        f"acknowledgements: {expected:,} expected; stored "
        + (", ".join(f"{status.value} {n:,}" for status, n in by_status.items()) or "none")
        + f"; {in_outbox:,} in the outbox"
    )
    if by_status.get(DeliveryStatus.SENT, 0) == expected == sum(by_status.values()) == in_outbox:
        return []
    return [f"acknowledgements: {expected} expected, stored {by_status}, {in_outbox} in the outbox"]


def report(label: str, run: Run, *, target: bool, load_before: str) -> bool:
    """Print the figures; True when the target applies and is met, or does not apply."""
    total = sum(run.times) / 1000
    rate = len(run.times) / total
    print(
        f"\n{label}: {len(run.times):,} messages in {total:.2f} s of receive() "
        f"({run.wall_seconds:.2f} s wall, with making the messages)"
    )
    print(f"load average before: {load_before}; after: {loadavg()}; {os.cpu_count()} CPUs")
    print(
        f"CPU time in receive(): {run.cpu_seconds:.2f} s, {run.cpu_seconds / total:.0%} of it "
        f"({run.cpu_seconds / len(run.times) * 1000:.2f} ms per message)"
    )
    print(f"messages/s: {rate:.1f}")
    print(f"SQL statements per message: {run.statements / len(run.times):.1f}; 2 commits")
    print(f"{'ms per message':<40} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8}       n")
    print(f"{'all':<40} {summary(run.times)} {len(run.times):>7}")
    for kind in Kind:
        values = [t for t, k in zip(run.times, run.kinds, strict=True) if k is kind]
        if values:
            print(f"{'  ' + str(kind):<40} {summary(values)} {len(values):>7}")
    print("by shape:")
    for shape in sorted(set(run.shapes)):
        values = [t for t, s in zip(run.times, run.shapes, strict=True) if s == shape]
        print(f"{'  ' + shape[:38]:<40} {summary(values)} {len(values):>7}")
    print(
        f"filed {run.filed:,}, quarantined {len(run.quarantined)}, duplicates {run.duplicates}; "
        + ", ".join(f"{k} {n}" for k, n in Counter(str(k) for k in run.kinds).items())
    )
    if target:
        ok = rate >= TARGET_MESSAGES_PER_SECOND
        print(
            f"at least {TARGET_MESSAGES_PER_SECOND:g} messages/s on SQLite with "
            f"acknowledgements on: {'PASS' if ok else 'MISS'} ({rate:.1f})"
        )
        return ok
    print(
        f"({rate:.1f} messages/s; the {TARGET_MESSAGES_PER_SECOND:g}/s target is SQLite's, "
        "with acknowledgements on)"
    )
    return True


def run_queued_tasks() -> None:
    """Do the worker's part, untimed by the figures above: send what the run queued."""
    from supportdesk.core.tasks import huey

    started, done = time.perf_counter(), 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    seconds = time.perf_counter() - started
    print(f"the worker's part afterwards: {done:,} queued tasks (deliveries) in {seconds:.2f} s")


@dataclass
class Result:
    label: str
    rate: float  # messages/s
    met: bool  # the target, where it applies
    checked: bool  # every check passed


def benchmark(
    label: str,
    url: str,
    acknowledge: bool,
    shapes: list[Shape],
    large: list[Path],
    args: argparse.Namespace,
) -> Result:
    """Migrate, file the messages, time them, check them."""
    from flask_migrate import upgrade

    label = f"{label}, acknowledgements {'on' if acknowledge else 'off'}"
    print(f"\n== {label}: {sa.engine.make_url(url).render_as_string(hide_password=True)}")
    instance = Path(tempfile.mkdtemp(prefix="supportdesk-perf-"))
    outbox = instance / "outbox"
    os.environ["SUPPORTDESK_INSTANCE_PATH"] = str(instance)  # the task queue's file
    app = make_app(
        url,
        TASKS_IMMEDIATE=False,
        EMAIL_ACKNOWLEDGE_NEW_TICKETS=acknowledge,
        EMAIL_SENDER_RATE_LIMIT="1000000000 per minute",
        SMTP_URL=outbox_url(outbox),
    )
    checked = True
    with app.app_context():
        upgrade()
        traffic = Traffic(shapes, str(app.config["TICKET_REF_PREFIX"]))
        file_messages(traffic, args.warmup, None)
        warm_language_model()
        run = Run()
        gc.collect()
        load_before = loadavg()
        profile = cProfile.Profile() if args.profile else None

        def count(*_: object) -> None:
            run.statements += 1

        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        if profile:
            profile.enable()
        file_messages(traffic, args.messages, run)
        if profile:
            profile.disable()
        run.wall_seconds = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", count)
        sqlite = sa.engine.make_url(url).get_backend_name() == "sqlite"
        met = report(label, run, target=sqlite and acknowledge, load_before=load_before)
        run_queued_tasks()
        problems = check_database(run, traffic, acknowledge=acknowledge, outbox=outbox)
        tickets = db.session.scalar(select(func.count()).select_from(Ticket))
        print(f"stored: {tickets:,} tickets, {len(traffic.threads):,} threads followed")
        for problem in problems:
            print(f"CHECK FAILED {problem}")
        checked = not problems
        if profile:
            print_profile(profile, args.messages)
        for path in large:
            ms, receipt = time_large(path, traffic)
            status = db.session.scalar(
                select(InboundEmail.status).where(InboundEmail.id == receipt.inbound_id)
            )
            size = path.stat().st_size / 1_000_000
            print(
                f"{path.name} ({size:.1f} MB), alone: {ms:.0f} ms, "
                f"{status.value if status else '?'} (not in the figures above)"
            )
            checked = checked and status is InboundStatus.FILED
        db.engine.dispose()
    shutil.rmtree(outbox.parent)
    return Result(label, len(run.times) / (sum(run.times) / 1000), met, checked)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000, help="timed messages")
    parser.add_argument("--warmup", type=int, default=20, help="untimed messages first")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed loop")
    parser.add_argument(
        "--acknowledge",
        choices=("on", "off", "both"),
        default="both",
        help="acknowledge new tickets (the default configuration), not, or measure both ways",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    # Config reads the environment; keep it from creating an instance secret file.
    os.environ.setdefault("SUPPORTDESK_SECRET_KEY", "perf-benchmark")
    postgres_url = os.environ.get("SUPPORTDESK_DATABASE_URL", "")

    print(code_state())
    shapes, large = load_shapes()
    corpus = sum(1 for s in shapes if s.name.startswith("corpus"))
    print(
        f"{len(shapes)} shapes: {corpus} from {CORPUS.relative_to(REPO_ROOT)} "
        f"(<= {MAX_SHAPE_BYTES / 1e6:g} MB), {len(shapes) - corpus} generated; "
        f"{len(large)} larger corpus file(s) timed alone"
    )
    settings = {"on": [True], "off": [False], "both": [True, False]}[args.acknowledge]
    results = []
    for acknowledge in settings:
        with tempfile.TemporaryDirectory(prefix="supportdesk-perf-") as directory:
            sqlite_url = f"sqlite:///{Path(directory) / 'email_ingest.db'}"
            results.append(benchmark("SQLite", sqlite_url, acknowledge, shapes, large, args))
    if postgres_url and sa.engine.make_url(postgres_url).get_backend_name() == "postgresql":
        for acknowledge in settings:
            reset_postgres(postgres_url)
            results.append(benchmark("PostgreSQL", postgres_url, acknowledge, shapes, large, args))
    else:
        print("\n(PostgreSQL skipped: SUPPORTDESK_DATABASE_URL is not a postgresql URL)")
    print()
    for result in results:
        verdict = "" if result.met else f" MISS (target {TARGET_MESSAGES_PER_SECOND:g}/s)"
        print(
            f"{result.label}: {result.rate:.1f} messages/s{verdict}"
            + ("" if result.checked else "; CHECKS FAILED")
        )
    return 0 if all(r.met and r.checked for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
