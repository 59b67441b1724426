"""What an inbound e-mail becomes, as the agent will see it, over a corpus of real-world shapes.

Each file in ``corpus/`` is a message as a real client or server sends it: Outlook 16, Gmail,
Apple Mail on an iPhone, Foxmail, NetEase 163, Thunderbird, Mutt, HCL Notes, Google Calendar,
Postfix, Exchange, Mailchimp. They carry the charsets support desks meet (windows-1252, GB2312
labels on GBK text, GBK, GB18030, Big5, ISO-2022-JP, Latin-1 labels on windows-1252 bytes),
RFC 2047 / RFC 2231 names, inline images, invites, bounces, auto-replies, a ~21 MB message and
a broken one. ``EXPECTED`` is what every message must become; the tests below it are the
particular promises (the new words without the quoted history, the files, the broken message).

The large message is parsed once per run (about 21 MB on disk); ``-k "not large"`` leaves it out.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mailparser_reply import EmailReplyParser

from supportdesk.channels.email.parse import (
    EmailAddress,
    EmailParseError,
    ParsedEmail,
    message_id_in,
    parse_email,
)
from supportdesk.channels.email.quotes import LANGUAGES, latest_reply, visible_text

CORPUS = Path(__file__).parent / "corpus"
LARGE = "large-20mb-attachment.eml"
MALFORMED = "malformed-unclosed-boundary-unknown-charset.eml"


@functools.cache
def parsed(name: str) -> ParsedEmail:
    """Each corpus file is parsed once per run; the tests only read the result."""
    return parse_email((CORPUS / name).read_bytes())


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def who(name: str, address: str) -> EmailAddress:
    return EmailAddress(name=name, address=address)


SUPPORT = who("", "support@desk.example")


@dataclass(frozen=True)
class Expected:
    subject: str
    sender: tuple[str | None, str]  # (display name, address); a None name is not checked
    message_id: str | None
    date: datetime | None
    to: tuple[EmailAddress, ...]
    cc: tuple[EmailAddress, ...] = ()
    reply_to: tuple[EmailAddress, ...] = ()
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    says: tuple[str, ...] = ()  # phrases the body text contains, exactly as the sender wrote them
    html: bool = False  # the message has an HTML part
    auto_reply: str | frozenset[str] | None = None
    attachments: int | None = 0  # None: not checked here


EXPECTED: dict[str, Expected] = {
    "outlook16-reply-windows1252-qp.eml": Expected(
        subject="RE: [SD-1017] Invoice shows €0.00 after upgrade",
        sender=("O’Brien, Siobhán", "Siobhan.OBrien@contoso.example"),
        message_id="AM0PR06MB6417C0FFEE1234ABCD5678EF@AM0PR06MB6417.eurprd06.prod.outlook.com",
        date=utc(2026, 11, 24, 9, 14, 27),
        to=(who("Supportdesk", "support+SD1017.9f8e7d6c5b@desk.example"),),
        in_reply_to=("sd.1017.3.a1b2c3@desk.example",),
        references=("sd.1017.1.0f0e0d@desk.example", "sd.1017.3.a1b2c3@desk.example"),
        says=(
            "Thanks – that worked.",
            "The invoice now says “€49.00 per agent” as expected.",
            "Could you update it to “Unit 12, Quay Street” before the next invoice run?",
        ),
        html=True,
    ),
    "gmail-reply-utf8-signature.eml": Expected(
        subject="Re: [SD-1038] Can't export reports to CSV",
        sender=("Renée Lefèvre", "renee.lefevre@gmail.example"),
        message_id="CAH7xq2Lr5mT0k9vQw3u+8Zb_x1Yp2=nE4fG6hJ@mail.gmail.example",
        date=utc(2026, 11, 23, 10, 47, 3),
        to=(who("Support", "support+SD1038.0a1b2c3d4e@desk.example"),),
        in_reply_to=("sd.1038.2.8a9b0c@desk.example",),
        references=("sd.1038.1.5d6e7f@desk.example", "sd.1038.2.8a9b0c@desk.example"),
        says=(
            "I tried again this morning — the CSV export still stops at 1 000 rows.",
            "Merci d’avance !",
            "Head of Operations · Atelier Lumière",
        ),
        html=True,
    ),
    "apple-mail-iphone-inline-image.eml": Expected(
        subject="Re: [SD-1051] Gerät zeigt Fehler E-42",
        sender=("Jörg Schäfer", "joerg@schaefer-bau.example"),
        message_id="8E4C2D1A-5B3F-4A6E-9C7D-1F2E3A4B5C6D@schaefer-bau.example",
        date=utc(2026, 11, 24, 7, 3, 11),
        to=(who("Support", "support+SD1051.5e6f7a8b9c@desk.example"),),
        in_reply_to=("sd.1051.1.77aa88@desk.example",),
        references=("sd.1051.1.77aa88@desk.example",),
        says=(
            # one line in the message, split by a quoted-printable soft line break
            "Der Fehler kommt direkt nach dem Einschalten, auch nach dem Zurücksetzen auf"
            " Werkseinstellungen.",
            "Viele Grüße",
        ),
        html=True,
        attachments=1,
    ),
    "foxmail-gb2312-label-gbk-chars.eml": Expected(
        subject="回复：[SD-1063] 发票抬头请改为“杭州瑀光科技有限公司”",
        sender=("周瑀婷", "2851734096@qq.example"),
        message_id="202611251432080213847@qq.example",
        date=utc(2026, 11, 25, 6, 32, 8),
        to=(who("客服", "support+SD1063.1c2d3e4f5a@desk.example"),),
        in_reply_to=("sd.1063.2.3c4d5e@desk.example",),
        references=("sd.1063.2.3c4d5e@desk.example",),
        says=(
            "发票抬头请改为“杭州瑀光科技有限公司”，税号不变（91330106MA2KX8QF7Q）。",
            "麻烦重新开具后发到这个邮箱，谢谢！",
        ),
    ),
    "coremail-raw-utf8-and-encoded-word-filenames.eml": Expected(
        subject="发票和报价单",
        sender=("陈晓码", "chen.xiaoma@coremail.example"),
        message_id="1764126760.8821.chen@coremail.example",
        date=utc(2026, 11, 26, 3, 12, 40),
        to=(SUPPORT,),
        says=("附件是发票和报价单，请查收。",),
        attachments=3,
    ),
    "outlook-utf8-bytes-labelled-gb2312.eml": Expected(
        subject="咖啡机加热太慢",
        sender=("王小雨", "wang.xiaoyu@mailbox.example"),
        message_id="000801db4f1a$5c3e2b10$14ba8130$@mailbox.example",
        date=utc(2026, 11, 27, 1, 40, 15),
        to=(SUPPORT,),
        says=(
            "我昨天买的咖啡机（订单 LC-90233）加热很慢，水温只有 60°C 左右。",
            "说明书上写的是 92–96°C，请问是不是坏了？",
        ),
    ),
    "netease163-gbk-reply.eml": Expected(
        subject="Re:Re:[SD-1070] 十一月账单（镕铭贸易）",
        sender=("刘镕", "liurong_trade@163.example"),
        message_id="6a2f1c3b.5d8e.19b4a7c2e11.Coremail.liurong_trade@163.example",
        date=utc(2026, 11, 25, 1, 5, 41),
        to=(who("客服", "support+SD1070.2b3c4d5e6f@desk.example"),),
        in_reply_to=("sd.1070.3.9f8e7d@desk.example",),
        references=("sd.1070.1.1a2b3c@desk.example", "sd.1070.3.9f8e7d@desk.example"),
        says=(
            "好的，收到。我们周五前付款，付款账户名为“镕铭贸易有限公司”。",
            "金额为 ￥3,280.00。",
        ),
        html=True,
    ),
    "gb18030-four-byte-chars.eml": Expected(
        subject="客户姓名应为“𠮷田”，不是“吉田”",
        sender=("𠮷田真由美", "mayumi.yoshida@tokai-trading.example"),
        message_id="tencent_5A7B3C2D1E0F9A8B7C6D5E4F@qq.example",
        date=utc(2026, 11, 26, 2, 20, 0),
        to=(SUPPORT,),
        says=(
            "我们的客户姓名应为“𠮷田真由美”（第一个字是“𠮷”，上面是“土”，不是“士”）。",
            "另外，发票金额是 €120.00，不是 ¥120.00。",
            "谢谢😊",
        ),
    ),
    "big5-outlook-original-message.eml": Expected(
        subject="RE: [SD-1081] 帳號無法登入（許先生）",
        sender=("許志明", "hsu.chihming@example.com.tw"),
        message_id="001201db5f3a$4c2e1f80$e48a5e80$@example.com.tw",
        date=utc(2026, 11, 26, 7, 45, 12),
        to=(who("Supportdesk", "support+SD1081.4d5e6f7a8b@desk.example"),),
        in_reply_to=("sd.1081.2.ab12cd@desk.example",),
        references=("sd.1081.2.ab12cd@desk.example",),
        says=(
            "我們公司的帳號還是無法登入，錯誤訊息是「密碼已過期」。",
            "已經試過「忘記密碼」功能，但沒有收到重設信。請協助處理，謝謝。",
        ),
    ),
    "iso2022jp-japanese.eml": Expected(
        subject="請求書の宛名変更のお願い（株式会社サンプル）",
        sender=("田中 太郎", "t.tanaka@sample-corp.example"),
        message_id="20261127093000.A1B2C3D4E5F6.t.tanaka@sample-corp.example",
        date=utc(2026, 11, 27, 0, 30, 0),
        to=(SUPPORT,),
        says=(
            "株式会社サンプル 経理部の田中です。",
            "来月分から請求書の宛名を「株式会社サンプル 経理部 御中」に",
            "〒100-0005 東京都千代田区丸の内1-1-1",
        ),
    ),
    "mutt-latin1-label-cp1252-bytes.eml": Expected(
        # the subject's 0x96 is a windows-1252 en dash, though the label says iso-8859-1
        subject="Re: [SD-1029] Doppelte Abbuchung – Café am Markt",
        sender=("Jürgen Weiß", "juergen@weiss-baeckerei.example"),
        message_id="20261123200509.GA31337@weiss-baeckerei.example",
        date=utc(2026, 11, 23, 20, 5, 9),
        to=(who("Supportdesk", "support+SD1029.7a6b5c4d3e@desk.example"),),
        # Mutt's old "<id>; from ... on ..." form: only the id counts
        in_reply_to=("sd.1029.1.c0ffee@desk.example",),
        references=("sd.1029.1.c0ffee@desk.example",),
        says=(
            "die Rechnung über 120 € wurde zweimal abgebucht – bitte prüfen.",
            "Betroffen ist die Filiale „Café am Markt“.",
        ),
    ),
    "rfc2047-folded-mixed-charsets.eml": Expected(
        # UTF-8 B, ISO-8859-1 Q and UTF-8 q words folded over three lines, then plain text
        subject="[SD-1084] Bestellung für München — 東京 und Paris",
        sender=("Björn Åkesson", "bjorn.akesson@example.se"),
        message_id="b7e1c2d3-4f5a-6b7c-8d9e-0f1a2b3c4d5e@example.se",
        date=utc(2026, 11, 26, 22, 59, 59),
        to=(
            who("Ирина Петрова", "irina.petrova@example.ru"),
            who("Supportdesk", "support@desk.example"),
        ),
        cc=(
            who("Łukasz Wójcik", "lukasz.wojcik@example.pl"),
            who("佐藤 花子", "hanako.sato@example.jp"),
        ),
        says=("Bifogar beställningen för München och Tokio (東京). Fakturan kommer separat.",),
        attachments=3,
    ),
    "thunderbird-forward-as-attachment.eml": Expected(
        subject="Fwd: Payment failed for invoice INV-2026-0457",
        sender=("Hanna Berg", "hanna.berg@example.se"),
        message_id="4d5e6f70-8192-a3b4-c5d6-e7f809102030@example.se",
        date=utc(2026, 11, 24, 11, 0, 0),
        to=(SUPPORT,),
        says=("Hi, our card payment failed again, see the attached message from the bank.",),
        attachments=1,
    ),
    "gmail-forward-inline.eml": Expected(
        subject="Fwd: Payment failed for invoice INV-2026-0461",
        sender=("Tomás Ortega", "tomas.ortega@example.es"),
        message_id="CAF4q+Vn3xZ8kP2mWq7rT1sY5uB9cD0eG6hJ3kL8mN1oQ@mail.gmail.example",
        date=utc(2026, 11, 24, 9, 2, 41),
        to=(SUPPORT,),
        says=(
            "Please see below — can you retry the charge?",
            "---------- Forwarded message ---------",
            "Your payment of EUR 49.00 for invoice INV-2026-0461 was declined (code 51:",
        ),
        html=True,
    ),
    "google-calendar-invite-request.eml": Expected(
        subject=(
            "Invitation: Supportdesk onboarding call @ Thu 3 Dec 2026 15:00 - 15:30 (GMT)"
            " (support@desk.example)"
        ),
        sender=("Priya Raman", "priya.raman@example.com"),
        reply_to=(who("Priya Raman", "priya.raman@example.com"),),
        message_id="calendar-6c0e1d2f-3a4b-4c5d-8e9f-0a1b2c3d4e5f@google.example",
        date=utc(2026, 11, 25, 16, 41, 7),
        to=(SUPPORT,),
        says=("Thursday 3 Dec 2026 ⋅ 15:00 – 15:30", "Agenda: SSO, the e-mail channel, SLAs."),
        html=True,
        attachments=2,
    ),
    "postfix-dsn-bounce.eml": Expected(
        subject="Undelivered Mail Returned to Sender",
        # "MAILER-DAEMON@host (Mail Delivery System)": a comment, not a display name
        sender=(None, "MAILER-DAEMON@mail.desk.example"),
        message_id="20261124103102.4Zk9Q81234@mail.desk.example",
        date=utc(2026, 11, 24, 10, 31, 2),
        to=(SUPPORT,),
        says=(
            "This is the mail system at host mail.desk.example.",
            "Recipient address rejected: User unknown",
        ),
        auto_reply="bounce",
        attachments=None,
    ),
    "exchange-out-of-office.eml": Expected(
        subject="Automatic reply: [SD-1042] Your CSV export is ready",
        sender=("Maria Gonzalez", "Maria.Gonzalez@example.com"),
        message_id="2a3b4c5d6e7f4a8b9c0d1e2f3a4b5c6d@DM6PR11MB4321.namprd11.prod.outlook.example",
        date=utc(2026, 11, 25, 8, 0, 3),
        to=(who("Supportdesk", "support+SD1042.abcdef1234@desk.example"),),
        in_reply_to=("sd.1042.4.e5f6a7@desk.example",),
        references=("sd.1042.4.e5f6a7@desk.example",),
        says=("I am out of the office until Monday 30 November with limited access to e-mail.",),
        # it carries both Auto-Submitted: auto-replied and X-Autoreply: yes
        auto_reply=frozenset({"auto-submitted", "x-autoreply"}),
    ),
    "vacation-x-autoreply-only.eml": Expected(
        subject="自动回复：[SD-1070] 十一月账单（镕铭贸易）",
        sender=("刘镕", "liurong_trade@163.example"),
        message_id="autoreply.19b4b2c3d4e.1764115212@163.example",
        date=utc(2026, 11, 26, 0, 0, 12),
        to=(who("", "support+SD1070.2b3c4d5e6f@desk.example"),),
        in_reply_to=("sd.1070.5.0a0b0c@desk.example",),
        says=("您好，您的来信我已收到，我将在假期结束后（12月1日）尽快回复。",),
        auto_reply="x-autoreply",
    ),
    "newsletter-precedence-bulk.eml": Expected(
        subject="🎉 Black Friday: 40% off all plans",
        sender=("Acme Analytics", "news@acme-analytics.example"),
        reply_to=(who("Acme Analytics", "news@acme-analytics.example"),),
        message_id=(
            "c4f2b1e0a9d8c7b6a5f4e3d2c1b0a998.20261127140014.1234567@mail91.acme-analytics.example"
        ),
        date=utc(2026, 11, 27, 14, 0, 14),
        to=(SUPPORT,),
        says=("Upgrade before 30 November and keep the price for a year.",),
        html=True,
        # List-Id and List-Unsubscribe too, but Precedence: bulk is the reason given
        auto_reply="precedence",
    ),
    "mailing-list-list-id-no-precedence.eml": Expected(
        subject="Re: [supportdesk/supportdesk] IMAP poller stalls on Big5 subjects (Issue #412)",
        sender=("Octo Dev", "notifications@code.example"),
        reply_to=(who("supportdesk/supportdesk", "reply+ABCDEF1234567890@reply.code.example"),),
        message_id="supportdesk/supportdesk/issues/412/2891234567@code.example",
        date=utc(2026, 11, 26, 21, 37, 0),
        to=(who("supportdesk/supportdesk", "supportdesk@noreply.code.example"),),
        cc=(who("Subscribed", "subscribed@noreply.code.example"),),
        in_reply_to=("supportdesk/supportdesk/issues/412@code.example",),
        references=("supportdesk/supportdesk/issues/412@code.example",),
        says=("The poller decodes Big5 subjects now; could you try the nightly build?",),
        html=True,
        auto_reply="list",
    ),
    LARGE: Expected(
        subject="[SD-1095] Debug log from the sync agent",
        sender=("Kwame Mensah", "kwame.mensah@example.com.gh"),
        message_id="001a01db60f2$8a2b3c40$9e81b4c0$@example.com.gh",
        date=utc(2026, 11, 27, 16, 20, 0),
        to=(who("Supportdesk", "support+SD1095.8c9d0e1f2a@desk.example"),),
        says=("the full debug log from last night's sync is attached (about 15 MB).",),
        attachments=1,
    ),
    MALFORMED: Expected(
        subject="Scanned document from MFP-3",
        sender=("Scan to Mail", "scanner@office.example"),
        message_id="scan.20261124071200.3@office.example",
        date=None,  # "Tue, 31 Nov 2026 25:61:00 +0100" is no date
        to=(SUPPORT,),
        says=("The scanner jammed on page 3 of 5; pages 1-2 are attached.",),
        attachments=1,
    ),
    "html-only-web-form.eml": Expected(
        subject="Kontaktformular: Lieferung beschädigt",
        sender=("Kontaktformular", "noreply@shop.example"),
        reply_to=(who("Hanna Ström", "hanna.strom@example.se"),),
        message_id=None,
        date=utc(2026, 11, 25, 18, 45, 0),
        to=(SUPPORT,),
        says=(
            "Hanna Ström",
            "4711",
            "Das Paket kam beschädigt an: die Glasvase ist zerbrochen.",
            "Danke & Grüße,",
        ),
        html=True,
    ),
    "gmail-reply-all-cc-wrapped-attribution.eml": Expected(
        subject="Re: [SD-1042] Your CSV export is ready",
        sender=("Jordan Lee", "jordan.lee@example.com"),
        message_id="CAJx9+Lm0Qz3Wv7n_pR4tS8uY1bC5dE6fG7hI8jK9lM0nO@mail.gmail.example",
        date=utc(2026, 11, 24, 21, 31, 45),
        to=(who("Supportdesk", "support+SD1042.abcdef1234@desk.example"),),
        cc=(
            who("Maria Gonzalez", "Maria.Gonzalez@example.com"),
            who("Accounts Payable, Example Inc.", "ap@example.com"),
            who("François Dubé", "francois.dube@example.ca"),
            who("", "ops@example.com"),
        ),
        in_reply_to=("sd.1042.4.e5f6a7@desk.example",),
        references=(
            "sd.1042.1.a0b1c2@desk.example",
            "sd.1042.3.d3e4f5@desk.example",
            "sd.1042.4.e5f6a7@desk.example",
        ),
        says=("Thanks! Adding Maria and accounts payable so they get the file too.",),
        html=True,
    ),
    "lotus-notes-cid-image-without-name.eml": Expected(
        subject="Label printer prints blank labels",
        sender=("Klaus Becker", "Klaus.Becker@becker-logistik.example"),
        message_id=(
            "OF8A3B2C1D.4E5F6A7B-ONC1258C2A.004E1F2A-C1258C2A.004E3B4C@becker-logistik.example"
        ),
        date=utc(2026, 11, 26, 14, 14, 22),
        to=(SUPPORT,),
        says=("since this morning our label printer only prints blank labels (see picture).",),
        html=True,
        attachments=1,
    ),
}

NAMES = sorted(EXPECTED)
WELL_FORMED = [name for name in NAMES if name != MALFORMED]
WITH_HTML = [name for name in NAMES if EXPECTED[name].html]
WITHOUT_HTML = [name for name in NAMES if not EXPECTED[name].html]

# What the agent reads of each reply: the new words only, no quoted history, no signature.
NEW_WORDS = {
    "outlook16-reply-windows1252-qp.eml": (
        "Hi Dana,\n\n"
        "Thanks – that worked. The invoice now says “€49.00 per agent” as expected.\n\n"
        "One more thing: the PDF still shows our old address (“Unit 4, Harbour Road”)."
        " Could you update it to “Unit 12, Quay Street” before the next invoice run?\n\n"
        "Kind regards,\n"
        "Siobhán"
    ),
    "gmail-reply-utf8-signature.eml": (
        "Hi,\n\n"
        "I tried again this morning — the CSV export still stops at 1 000 rows.\n"
        "Could you raise the limit for our account? Merci d’avance !"
    ),
    "apple-mail-iphone-inline-image.eml": (
        "Hallo,\n\n"
        "hier ein Foto vom Display. Der Fehler kommt direkt nach dem Einschalten, auch nach dem"
        " Zurücksetzen auf Werkseinstellungen.\n\n"
        "Viele Grüße\n"
        "Jörg Schäfer"
    ),
    "foxmail-gb2312-label-gbk-chars.eml": (
        "您好：\n\n"
        "发票抬头请改为“杭州瑀光科技有限公司”，税号不变（91330106MA2KX8QF7Q）。\n"
        "麻烦重新开具后发到这个邮箱，谢谢！\n\n"
        "周瑀婷\n"
        "财务部"
    ),
    "netease163-gbk-reply.eml": (
        "好的，收到。我们周五前付款，付款账户名为“镕铭贸易有限公司”。\n\n刘镕"
    ),
    "big5-outlook-original-message.eml": (
        "您好，\n\n"
        "我們公司的帳號還是無法登入，錯誤訊息是「密碼已過期」。\n"
        "已經試過「忘記密碼」功能，但沒有收到重設信。請協助處理，謝謝。\n\n"
        "許志明\n"
        "資訊部"
    ),
    "mutt-latin1-label-cp1252-bytes.eml": (
        "Hallo,\n\n"
        "die Rechnung über 120 € wurde zweimal abgebucht – bitte prüfen.\n"
        "Betroffen ist die Filiale „Café am Markt“.\n\n"
        "Viele Grüße\n"
        "Jürgen Weiß"
    ),
    "gmail-reply-all-cc-wrapped-attribution.eml": (
        "Thanks! Adding Maria and accounts payable so they get the file too.\n\nJordan"
    ),
}

# Messages with no quoted history and no signature: nothing may be cut from them.
NOTHING_TO_CUT = [
    "coremail-raw-utf8-and-encoded-word-filenames.eml",
    "gb18030-four-byte-chars.eml",
    "iso2022jp-japanese.eml",
    "rfc2047-folded-mixed-charsets.eml",
    "thunderbird-forward-as-attachment.eml",
    "lotus-notes-cid-image-without-name.eml",
]

C1_CONTROLS = re.compile("[\x80-\x9f]")
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_every_corpus_file_has_its_expectations() -> None:
    on_disk = {path.name for path in CORPUS.glob("*.eml")}
    assert on_disk == set(EXPECTED)


# ------------------------------------------------------------------ every message


@pytest.mark.parametrize("name", NAMES)
def test_the_subject_reads_exactly_as_the_sender_wrote_it(name: str) -> None:
    assert parsed(name).subject == EXPECTED[name].subject


@pytest.mark.parametrize("name", NAMES)
def test_the_sender_shows_with_decoded_name_and_address_as_written(name: str) -> None:
    sender = parsed(name).sender
    expected_name, expected_address = EXPECTED[name].sender
    assert sender is not None
    assert sender.address == expected_address
    if expected_name is not None:
        assert sender.name == expected_name


@pytest.mark.parametrize("name", NAMES)
def test_recipients_show_with_decoded_names_in_header_order(name: str) -> None:
    message, expected = parsed(name), EXPECTED[name]
    assert message.to == list(expected.to)
    assert message.cc == list(expected.cc)
    assert message.reply_to == list(expected.reply_to)


@pytest.mark.parametrize("name", NAMES)
def test_the_message_id_is_kept_without_angle_brackets(name: str) -> None:
    assert parsed(name).message_id == EXPECTED[name].message_id


@pytest.mark.parametrize("name", NAMES)
def test_the_duplicate_check_reads_the_same_message_id_from_the_header_block(name: str) -> None:
    assert message_id_in((CORPUS / name).read_bytes()) == EXPECTED[name].message_id


@pytest.mark.parametrize("name", NAMES)
def test_replies_point_at_the_messages_they_answer(name: str) -> None:
    message, expected = parsed(name), EXPECTED[name]
    assert message.in_reply_to == list(expected.in_reply_to)
    assert message.references == list(expected.references)


@pytest.mark.parametrize("name", NAMES)
def test_the_date_is_shown_in_utc(name: str) -> None:
    date, expected = parsed(name).date, EXPECTED[name].date
    assert date == expected
    if expected is not None:
        assert date is not None and date.utcoffset() == timedelta(0)


@pytest.mark.parametrize("name", NAMES)
def test_the_body_text_says_what_the_sender_wrote(name: str) -> None:
    text = parsed(name).text
    for phrase in EXPECTED[name].says:
        assert phrase in text


@pytest.mark.parametrize("name", NAMES)
def test_the_body_text_has_plain_line_breaks(name: str) -> None:
    assert "\r" not in parsed(name).text


@pytest.mark.parametrize("name", WELL_FORMED)
def test_well_formed_messages_decode_without_replacement_or_stray_characters(name: str) -> None:
    message = parsed(name)
    assert message.sender is not None
    shown = [message.subject, message.text, message.sender.name]
    shown += [person.name for person in [*message.to, *message.cc, *message.reply_to]]
    for value in shown:
        assert "\ufffd" not in value
        assert not C1_CONTROLS.search(value), ascii(value)
        assert "=?" not in value  # an RFC 2047 word left undecoded


@pytest.mark.parametrize("name", WITH_HTML)
def test_html_is_kept_but_never_runs_script(name: str) -> None:
    html = parsed(name).html
    assert html is not None
    assert "<script" not in html.lower()
    assert not EVENT_HANDLER.search(html)
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("name", WITHOUT_HTML)
def test_plain_text_messages_have_no_html(name: str) -> None:
    assert parsed(name).html is None


@pytest.mark.parametrize("name", NAMES)
def test_machine_sent_mail_says_why_and_people_are_not_flagged(name: str) -> None:
    reason, expected = parsed(name).auto_reply, EXPECTED[name].auto_reply
    if isinstance(expected, frozenset):
        assert reason in expected
    else:
        assert reason == expected


@pytest.mark.parametrize("name", [name for name in NAMES if EXPECTED[name].attachments is not None])
def test_alternative_bodies_are_not_counted_as_attachments(name: str) -> None:
    assert len(parsed(name).attachments) == EXPECTED[name].attachments


# ------------------------------------------------------------------ the new words only


@pytest.mark.parametrize("name", sorted(NEW_WORDS))
def test_the_agent_reads_only_the_new_reply(name: str) -> None:
    assert visible_text(parsed(name).text) == NEW_WORDS[name]


# Reply headers where the library's splitting has its corners: a header block first, a
# header pattern with a group inside it (French), CRLF text, several headers, none.
REPLY_SHAPES = {
    "outlook-block-first": "From: Ada\nSent: Monday\nTo: Mei\nSubject: Re: x\n\nOld",
    "german": "Danke!\n\nAm 23.11.2026 um 10:12 schrieb Ada <ada@desk.example>:\n> Alt",
    "french": "Merci.\n\nLe lun. 23 nov. 2026 à 10:12, Ada <ada@x.example> a écrit :\n> Ancien",
    "chinese": "好的\r\n\r\n发件人: Ada\r\n发送时间: 2026年11月23日\r\n收件人: Mei\r\n主题: 路由器",
    "two-headers": "New\nOn Mon, Ada wrote:\n> Middle\n> On Sun, Mei wrote:\n>> Oldest",
    "no-header": "  Just one line, no history.  ",
}


def library_reads(text: str) -> str:
    """mail-parser-reply's own newest reply, which ``latest_reply`` computes faster."""
    return EmailReplyParser(languages=list(LANGUAGES)).read(text).replies[0].content


@pytest.mark.parametrize("name", NAMES)
def test_the_latest_reply_is_the_one_mail_parser_reply_reads(name: str) -> None:
    text = parsed(name).text
    assert latest_reply(text) == library_reads(text)


@pytest.mark.parametrize("text", REPLY_SHAPES.values(), ids=REPLY_SHAPES.keys())
def test_the_latest_reply_matches_the_library_in_its_corners(text: str) -> None:
    assert latest_reply(text) == library_reads(text)


@pytest.mark.parametrize("name", NOTHING_TO_CUT)
def test_messages_without_history_are_shown_whole(name: str) -> None:
    text = parsed(name).text
    assert visible_text(text) == text.strip()


def test_a_forwarded_message_is_content_not_quoted_history() -> None:
    shown = visible_text(parsed("gmail-forward-inline.eml").text)
    assert "Please see below — can you retry the charge?" in shown
    assert "From: Billing <billing@payments.example>" in shown
    assert "was declined (code 51:" in shown


def test_a_japanese_signature_block_is_not_mistaken_for_history() -> None:
    shown = visible_text(parsed("iso2022jp-japanese.eml").text)
    assert shown.endswith("TEL: 03-1234-5678\n━━━━━━━━━━━━━━━━━━━━")


# ------------------------------------------------------------------ charsets read leniently


def test_a_gb2312_label_still_decodes_gbk_only_characters() -> None:
    message = parsed("foxmail-gb2312-label-gbk-chars.eml")
    # 瑀 (U+7440) is in GBK but not in GB2312; Foxmail labels GBK text "gb2312" anyway
    assert message.sender == who("周瑀婷", "2851734096@qq.example")
    assert "瑀光" in message.subject
    assert "周瑀婷" in message.text


def test_gb18030_four_byte_characters_survive() -> None:
    message = parsed("gb18030-four-byte-chars.eml")
    assert message.sender is not None and message.sender.name == "𠮷田真由美"
    assert "𠮷" in message.subject  # U+20BB7, outside the Basic Multilingual Plane
    assert "😊" in message.text


def test_big5_bytes_that_look_like_backslashes_are_characters() -> None:
    # 許 is B3 5C and 功 is A5 5C in Big5: the 5C must not become a backslash
    message = parsed("big5-outlook-original-message.eml")
    assert "許志明" in message.text
    assert "「忘記密碼」功能" in message.text
    assert "\\" not in message.text
    assert message.subject.endswith("（許先生）")


def test_a_latin1_label_on_windows_1252_bytes_shows_euro_signs_and_dashes() -> None:
    text = parsed("mutt-latin1-label-cp1252-bytes.eml").text
    assert "120 €" in text  # byte 0x80
    assert "abgebucht – bitte" in text  # byte 0x96
    assert "„Café am Markt“" in text  # bytes 0x84 and 0x93
    assert "Grüße" in text
    assert not C1_CONTROLS.search(text)


# ------------------------------------------------------------------ attachments


def test_an_iphone_photo_is_an_inline_image_with_its_content_id() -> None:
    (image,) = parsed("apple-mail-iphone-inline-image.eml").attachments
    assert image.filename == "IMG_0412.png"
    assert image.content_type == "image/png"
    assert image.content_id == "6F1A2B3C-4D5E-4F60-8172-93A4B5C6D7E8"
    assert image.inline is True
    assert image.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(image.data) == 187


def test_an_image_referenced_only_by_cid_is_inline_and_gets_a_name() -> None:
    # HCL Notes sends inline images with a Content-ID and nothing else: no name, no disposition
    (image,) = parsed("lotus-notes-cid-image-without-name.eml").attachments
    assert image.content_type == "image/gif"
    assert image.content_id == "_2_0B5C4D3E0B5C4A1C004E3B4CC1258C2A"
    assert image.inline is True
    assert image.filename.endswith(".gif")
    assert image.data.startswith(b"GIF89a")
    assert len(image.data) == 43


def test_attachment_names_in_rfc_2231_and_rfc_2047_are_decoded() -> None:
    attachments = parsed("rfc2047-folded-mixed-charsets.eml").attachments
    assert [(a.filename, a.content_type, len(a.data), a.inline) for a in attachments] == [
        ("Bestellung München — 東京.pdf", "application/pdf", 1970, False),
        (
            "Präsentation für den Kunden (final).pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            2336,
            False,
        ),
        ("注文明細.csv", "text/csv", 83, False),
    ]
    assert attachments[0].data.startswith(b"%PDF-1.4")
    assert attachments[1].data.startswith(b"PK\x03\x04")
    assert attachments[2].data.decode("utf-8").startswith("Artikel;Menge;Preis\n注文A-17;3;")


def test_attachment_names_in_raw_utf8_and_with_encoded_words_inside_read_as_written() -> None:
    # Coremail writes the names as raw 8-bit UTF-8 (RFC 6532); clients that quote an RFC
    # 2047 word inside the name (against RFC 2047, as Outlook and Gmail do) are read too.
    attachments = parsed("coremail-raw-utf8-and-encoded-word-filenames.eml").attachments
    assert [(a.filename, a.content_type) for a in attachments] == [
        ("发票 2026-11.pdf", "application/pdf"),
        (
            "报价单（最终版）.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("屏幕截图 错误.png", "image/png"),
    ]
    assert attachments[0].data.startswith(b"%PDF-1.4")


def test_utf8_bytes_under_a_gb2312_label_read_as_utf8_not_mojibake() -> None:
    message = parsed("outlook-utf8-bytes-labelled-gb2312.eml")
    assert message.text.startswith("你好：\n\n我昨天买的咖啡机")
    assert message.text.endswith("谢谢！\n王小雨")
    # ... while GBK bytes under the same label still read as GBK (they are no valid UTF-8).
    assert "麻烦重新开具后发到这个邮箱" in parsed("foxmail-gb2312-label-gbk-chars.eml").text


def test_a_message_forwarded_as_attachment_is_an_eml_attachment() -> None:
    message = parsed("thunderbird-forward-as-attachment.eml")
    (forwarded,) = message.attachments
    assert forwarded.filename == "Payment failed for invoice INV-2026-0457.eml"
    assert forwarded.content_type == "message/rfc822"
    assert forwarded.inline is False
    assert b"Message-ID: <pay.0457.failed@payments.example>" in forwarded.data
    assert b"was declined" in forwarded.data


def test_a_calendar_invite_arrives_as_two_ics_files() -> None:
    message = parsed("google-calendar-invite-request.eml")
    attachments = message.attachments
    assert [(a.filename, a.content_type, a.inline) for a in attachments] == [
        ("invite.ics", "text/calendar", False),  # the text/calendar alternative, unnamed
        ("invite.ics", "application/ics", False),  # the attached file
    ]
    for invite in attachments:
        assert invite.data.startswith(b"BEGIN:VCALENDAR")
        assert b"METHOD:REQUEST" in invite.data
        assert b"UID:6c0e1d2f3a4b4c5d8e9f0a1b2c3d4e5f@google.example" in invite.data
    assert len(attachments[1].data) == 1169
    assert message.auto_reply is None


def test_a_20_mb_message_keeps_its_15_mib_log_whole_and_out_of_the_body() -> None:
    assert 20_000_000 < (CORPUS / LARGE).stat().st_size < 25_000_000
    message = parsed(LARGE)
    (log,) = message.attachments
    assert log.filename == "sync-agent-debug-2026-11-26.log"
    assert log.content_type == "text/plain"
    assert log.inline is False
    assert len(log.data) == 15 * 1024 * 1024
    assert hashlib.sha256(log.data).hexdigest() == (
        "89847492d47efb401088cfd7a3e68046e515323f7b871f0831fae6ca4d2d6666"
    )
    assert len(message.text) < 1000
    assert "sync-agent[4000]" not in message.text


def test_a_bounce_keeps_the_reason_for_the_agent() -> None:
    message = parsed("postfix-dsn-bounce.eml")
    assert message.auto_reply == "bounce"
    assert "<nobody@customer.example>: host mx.customer.example[203.0.113.25] said: 550" in (
        message.text
    )


# ------------------------------------------------------------------ HTML


def test_an_html_only_message_becomes_readable_text() -> None:
    text = parsed("html-only-web-form.eml").text
    assert re.search(r"zerbrochen\.\s*\n\s*Können Sie Ersatz schicken\?", text)
    assert re.search(r"Danke & Grüße,\s*\n\s*Hanna", text)
    for markup in ("<p>", "<br>", "&amp;", "font-family", "window.location", "track()"):
        assert markup not in text  # no tags, entities, CSS or script source
    assert "javascript:" not in text  # nor the target of a script link


def test_an_html_only_message_keeps_its_html_without_the_dangerous_parts() -> None:
    html = parsed("html-only-web-form.eml").html
    assert html is not None
    assert "Glasvase" in html
    assert "window.location" not in html
    assert "onerror" not in html
    assert "onload" not in html
    assert "javascript:" not in html


def test_outlook_html_keeps_the_windows_1252_characters() -> None:
    html = parsed("outlook16-reply-windows1252-qp.eml").html
    assert html is not None
    assert "“€49.00 per agent”" in html


# ------------------------------------------------------------------ broken input


def test_a_broken_message_still_shows_what_can_be_read() -> None:
    # header garbage, an unknown charset, a truncated base64 PDF and no closing boundary
    message = parsed(MALFORMED)
    assert message.defects
    assert all(isinstance(defect, str) and defect for defect in message.defects)
    assert "The scanner jammed on page 3 of 5; pages 1-2 are attached." in message.text
    assert "Raum 2.14" in message.text  # the second line, in the unknown charset
    (scan,) = message.attachments
    assert scan.filename == "scan_0001.pdf"
    assert scan.content_type == "application/pdf"
    assert scan.data.startswith(b"%PDF-1.4")


@pytest.mark.parametrize("name", WELL_FORMED)
def test_well_formed_messages_report_no_missing_boundaries(name: str) -> None:
    defects = " ".join(parsed(name).defects).lower()
    assert "boundary" not in defects


@pytest.mark.parametrize(
    "raw",
    [b"", b"just some words without headers"],
    ids=["empty", "words-without-headers"],
)
def test_input_that_is_not_an_email_is_refused(raw: bytes) -> None:
    with pytest.raises(EmailParseError):
        parse_email(raw)


@pytest.mark.parametrize(
    ("subject", "charset", "expected"),
    [
        ("Routeur en panne – merci".encode(), "iso-8859-1", "Routeur en panne – merci"),
        ("路由器频繁断线".encode("gbk"), "gb2312", "路由器频繁断线"),
    ],
    ids=["utf-8", "gbk-like-the-text"],
)
def test_a_raw_8bit_subject_reads_as_utf8_else_in_the_charset_of_the_text(
    subject: bytes, charset: str, expected: str
) -> None:
    raw = (
        b"From: mei@example.com\r\nSubject: " + subject + b"\r\n"
        b"Content-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\nHello\r\n"
    )
    assert parse_email(raw).subject == expected
