"""The new part of a reply: quoted history and signatures cut away.

mail-parser-reply knows the reply headers of the common clients in many languages
(Gmail's "On ... wrote:", Outlook's "From: / Sent:" block, Chinese "发件人: / 发送时间:");
the separators it does not know (Foxmail's "原始邮件" line, "-----Original Message-----")
are cut first. The full text is always kept beside the visible part.
"""

from __future__ import annotations

import re

from mailparser_reply.parser import EmailMessage

LANGUAGES = ["en", "zh", "ja", "de", "fr", "es"]
#: the library's reply headers ("On ... wrote:", "From: / Sent:", ...) in those languages
_REPLY_HEADER = EmailMessage(text="", languages=list(LANGUAGES)).HEADER_REGEX

_SEPARATORS = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}\s*(?:原始邮件|原始郵件|Original Message)\s*-{2,}"
    r"|_{10,}"
    r"|在\s*.{4,80}(?:写道|寫道)[:：]"
    r")[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:-- ?|Sent from my [\w ]{2,30}|Get Outlook for \w+|发自我的\w+|从我的.{1,20}发送)$",
    re.MULTILINE,
)
_QUOTED_TAIL = re.compile(r"(?:\n[ \t]*>.*)+\s*\Z")


_FORWARD = re.compile(
    r"^[ \t]*(?:-{2,}\s*(?:Forwarded message|转发的邮件|轉寄的郵件)\s*-{2,}"
    r"|Begin forwarded message:)",
    re.MULTILINE | re.IGNORECASE,
)


def visible_text(text: str) -> str:
    """What the sender wrote this time, trimmed; the whole text if nothing new is left.

    A forward is content, not history: the agent needs what was forwarded.
    """
    text = text.replace("\r\n", "\n")
    forward = _FORWARD.search(text)
    if forward and not _SEPARATORS.search(text, 0, forward.start()):
        return text.strip()
    cut = _SEPARATORS.search(text)
    head = text[: cut.start()] if cut else text
    visible = latest_reply(head)
    signature = _SIGNATURE.search(visible)
    if signature:
        visible = visible[: signature.start()]
    visible = _QUOTED_TAIL.sub("", visible).strip()
    return visible or text.strip()


def latest_reply(text: str) -> str:
    """What mail-parser-reply reads as the newest reply: ``EmailReplyParser(languages=
    LANGUAGES).read(text).replies[0].content``, its text before the first reply header.

    Its ``content``, not its ``body``: the library's idea of a signature eats "Kind
    regards, Ana". Computed here the library's way, with its normalisation and header
    pattern, but stopping at that first reply: the library splits the whole history
    and searches every part for signatures and disclaimers, which costs about twice
    as much and is not used.
    """
    text = EmailMessage(text=text, languages=list(LANGUAGES)).text  # lines stripped, CRLF
    start = 0
    for match in _REPLY_HEADER.finditer(text):
        for header in filter(None, match.groups()):
            end = text.find(header, start + 1 if start > 0 else start)
            reply, start = text[start:end].strip(), max(end, 0)
            if reply:
                return reply
    return text[start:].strip()
