"""Normal forms of identity values, so one address or number always finds one customer."""

from __future__ import annotations

import enum
import functools
import re

from email_validator import EmailNotValidError, validate_email

from supportdesk.core.errors import InvalidInput


class IdentityKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    VISITOR = "visitor"
    EXTERNAL = "external"


def normalize_email(address: str, field: str = "email") -> str:
    """Lower-cased, with the domain in its IDNA-normalised Unicode form.

    ``Bob@Example.COM`` and ``bob@example.com`` are one person, and so are
    ``li@例子.广告`` and ``li@xn--fsqu00a.xn--4rr70v``. Local parts are case-sensitive
    in theory only; every mail provider people use treats them case-insensitively.
    """
    try:
        return _normal_address(address.strip())
    except EmailNotValidError as error:
        raise InvalidInput.field(field, f"Not a valid e-mail address: {error}") from None


@functools.lru_cache(maxsize=4096)
def _normal_address(address: str) -> str:
    """Remembered: every message from a sender asks again, and validating the address
    (IDNA, the local part's syntax) cost more than looking its owner up."""
    result = validate_email(address, check_deliverability=False)
    return f"{result.local_part.lower()}@{result.domain.lower()}"


def normalize_phone(number: str, default_region: str, field: str = "phone") -> str:
    """E.164 (``+8613812345678``); numbers without a country code use ``default_region``."""
    import phonenumbers  # its metadata is 2.6% of a console command's start; few need it

    try:
        parsed = phonenumbers.parse(number, default_region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise InvalidInput.field(field, "Not a valid phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


#: a language tag as the desk takes it (``en``, ``zh-CN``, ``zh_Hans_CN``), also stated
#: as the ``pattern`` of locale fields in the API document
LOCALE_PATTERN = r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$"
_LOCALE = re.compile(LOCALE_PATTERN)


def normalize_locale(tag: str, field: str = "locale") -> str:
    """BCP 47 case conventions: ``zh-cn`` becomes ``zh-CN``, ``zh_hans`` becomes ``zh-Hans``."""
    match = _LOCALE.match(tag.strip())
    if not match:
        raise InvalidInput.field(field, "Not a language tag such as en or zh-CN.")
    language, script, region = match.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)
