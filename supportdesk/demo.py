"""Demo data: a small coffee-machine shop's desk, with history on every channel.

Everything goes through the domain services, so the timeline and the ticket events
come out as they would in real use, back-dated over the past four weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from config import SMTP_URL_FILE
from supportdesk.channels.email.outbox import outbox_url
from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers.service import create_customer
from supportdesk.knowledge.demo import load_deflection, load_knowledge_base, load_reader_history
from supportdesk.tickets.models import AuthorKind, CallDirection, Direction, Priority
from supportdesk.tickets.service import add_message, create_ticket, log_call, update_ticket
from supportdesk.tickets.status import Status
from supportdesk.users.models import User
from supportdesk.users.service import create_user

URL = "http://127.0.0.1:5000/"
MINUTE = timedelta(minutes=1)
ADMIN = {"email": "admin@demo.supportdesk", "password": "demo-admin-password"}
AGENT = {"email": "agent@demo.supportdesk", "password": "demo-agent-password"}
SIGN_IN = (
    f"Start the desk with `supportdesk serve`, then sign in at {URL}\n"
    f"  admin: {ADMIN['email']} / {ADMIN['password']}\n"
    f"  agent: {AGENT['email']} / {AGENT['password']}"
)


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    email: str
    phone: str | None = None
    locale: str = "en"


@dataclass(frozen=True)
class Said:
    """A message ``days_ago`` days ago at ``at`` UTC, on the ticket's channel unless given."""

    days_ago: int
    at: str
    by: Literal["customer", "agent", "note"]
    body: str
    channel: Channel | None = None


@dataclass(frozen=True)
class Called:
    """A call with the customer's phone number, taken or made by the demo agent."""

    days_ago: int
    at: str
    direction: CallDirection
    minutes: int
    notes: str


@dataclass(frozen=True)
class DemoTicket:
    customer: str  # the customer's e-mail
    subject: str
    channel: Channel
    story: tuple[Said | Called, ...]
    priority: Priority = Priority.NORMAL
    tags: tuple[str, ...] = ()
    assigned: bool = False  # to the demo agent
    statuses: tuple[Status, ...] = ()  # moves after the story; closing is solved, then closed


EMAIL, CHAT, PHONE, WEB = Channel.EMAIL, Channel.CHAT, Channel.PHONE, Channel.WEB
IN, OUT = CallDirection.INBOUND, CallDirection.OUTBOUND
SOLVED, CLOSED = Status.SOLVED, Status.CLOSED
#: the direction and author kind of each ``Said.by``
SPEAKERS = {
    "customer": (Direction.INBOUND, AuthorKind.CUSTOMER),
    "agent": (Direction.OUTBOUND, AuthorKind.AGENT),
    "note": (Direction.INTERNAL, AuthorKind.AGENT),
}

CUSTOMERS = (
    DemoCustomer("Maria Gonzalez", "maria.gonzalez@example.com", "+1 415 555 0134"),
    DemoCustomer("李伟", "li.wei@example.com", "+86 138 0013 8000", locale="zh-CN"),
    DemoCustomer("王芳", "wang.fang@example.com", locale="zh-CN"),
    DemoCustomer("James Whitaker", "james.whitaker@example.com"),
    DemoCustomer("Priya Natarajan", "priya.n@example.com", "+1 312 555 0152"),
    DemoCustomer("Tom Becker", "tom.becker@example.com", "+1 212 555 0187"),
    DemoCustomer("张晓明", "zhang.xm@example.com", locale="zh-CN"),
)

TICKETS = (
    DemoTicket(
        "maria.gonzalez@example.com",
        "Espresso machine leaks under the drip tray",
        PHONE,
        priority=Priority.HIGH,
        tags=("hardware", "warranty"),
        assigned=True,
        statuses=(SOLVED,),
        story=(
            Called(16, "15:05", IN, 7, "Her S2 leaks after every shot. Asked for photos."),
            Said(
                16,
                "15:20",
                "agent",
                "Hi Maria, thanks for calling. As agreed, could you "
                "send us a photo of the leak and of the serial plate under the tank?",
                EMAIL,
            ),
            Said(15, "08:42", "customer", "Photos attached; the serial is LS2-20931.", EMAIL),
            Said(15, "10:10", "note", "In warranty, and a known gasket fault: replacing it."),
            Said(
                15,
                "10:25",
                "agent",
                "Thank you! That gasket fault is covered by your "
                "warranty: a new machine ships today, with a label to return the old one.",
                EMAIL,
            ),
            Said(
                11,
                "18:47",
                "customer",
                "Hi, the new machine came but there's no return "
                "label in the box. How do I send the old one back?",
                CHAT,
            ),
            Said(11, "18:49", "agent", "Sorry! I've just e-mailed you a UPS label.", CHAT),
            Said(11, "18:52", "customer", "Got it, thanks. The new one works perfectly!", CHAT),
        ),
    ),
    DemoTicket(
        "li.wei@example.com",
        "订阅重复扣款",
        CHAT,
        priority=Priority.HIGH,
        tags=("billing", "refund"),
        statuses=(SOLVED, CLOSED),
        story=(
            Said(23, "02:14", "customer", "你好，我这个月的咖啡豆订阅被扣了两次款。"),
            Said(23, "02:16", "agent", "李先生您好，抱歉给您带来不便，我马上查一下。"),
            Said(23, "02:20", "note", "A payment retry charged ¥168 twice; refunded one."),
            Said(23, "02:24", "agent", "重复的 ¥168 已退回，3 到 5 个工作日内到账。"),
            Said(23, "02:25", "customer", "好的，谢谢！"),
        ),
    ),
    DemoTicket(
        "wang.fang@example.com",
        "咖啡机一直显示除垢提示",
        WEB,
        tags=("descaling",),
        statuses=(Status.PENDING,),
        story=(
            Said(6, "03:30", "customer", "做完了除垢，但是提示灯还一直亮着。"),
            Said(
                5,
                "06:05",
                "agent",
                "王女士您好！请同时按住电源键和蒸汽键三秒钟，"
                "提示灯就会熄灭。如果还亮，请回复告诉我们。",
                EMAIL,
            ),
            Said(5, "06:07", "note", "Waiting on her: that reset almost always works."),
        ),
    ),
    DemoTicket(
        "james.whitaker@example.com",
        "Where is my order LC-90412?",
        EMAIL,
        tags=("shipping",),
        assigned=True,
        statuses=(Status.ON_HOLD,),
        story=(
            Said(8, "14:02", "customer", "My grinder's tracking hasn't moved in a week."),
            Said(8, "16:40", "note", "Stuck at the UPS Memphis hub; opened trace 1Z-5521."),
            Said(8, "16:45", "agent", "Hi James, UPS is tracing it; news in two days."),
            Said(3, "09:12", "customer", "Any news on my grinder?"),
            Said(
                3,
                "11:30",
                "agent",
                "UPS is still looking. If they haven't found it by "
                "Friday, we'll send you a new grinder at our cost.",
            ),
        ),
    ),
    DemoTicket(
        "priya.n@example.com",
        "Move my subscription to a new address",
        PHONE,
        statuses=(SOLVED, CLOSED),
        story=(
            Called(27, "17:10", IN, 4, "Moving to 22 Harbor St, Oakland on the 1st."),
            Said(27, "17:20", "agent", "Done: your beans now go to Harbor St.", EMAIL),
        ),
    ),
    DemoTicket(
        "priya.n@example.com",
        "Grinder makes a loud clicking noise",
        WEB,
        story=(Said(1, "20:15", "customer", "My grinder clicks loudly. Safe to use?"),),
    ),
    DemoTicket(
        "tom.becker@example.com",
        "Sparks from the power cable",
        CHAT,
        priority=Priority.URGENT,
        tags=("safety", "hardware"),
        assigned=True,
        story=(
            Said(2, "13:31", "customer", "The cable sparked at the machine! Is it safe?"),
            Said(2, "13:32", "agent", "Please unplug it now. I'll call you in a minute."),
            Said(2, "13:35", "note", "Escalated to product safety (QA-227)."),
            Called(2, "13:40", OUT, 5, "Stays unplugged. Pickup Thursday; loaner sent."),
        ),
    ),
    DemoTicket(
        "zhang.xm@example.com",
        "发票抬头开错了",
        EMAIL,
        tags=("billing", "invoice"),
        statuses=(SOLVED,),
        story=(
            Said(12, "01:50", "customer", "订单 LC-87311 的发票抬头开错了，麻烦重开。"),
            Said(12, "03:05", "agent", "张先生您好，新发票已发到您的邮箱。"),
            Said(11, "00:40", "customer", "收到了，谢谢你们这么快处理！"),
        ),
    ),
)


def load_demo(session: DbSession) -> str:
    """Load the demo desk once and commit; either way, say how to sign in."""
    if session.scalar(select(User.id).where(User.email == ADMIN["email"])) is not None:
        return f"The demo data is already loaded.\n{SIGN_IN}"
    admin = create_user(session, name="Alex Morgan", role="admin", **ADMIN)
    agent = create_user(session, name="Zhou Jun", role="agent", **AGENT)
    customers = {
        demo.email: create_customer(
            session,
            name=demo.name,
            emails=[demo.email],
            phones=[demo.phone] if demo.phone else [],
            locale=demo.locale,
        )
        for demo in CUSTOMERS
    }
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    for spec in TICKETS:
        customer = customers[spec.customer]
        opened = _when(today, spec.story[0])
        ticket = create_ticket(
            session,
            subject=spec.subject,
            channel=spec.channel,
            customer=customer,
            priority=spec.priority,
            actor=agent if spec.channel is PHONE else None,
            at=opened,
        )
        for step in spec.story:
            if isinstance(step, Called):
                log_call(
                    session,
                    customer=customer,
                    ticket=ticket,
                    direction=step.direction,
                    phone=customer.phones[0],
                    started_at=_when(today, step),
                    duration_seconds=step.minutes * 60,
                    notes=step.notes,
                    agent=agent,
                )
                continue
            direction, author_kind = SPEAKERS[step.by]
            add_message(
                session,
                ticket,
                body=step.body,
                channel=step.channel or ticket.channel,
                direction=direction,
                author_kind=author_kind,
                author_customer=customer if author_kind is AuthorKind.CUSTOMER else None,
                author_user=agent if author_kind is AuthorKind.AGENT else None,
                created_at=_when(today, step),
                imported=True,  # the demo's past replies were never meant to be sent
            )
        if spec.assigned:
            update_ticket(session, ticket, actor=admin, at=opened + MINUTE, assignee_id=agent.id)
        if spec.tags:
            update_ticket(
                session, ticket, actor=agent, at=opened + 2 * MINUTE, tags=list(spec.tags)
            )
        last = _when(today, spec.story[-1])
        for n, status in enumerate(spec.statuses, start=1):
            update_ticket(session, ticket, actor=agent, at=last + n * MINUTE, status=status)
    articles = load_knowledge_base(session, agent)
    # Maria looked in the help center before her chat about the missing return label
    maria_wrote = today - timedelta(days=11) + timedelta(hours=18, minutes=47)
    load_reader_history(session, customers["maria.gonzalez@example.com"].id, before=maria_wrote)
    load_deflection(session, now=utcnow())
    session.commit()
    return (
        f"Loaded the demo: {len(CUSTOMERS)} customers, {len(TICKETS)} tickets, "
        f"{articles} help-center articles.\n{SIGN_IN}"
    )


def use_local_outbox(instance: Path, smtp_url: str | None) -> str:
    """With no mail server set up, have the desk deliver its mail into a local outbox (a
    maildir in the instance folder), recorded there so that a later ``supportdesk serve``
    or ``worker`` uses it with no environment variable. Says where to read the mail."""
    if smtp_url:
        return "E-mail goes out through the SMTP server set in SUPPORTDESK_SMTP_URL."
    folder = instance / "outbox"
    instance.mkdir(parents=True, exist_ok=True)
    (instance / SMTP_URL_FILE).write_text(outbox_url(folder) + "\n")
    return (
        f"No SMTP server is set (SUPPORTDESK_SMTP_URL): e-mail goes to the local outbox\n"
        f"  {folder}\n"
        f"  read it as the admin at {URL}api/v1/email/outbox"
    )


def _when(today: datetime, step: Said | Called) -> datetime:
    hours, minutes = (int(part) for part in step.at.split(":"))
    return today - timedelta(days=step.days_ago) + timedelta(hours=hours, minutes=minutes)
