"""The wording of the mails the desk sends by itself (the acknowledgement of a new ticket,
the CSAT request, the chat's codes and transcripts, the portal's sign-in link): a default
per locale, which admins
may reword, rendered in a Jinja sandbox (an admin's template can read the variables it
is given and nothing else)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2 import Template as Compiled
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import bindparam, select

from supportdesk.channels.email.models import EmailTemplate
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.customers.language import DESK_LOCALES

LOCALES = DESK_LOCALES
_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@lru_cache(maxsize=256)
def _compiled(text: str) -> Compiled:
    """A wording compiled once, not on every mail (compiling costs more than rendering);
    keyed by the text itself, so an admin's rewording is a new entry, never a stale one."""
    return _env.from_string(text)


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


#: the variables each template gets, for the editor and for validation
VARIABLES: dict[str, tuple[str, ...]] = {
    "ticket_acknowledgement": ("customer_name", "ticket_ref", "ticket_subject"),
    "csat_request": ("customer_name", "ticket_ref", "ticket_subject", "survey_url"),
    "chat_verification_code": ("customer_name", "code"),
    "chat_transcript": ("customer_name", "ticket_ref", "ticket_subject", "transcript"),
    # to an address, known or not: no customer's name (it would tell whom the desk knows)
    "portal_sign_in_link": ("desk_name", "sign_in_url", "minutes"),
}

DEFAULTS: dict[tuple[str, str], Wording] = {
    ("ticket_acknowledgement", "en"): Wording(
        "We got your message: {{ ticket_subject }} [{{ ticket_ref }}]",
        "Hello {{ customer_name }},\n\n"
        "Thank you for writing to us. Your request {{ ticket_ref }} is with our team, "
        "and a person will answer you soon.\n\n"
        "To add anything, just reply to this e-mail.\n",
    ),
    ("ticket_acknowledgement", "zh-CN"): Wording(
        "我们已收到您的来信：{{ ticket_subject }} [{{ ticket_ref }}]",
        "{{ customer_name }}，您好：\n\n"
        "感谢您的来信。您的请求 {{ ticket_ref }} 已转交我们的团队，客服人员会尽快回复您。\n\n"
        "如需补充信息，直接回复这封邮件即可。\n",
    ),
    ("csat_request", "en"): Wording(
        "How did we do? [{{ ticket_ref }}]",
        "Hello {{ customer_name }},\n\n"
        "Your request {{ ticket_ref }} ({{ ticket_subject }}) is solved. "
        "Would you tell us how we did? It takes one click:\n\n{{ survey_url }}\n",
    ),
    ("csat_request", "zh-CN"): Wording(
        "请评价我们的服务 [{{ ticket_ref }}]",
        "{{ customer_name }}，您好：\n\n"
        "您的请求 {{ ticket_ref }}（{{ ticket_subject }}）已解决。"
        "能否告诉我们这次服务如何？只需点一下：\n\n{{ survey_url }}\n",
    ),
    ("chat_verification_code", "en"): Wording(
        "Your code: {{ code }}",
        "Hello {{ customer_name }},\n\n"
        "Enter this code in the chat to confirm your e-mail address:\n\n{{ code }}\n\n"
        "It works once, for 10 minutes. If you did not ask for it, ignore this e-mail.\n",
    ),
    ("chat_verification_code", "zh-CN"): Wording(
        "您的验证码：{{ code }}",
        "{{ customer_name }}，您好：\n\n"
        "请在聊天窗口中输入以下验证码，以确认您的邮箱地址：\n\n{{ code }}\n\n"
        "验证码 10 分钟内有效，仅可使用一次。如果这不是您本人的操作，请忽略此邮件。\n",
    ),
    ("chat_transcript", "en"): Wording(
        "Your chat with us: {{ ticket_subject }} [{{ ticket_ref }}]",
        "Hello {{ customer_name }},\n\nHere is our conversation, as you asked.\n\n"
        "{{ transcript }}\n\nTo add anything, just reply to this e-mail.\n",
    ),
    ("chat_transcript", "zh-CN"): Wording(
        "您的聊天记录：{{ ticket_subject }} [{{ ticket_ref }}]",
        "{{ customer_name }}，您好：\n\n以下是您要求的聊天记录。\n\n"
        "{{ transcript }}\n\n如需补充信息，直接回复这封邮件即可。\n",
    ),
    ("portal_sign_in_link", "en"): Wording(
        "Sign in to the {{ desk_name }} Help Center",
        "Hello,\n\n"
        "Open this link to sign in to the {{ desk_name }} Help Center and see your requests:"
        "\n\n{{ sign_in_url }}\n\n"
        "The link works once, within {{ minutes }} minutes.\n"
        "If you did not ask for it, ignore this e-mail: nobody can sign in without the link.\n",
    ),
    ("portal_sign_in_link", "zh-CN"): Wording(
        "登录 {{ desk_name }} 帮助中心",
        "您好：\n\n"
        "请打开以下链接登录 {{ desk_name }} 帮助中心，查看您的请求：\n\n{{ sign_in_url }}\n\n"
        "此链接仅可使用一次，{{ minutes }} 分钟内有效。\n"
        "如果这不是您本人的操作，请忽略此邮件：没有此链接，任何人都无法登录。\n",
    ),
}


def template_locale(locale: str | None) -> str:
    """The nearest locale we have wording for: exact, then same language, then English."""
    if locale in LOCALES:
        return locale
    language = (locale or "en").split("-")[0].lower()
    return next((known for known in LOCALES if known.split("-")[0] == language), "en")


#: built once: every acknowledgement asks it (building it cost more than running it)
_ADMINS_ROW = select(EmailTemplate).where(
    EmailTemplate.key == bindparam("key"), EmailTemplate.locale == bindparam("locale")
)


def _customized(session: DbSession, key: str, locale: str) -> EmailTemplate | None:
    """An admin's row for a known template (404 for unknown ones), if there is one."""
    if (key, locale) not in DEFAULTS:
        raise NotFound(f"No template {key} in {locale}.")
    return session.scalar(_ADMINS_ROW, {"key": key, "locale": locale})


def wording(session: DbSession, key: str, locale: str) -> tuple[Wording, bool]:
    """The wording in force and whether an admin customised it."""
    row = _customized(session, key, locale)
    if row is not None:
        return Wording(row.subject, row.body), True
    return DEFAULTS[(key, locale)], False


@dataclass(frozen=True)
class Template:
    """A template as the admins' editor shows it: the wording in force, the variables
    it may use, and whether it is an admin's."""

    key: str
    locale: str
    subject: str
    body: str
    variables: tuple[str, ...]
    customized: bool


def in_force(session: DbSession, key: str, locale: str) -> Template:
    return _template(key, locale, _customized(session, key, locale))


def every_template(session: DbSession) -> list[Template]:
    """Every template in every locale, as it is in force (the admins' rows in one query)."""
    rows = {(row.key, row.locale): row for row in session.scalars(select(EmailTemplate))}
    return [_template(key, locale, rows.get((key, locale))) for key, locale in DEFAULTS]


def _template(key: str, locale: str, row: EmailTemplate | None) -> Template:
    chosen = DEFAULTS[(key, locale)] if row is None else Wording(row.subject, row.body)
    return Template(key, locale, chosen.subject, chosen.body, VARIABLES[key], row is not None)


def nearest_wording(session: DbSession, key: str, locale: str | None) -> Wording:
    """The wording in force in (the nearest locale to) ``locale``, not yet rendered."""
    chosen, _ = wording(session, key, template_locale(locale))
    return chosen


def fill(chosen: Wording, **variables: Any) -> Wording:
    """``chosen`` rendered with ``variables``; the subject on one line."""
    return Wording(
        " ".join(_compiled(chosen.subject).render(**variables).split()),
        _compiled(chosen.body).render(**variables),
    )


def render(session: DbSession, key: str, locale: str | None, **variables: Any) -> Wording:
    return fill(nearest_wording(session, key, locale), **variables)


def save(session: DbSession, key: str, locale: str, subject: str, body: str) -> EmailTemplate:
    """Store an admin's wording after checking it renders with the template's variables."""
    row = _customized(session, key, locale)
    sample = {name: f"<{name}>" for name in VARIABLES[key]}
    for field, text in (("subject", subject), ("body", body)):
        try:
            _env.from_string(text).render(**sample)
        except TemplateError as error:
            raise InvalidInput.field(field, f"The template does not render: {error}") from None
    if row is None:
        row = EmailTemplate(key=key, locale=locale, subject=subject, body=body)
        session.add(row)
    else:
        row.subject, row.body = subject, body
    session.flush()
    return row


def reset(session: DbSession, key: str, locale: str) -> None:
    row = _customized(session, key, locale)
    if row is not None:
        session.delete(row)
        session.flush()
