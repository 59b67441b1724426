"""However people type an address, a number or a language, the desk stores one normal form.

So the same person is found whether they write ``Li@Example.COM`` or ``li@example.com``,
call from ``(415) 555-0100`` or ``+1 415 555 0100``, or ask for ``zh-cn`` or ``zh-CN``.
"""

from __future__ import annotations

import pytest

from supportdesk.core.errors import InvalidInput
from supportdesk.customers.identities import normalize_email, normalize_locale, normalize_phone


@pytest.mark.parametrize(
    "typed",
    ["Li@Example.COM", "li@example.com", "LI@EXAMPLE.COM", "  li@example.com  "],
)
def test_an_email_address_is_one_address_in_any_case(typed):
    assert normalize_email(typed) == "li@example.com"


def test_an_internationalized_domain_is_one_address_in_unicode_and_in_punycode():
    unicode_form = normalize_email("user@例子.广告")
    punycode_form = normalize_email("user@xn--fsqu00a.xn--4rr70v")
    shouted = normalize_email("USER@XN--FSQU00A.XN--4RR70V")

    assert unicode_form == punycode_form == shouted
    assert unicode_form in ("user@例子.广告", "user@xn--fsqu00a.xn--4rr70v")
    assert normalize_email("Hans@BÜCHER.de") == normalize_email("hans@xn--bcher-kva.de")


def test_different_addresses_stay_different():
    assert normalize_email("li@example.com") != normalize_email("lee@example.com")
    assert normalize_email("li@例子.广告") != normalize_email("li@example.com")


@pytest.mark.parametrize(
    "bad", ["no-at-sign", "", "two@@example.com", "li@localhost", "li@例子", "li@exa mple.com"]
)
def test_a_bad_email_address_is_an_error_on_the_field_it_came_in(bad):
    with pytest.raises(InvalidInput) as caught:
        normalize_email(bad, "emails.2")

    assert caught.value.status == 422
    assert list(caught.value.errors) == ["emails.2"]
    assert caught.value.errors["emails.2"][0].startswith("Not a valid e-mail address")


def test_a_bad_email_address_blames_the_email_field_by_default():
    with pytest.raises(InvalidInput) as caught:
        normalize_email("nobody")

    assert list(caught.value.errors) == ["email"]


@pytest.mark.parametrize(
    "typed",
    ["(415) 555-0100", "415-555-0100", "415.555.0100", "+1 415 555 0100", "1 (415) 555 0100"],
)
def test_a_us_number_in_any_format_is_stored_as_e164(typed):
    assert normalize_phone(typed, "US") == "+14155550100"


def test_a_chinese_mobile_number_with_its_country_code_keeps_it_whatever_the_default():
    assert normalize_phone("+86 138 1234 5678", "US") == "+8613812345678"
    assert normalize_phone("+86 138-1234-5678", "GB") == "+8613812345678"


def test_a_number_without_country_code_belongs_to_the_default_region():
    assert normalize_phone("138 1234 5678", "CN") == "+8613812345678"
    assert normalize_phone("020 7946 0018", "GB") == "+442079460018"
    assert normalize_phone("(415) 555-0100", "US") == "+14155550100"


@pytest.mark.parametrize(
    "bad", ["12345", "not a phone", "+1 555", "+86 138", "", "+999 1234 5678", "555-0100"]
)
def test_an_invalid_number_is_rejected_on_its_field(bad):
    with pytest.raises(InvalidInput) as caught:
        normalize_phone(bad, "US", "phones.0")

    assert caught.value.status == 422
    assert caught.value.errors == {"phones.0": ["Not a valid phone number."]}


def test_an_invalid_number_blames_the_phone_field_by_default():
    with pytest.raises(InvalidInput) as caught:
        normalize_phone("12345", "US")

    assert list(caught.value.errors) == ["phone"]


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("zh-cn", "zh-CN"),
        ("zh_CN", "zh-CN"),
        ("ZH-cn", "zh-CN"),
        ("zh-CN", "zh-CN"),
        ("EN", "en"),
        ("en-gb", "en-GB"),
        ("zh_hans", "zh-Hans"),
        ("zh-HANS-cn", "zh-Hans-CN"),
        ("es-419", "es-419"),
        (" pt-br ", "pt-BR"),
    ],
)
def test_language_tags_follow_bcp47_case_conventions(typed, canonical):
    assert normalize_locale(typed) == canonical


@pytest.mark.parametrize("bad", ["english", "zh-", "", "e", "zh-CN-extra", "中文", "zh-C"])
def test_a_bad_language_tag_is_an_error_on_its_field(bad):
    with pytest.raises(InvalidInput) as caught:
        normalize_locale(bad)

    assert caught.value.status == 422
    assert list(caught.value.errors) == ["locale"]

    with pytest.raises(InvalidInput) as caught:
        normalize_locale(bad, "customer.locale")
    assert list(caught.value.errors) == ["customer.locale"]
