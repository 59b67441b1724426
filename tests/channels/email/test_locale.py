"""A new customer is answered in their language: the one their mail declares, else the one
it is written in; the desk's own mail (the acknowledgement) follows it."""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.customers.language import desk_locale, detect_locale
from supportdesk.extensions import db
from tests.channels.email.conftest import compose
from tests.channels.email.test_inbound import filed, msgid, raw_mail, thread, ticket
from tests.factories import CustomerFactory


def acknowledgement(api: Any, ticket_id: int) -> str:
    [ack] = [m["body"] for m in thread(api, ticket_id) if m["author"]["kind"] == "system"]
    return ack


def customer_of(api: Any, ticket_id: int) -> dict[str, Any]:
    return api.get(f"/customers/{ticket(api, ticket_id)['customer_id']}").json


def test_a_chinese_mail_from_a_new_sender_is_acknowledged_in_chinese(api, post_email):
    mail = compose(
        sender=("王小雨", "wang.xiaoyu@example.com"),
        subject="咖啡机加热太慢",
        body="你好，我昨天买的咖啡机加热很慢，水温只有六十度左右，请问是不是坏了？",
    )

    receipt = filed(post_email(mail))

    assert customer_of(api, receipt["ticket_id"])["locale"] == "zh-CN"
    assert "感谢您的来信" in acknowledgement(api, receipt["ticket_id"])


def test_an_english_mail_makes_an_english_customer(api, post_email):
    receipt = filed(post_email(compose(body="My router has been blinking red all morning.")))

    assert customer_of(api, receipt["ticket_id"])["locale"] == "en"
    assert "Thank you for writing to us" in acknowledgement(api, receipt["ticket_id"])


def test_the_declared_content_language_wins_over_a_too_short_text(api, post_email):
    mail = raw_mail(
        f"""
        From: Mei Lin <mei@example.com>
        To: support@desk.example
        Subject: OK
        Message-ID: {msgid()}
        Content-Language: zh-CN
        """,
        "OK\r\n",
    )

    receipt = filed(post_email(mail))

    assert customer_of(api, receipt["ticket_id"])["locale"] == "zh-CN"
    assert "感谢您的来信" in acknowledgement(api, receipt["ticket_id"])


def test_a_language_the_desk_does_not_write_keeps_the_default(api, post_email):
    mail = compose(body="Bonjour, ma machine à café ne chauffe plus depuis hier soir.")

    receipt = filed(post_email(mail))

    assert customer_of(api, receipt["ticket_id"])["locale"] is None
    assert "Thank you for writing to us" in acknowledgement(api, receipt["ticket_id"])


def test_the_locale_an_agent_chose_is_kept_whatever_the_customer_writes(api, post_email):
    customer = CustomerFactory(name="Li Wei", emails=["li.wei@example.com"], locale="en")
    db.session.commit()
    mail = compose(
        sender=("李伟", "li.wei@example.com"), body="你好，我的订阅这个月被扣了两次款，请帮我看看。"
    )

    receipt = filed(post_email(mail))

    found = customer_of(api, receipt["ticket_id"])
    assert (found["id"], found["locale"]) == (customer.id, "en")
    assert "Thank you for writing to us" in acknowledgement(api, receipt["ticket_id"])
    changed = api.patch(f"/customers/{customer.id}", json={"locale": "zh-CN"})
    assert changed.status_code == 200 and changed.json["locale"] == "zh-CN"


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("zh-CN", "zh-CN"),
        ("zh-Hans-SG", "zh-CN"),
        ("zh-TW", "zh-CN"),  # the desk's only Chinese
        ("en-GB", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),  # a browser's Accept-Language
        ("fr-FR", None),
        ("", None),
        ("not a tag!", None),
    ],
)
def test_declared_language_tags_map_to_the_desks_locales(tag, locale):
    assert desk_locale(tag) == locale


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("您好，订单 LC-87311 的发票抬头开错了，麻烦重新开一张。", "zh-CN"),
        ("The new grinder arrived, but it makes a loud clicking noise.", "en"),
        ("Hallo, mein Gerät zeigt seit gestern den Fehler E-42 an.", None),
        ("ok", None),  # too short to tell
    ],
)
def test_the_language_of_a_text_is_told_only_when_the_detector_is_sure(text, locale):
    assert detect_locale(text) == locale
