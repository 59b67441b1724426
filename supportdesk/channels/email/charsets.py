"""Text in mail as mail clients read it: charset labels taken for their supersets (a
"gb2312" label on GBK bytes, a "iso-8859-1" label on windows-1252 bytes), wrong labels on
UTF-8, RFC 2047 encoded-words, and raw 8-bit headers (RFC 6532, or a sloppy client).

Whatever comes out is storable text (``core.text.storable_text``): no NUL, no lone surrogate.
"""

from __future__ import annotations

import codecs
import re
from email.header import decode_header
from email.message import Message

from supportdesk.core.text import storable_text

# What mail clients mean by a label: the WHATWG Encoding Standard's superset decoders.
_CHARSET_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
}
#: labels whose bytes are often UTF-8 in truth (a client that labels by locale, not content)
_LEGACY = frozenset(_CHARSET_SUPERSETS) | {"gb18030", "big5hkscs", "windows-1252", "cp1252"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode the way mail clients do; the text is always storable (``storable_text``)."""
    return storable_text(_decode(data, charset))


def _decode(data: bytes, charset: str | None) -> str:
    """The label's superset; unknown labels (and codecs that are no charset, such as
    ``unicode_escape``) fall back to UTF-8, then cp1252. A legacy label on bytes that are
    valid UTF-8 with multi-byte sequences is read as UTF-8: a wrong label (UTF-8 sent as
    ``gb2312`` by Chinese clients) is far likelier than legacy bytes that happen to be
    valid UTF-8."""
    label = (charset or "utf-8").strip().strip('"').lower()
    if label in _LEGACY and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    name = _CHARSET_SUPERSETS.get(label, label)
    if not _is_charset(name):
        name = "utf-8"
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        if name == "utf-8":
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        return data.decode(name, errors="replace")


def _is_charset(name: str) -> bool:
    """A codec that reads text in some charset: not base64 or rot13 (no text encodings)
    nor ``unicode_escape`` (which turns ``\\ud800`` written in ASCII into a lone surrogate)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return info._is_text_encoding and "escape" not in info.name


def decode_header_value(raw: str) -> str:
    """RFC 2047 encoded-words decoded with lenient charsets; folding undone."""
    unfolded = re.sub(r"\r?\n[ \t]+", " ", raw)
    try:
        chunks = decode_header(unfolded)
    except Exception:  # a broken encoded-word: keep the text as written
        return unfolded.strip()
    parts: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
        elif charset is None and not unfolded.isascii():
            # Text beside encoded-words comes back as raw-unicode-escape bytes: 8-bit text
            # (RFC 6532) as written, e.g. a file name ``屏幕截图 =?UTF-8?Q?...?=.png``.
            parts.append(storable_text(chunk.decode("raw-unicode-escape")))
        else:
            parts.append(decode_bytes(chunk, charset))
    return "".join(parts).strip()


def header_text(value: object, message: Message | None = None) -> str:
    """A raw header value as text. Raw 8-bit headers (RFC 6532, or a sloppy client) come
    back from the parser as surrogate escapes: read them as UTF-8, else in the charset
    ``message``'s text is in."""
    text = str(value)
    if text.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(data, (message and _text_charset(message)) or "cp1252")


def _text_charset(message: Message) -> str | None:
    return next((p.get_content_charset() for p in message.walk() if p.get_content_charset()), None)
