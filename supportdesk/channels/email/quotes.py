"""The new part of a reply: quoted history and signatures cut away.

mail-parser-reply knows the reply headers of the common clients in many languages
(Gmail's "On ... wrote:", Outlook's "From: / Sent:" block, Chinese "发件人: / 发送时间:");
the separators it does not know (Foxmail's "原始邮件" line, "-----Original Message-----")
are cut first. The full text is always kept beside the visible part.
"""

from __future__ import annotations

import re

from mailparser_reply import EmailReplyParser

LANGUAGES = ["en", "zh", "ja", "de", "fr", "es"]
_parser = EmailReplyParser(languages=LANGUAGES)

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
    replies = _parser.read(head).replies
    # .content, not .body: the library's idea of a signature eats "Kind regards, Ana".
    visible = replies[0].content if replies else head
    signature = _SIGNATURE.search(visible)
    if signature:
        visible = visible[: signature.start()]
    visible = _QUOTED_TAIL.sub("", visible).strip()
    return visible or text.strip()
