"""The demo desk's help center: the coffee-machine shop's answers, in English and Chinese.

Loaded by ``supportdesk demo`` (``supportdesk.demo``) through the services agents use, so
slugs, versions and translations come out as in real use. Readers' views and votes are
given so that the ranking has something to rank: the most read and best liked list first;
and suggestions shown over the last weeks, settled by the deflection service, so that the
review's "Deflection" tab has figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from supportdesk.core.models import DbSession
from supportdesk.knowledge import activity, categories, deflection, ranking, voters
from supportdesk.knowledge.articles import create_article, update_article
from supportdesk.knowledge.models import (
    Article,
    ArticleStatus,
    ArticleVote,
    KbSurface,
    Suggestion,
)
from supportdesk.users.models import User


@dataclass(frozen=True)
class Text:
    title: str
    body: str


@dataclass(frozen=True)
class DemoArticle:
    section: str  # the section's English name
    en: Text | None
    zh: Text | None
    #: (helpful, not helpful) votes, and readers' views, of each locale's article
    votes: tuple[int, int] = (0, 0)
    views: int = 0
    draft: bool = False
    related: tuple[str, ...] = ()  # English titles
    #: what the latest reader who said No wrote (the review queue shows it)
    no_comment: str | None = None


SHELVES = {
    ("Orders and refunds", "订单与退款"): (("Refunds", "退款"), ("Shipping", "配送")),
    ("Your account", "您的账户"): (("Signing in", "登录"), ("Invoices", "发票")),
    ("Your machine", "您的咖啡机"): (("Care", "保养"), ("Troubleshooting", "故障排除")),
}

ARTICLES = (
    DemoArticle(
        "Refunds",
        Text(
            "Refund policy",
            "We refund any order in full within **30 days** of delivery, no questions "
            "asked.\n\n## How to ask for a refund\n\n1. Sign in and open **Orders**.\n"
            "2. Choose the order and click **Request a refund**.\n3. Send the machine "
            "back in its box; the label is on us.\n\nThe money is back on your card "
            "within 5 working days of the parcel reaching us.",
        ),
        Text(
            "退款政策",
            "收货后 **30 天**内，任何订单均可全额退款，无需说明理由。\n\n## 如何申请退款\n\n"
            "1. 登录后打开**我的订单**。\n2. 选择订单，点击**申请退款**。\n"
            "3. 将咖啡机装回原包装寄回，运费由我们承担。\n\n"
            "我们收到包裹后 5 个工作日内，款项将退回您的付款账户。",
        ),
        votes=(42, 3),
        views=900,
        related=("Shipping times and tracking",),
    ),
    DemoArticle(
        "Signing in",
        Text(
            "How to reset your password",
            "Forgot your password? Reset it in a minute.\n\n1. On the sign-in page, click "
            "**Forgot password**.\n2. Enter the e-mail address of your account.\n3. Open "
            "the link we mail you (it works for 15 minutes) and choose a new password.\n\n"
            "No mail after 5 minutes? Look in your spam folder, then contact us.",
        ),
        Text(
            "如何重置密码",
            "忘记密码了？一分钟即可重置。\n\n1. 在登录页点击**忘记密码**。\n"
            "2. 输入您账户的电子邮箱地址。\n"
            "3. 打开我们发送的链接（15 分钟内有效），设置新密码。\n\n"
            "5 分钟后仍未收到邮件？请先查看垃圾邮件文件夹，再联系我们。",
        ),
        votes=(18, 2),
        views=500,
    ),
    DemoArticle(
        "Shipping",
        Text(
            "Shipping times and tracking",
            "Orders leave our warehouse within one working day.\n\n| Where | Delivery |\n"
            "| --- | --- |\n| Mainland US | 2–4 days |\n| Canada | 4–7 days |\n\n"
            "The tracking link is in your shipping confirmation e-mail.",
        ),
        Text(
            "配送时间与物流查询",
            "订单会在一个工作日内从仓库发出。\n\n| 地区 | 送达时间 |\n| --- | --- |\n"
            "| 中国大陆 | 2–4 天 |\n| 港澳台 | 4–7 天 |\n\n物流查询链接在发货确认邮件中。",
        ),
        votes=(5, 4),
        views=300,
        related=("Refund policy",),
    ),
    DemoArticle(
        "Care",
        Text(
            "Descaling your machine",
            "Descale every month, or when the **descale** light comes on.\n\n"
            "1. Fill the tank with water and one sachet of descaler.\n2. Hold the **steam** "
            "and **cup** buttons for 3 seconds.\n3. When the light stops blinking, rinse "
            "the tank and run one tank of clean water through.\n\n"
            "> Never use vinegar: it damages the seals.",
        ),
        Text(
            "如何为咖啡机除垢",
            "建议每月除垢一次，或在**除垢**指示灯亮起时进行。\n\n"
            "1. 在水箱中加入清水和一包除垢剂。\n2. 同时按住**蒸汽**键和**杯量**键 3 秒。\n"
            "3. 指示灯停止闪烁后，冲洗水箱，再用一整箱清水冲洗一遍。\n\n"
            "> 请勿使用白醋，它会损坏密封圈。",
        ),
        votes=(25, 1),
        views=400,
        related=("The grinder makes a clicking noise",),
    ),
    DemoArticle(
        "Troubleshooting",
        Text(
            "The grinder makes a clicking noise",
            "A loud click usually means a bean or a stone is stuck between the burrs.\n\n"
            "1. Unplug the machine.\n2. Empty the bean hopper and remove the upper burr.\n"
            "3. Brush the burrs clean and put the burr back.\n\n"
            "Still clicking? Stop using the grinder and contact us.",
        ),
        Text(
            "磨豆机发出咔哒声",
            "响亮的咔哒声通常是咖啡豆或小石子卡在了磨盘之间。\n\n1. 拔下电源。\n"
            "2. 清空豆仓，取下上磨盘。\n3. 用刷子清洁磨盘后装回。\n\n"
            "仍有响声？请停止使用磨豆机并联系我们。",
        ),
        votes=(3, 12),
        views=150,
        related=("Descaling your machine",),
        no_comment="The upper burr does not come off on my model. Which way does it turn?",
    ),
    DemoArticle(
        "Invoices",
        Text(
            "Correcting the name on your invoice",
            "Write to us with your order number and the right company name and tax "
            "number; we send a corrected invoice within two working days.",
        ),
        Text(
            "修改发票抬头",
            "请将订单号、正确的发票抬头和纳税人识别号发送给我们，我们会在两个工作日内重新开具发票。",
        ),
        votes=(3, 0),
        views=60,
    ),
    DemoArticle(
        "Troubleshooting",
        Text(
            "A damaged power cable",
            "**Unplug the machine at once** and do not use it if the cable sparks, is cut "
            "or feels hot. Contact us: we pick it up and send a loaner the same week.",
        ),
        Text(
            "电源线损坏的安全须知",
            "如果电源线出现火花、破损或发烫，请**立即拔下电源**并停止使用。"
            "请联系我们：我们会上门取件，并在当周寄出备用机。",
        ),
        votes=(9, 0),
        views=80,
    ),
    DemoArticle(
        "Care",
        Text(
            "Milk frothing for beginners",
            "Start with cold milk, the wand just under the surface, and stop at 65 °C.",
        ),
        None,
        draft=True,
    ),
)


def load_knowledge_base(session: DbSession, editor: User) -> int:
    """Shelve and write the demo's articles, ``editor`` their author; how many."""
    sections = {}
    for (en, zh), shelf in SHELVES.items():
        category = categories.create_category(session, names={"en": en, "zh-CN": zh})
        for section_en, section_zh in shelf:
            sections[section_en] = categories.create_section(
                session, category_id=category.id, names={"en": section_en, "zh-CN": section_zh}
            )
    #: (the English title, locale) -> the article
    written: dict[tuple[str, str], Article] = {}
    for demo in ARTICLES:
        original: Article | None = None
        for locale, text in (("en", demo.en), ("zh-CN", demo.zh)):
            if text is None:
                continue
            article = create_article(
                session,
                title=text.title,
                body=text.body,
                locale=locale,
                author=editor,
                status=ArticleStatus.DRAFT if demo.draft else ArticleStatus.PUBLISHED,
                section_id=sections[demo.section].id,
                translation_of=original.id if original else None,
            )
            _read_and_rated(session, article, demo)
            original = original or article
            written[(demo.en.title if demo.en else text.title, locale)] = article
    for demo in ARTICLES:  # "see also", once every article is there, in its own language
        for (title, locale), article in written.items():
            if demo.en and title == demo.en.title and demo.related:
                related = [written[(other, locale)].id for other in demo.related]
                update_article(session, article, {"related_ids": related}, author=editor)
    return len(written)


def _in_readers_order(helpful: int, not_helpful: int) -> list[bool]:
    """The votes as readers gave them: each No among the Yes, as in real use (all of
    them last would read as a fresh run of No, which the review queue calls out)."""
    total = helpful + not_helpful
    no_at = {int((k + 0.5) * total / not_helpful) for k in range(not_helpful)}
    return [n not in no_at for n in range(total)]


def _read_and_rated(session: DbSession, article: Article, demo: DemoArticle) -> None:
    """Readers' views and votes, as if they had come through the help center."""
    helpful, not_helpful = demo.votes
    votes = [
        ArticleVote(article_id=article.id, voter=f"cookie:demo-{article.id}-{n}", helpful=vote)
        for n, vote in enumerate(_in_readers_order(helpful, not_helpful))
    ]
    if demo.no_comment and article.locale == "en":
        next(vote for vote in reversed(votes) if not vote.helpful).comment = demo.no_comment
    session.add_all(votes)
    article.helpful_count, article.not_helpful_count = helpful, not_helpful
    article.view_count = demo.views
    ranking.refresh_score(article)


def load_reader_history(session: DbSession, customer_id: int, *, before: datetime) -> None:
    """A signed-in customer's self-service in the minutes ``before`` they wrote to us, on
    their timeline: searched in vain, searched again, read the refund policy, found it no
    help (what the agent who picks up the chat sees first)."""
    reader = voters.customer_voter(customer_id)
    refunds = session.scalar(
        select(Article).where(Article.title == "Refund policy", Article.locale == "en")
    )
    assert refunds is not None, "load_knowledge_base first"

    def minutes_before(n: int) -> datetime:
        return before - timedelta(minutes=n)

    portal = KbSurface.PORTAL
    activity.record_search(
        session, reader, "return label", 0, surface=portal, locale="en", at=minutes_before(9)
    )
    activity.record_search(
        session, reader, "send back", 1, surface=portal, locale="en", at=minutes_before(7)
    )
    activity.record_view(session, reader, refunds, surface=portal, at=minutes_before(6))
    activity.record_rating(
        session, reader, refunds, helpful=False, surface=portal, at=minutes_before(2)
    )


@dataclass(frozen=True)
class DemoSuggestion:
    """An article suggested to a reader ``days_ago`` as they typed ``query``, and what
    they did: opened it or not, wrote to us within the day or not."""

    title: str  # the English article's
    days_ago: int
    surface: KbSurface
    query: str
    opened: bool = False
    contacted: bool = False


_WIDGET, _FORM, _PORTAL = KbSurface.WIDGET, KbSurface.REQUEST_FORM, KbSurface.PORTAL
SUGGESTIONS = (
    DemoSuggestion("Refund policy", 20, _WIDGET, "refund", opened=True),
    DemoSuggestion("Refund policy", 17, _FORM, "money back", opened=True),
    DemoSuggestion("Refund policy", 13, _WIDGET, "refund", opened=True, contacted=True),
    DemoSuggestion("Refund policy", 9, _PORTAL, "return", opened=True),
    DemoSuggestion("Refund policy", 4, _FORM, "refund", contacted=True),
    DemoSuggestion("Refund policy", 2, _WIDGET, "refund", opened=True),
    DemoSuggestion("How to reset your password", 15, _WIDGET, "password", opened=True),
    DemoSuggestion("How to reset your password", 6, _FORM, "sign in", opened=True, contacted=True),
    DemoSuggestion("Shipping times and tracking", 11, _WIDGET, "where is my order"),
    DemoSuggestion("Shipping times and tracking", 3, _FORM, "tracking", opened=True),
    DemoSuggestion("The grinder makes a clicking noise", 8, _FORM, "grinder", True, True),
    DemoSuggestion("Descaling your machine", 0, _WIDGET, "descale", opened=True),  # today's
)


def load_deflection(session: DbSession, *, now: datetime) -> int:
    """The demo's suggestions, recorded as the widget, the request form and the portal
    record them and settled as the hourly task settles them (the opened ones nobody wrote
    after count as deflections, at the time they were shown). Each is a reader of its
    own, as they were; how many were settled."""
    for n, demo in enumerate(SUGGESTIONS):
        article = session.scalar(
            select(Article).where(Article.title == demo.title, Article.locale == "en")
        )
        assert article is not None, "load_knowledge_base first"
        reader = voters.Voter(f"cookie:demo-reader-{n}")
        shown_at = now - timedelta(days=demo.days_ago, hours=1 + n % 5)
        [suggestion_id] = deflection.record_shown(
            session, reader, [article.id], surface=demo.surface, query=demo.query
        ).values()
        suggestion = session.get(Suggestion, suggestion_id)
        assert suggestion is not None
        suggestion.shown_at = shown_at  # the services record the present: dated back
        if demo.opened:
            deflection.record_opened(session, reader, suggestion_id, article.id)
            suggestion.opened_at = shown_at + timedelta(minutes=1)
        if demo.contacted:
            deflection.record_contact(
                session, reader_key=reader.key, at=shown_at + timedelta(minutes=25)
            )
    return deflection.settle(session, at=now)
