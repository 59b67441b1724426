"""Text from outside: plain text and HTML that is safe to show agents and customers."""

from __future__ import annotations

import html
import re

import nh3

# Formatting people use in support mail and chat; no scripts, styles or forms.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}

#: how deep elements may nest before their tags are dropped (their text is kept): the HTML
#: parser under nh3 costs O(depth) per tag, so unbounded nesting makes sanitizing quadratic.
#: Real mail (Outlook's tables in tables) stays well under it.
MAX_DEPTH = 100
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")
#: elements that never hold others (void) or that the parser closes by itself when the next
#: one opens (optional end tags): neither nests deeper, so neither counts
_FLAT = frozenset({
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "optgroup", "p", "param", "rb", "rp", "rt", "rtc", "source",
    "tbody", "td", "tfoot", "th", "thead", "tr", "track", "wbr",
})  # fmt: skip
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(value: str) -> str:
    """``value`` as every database stores it: no NUL (PostgreSQL refuses it in text) and
    no lone surrogate (no encoding can write one; a crafted encoded-word can make one)."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.isascii():
        return value
    return _LONE_SURROGATE.sub("\ufffd", value)


def flatten(markup: str, max_depth: int = MAX_DEPTH) -> str:
    """``markup`` with the tags nested deeper than ``max_depth`` taken out, in one pass.

    Depth is counted on the tags as written (opening minus closing, ``_FLAT`` ones left
    out): an approximation of the parser's tree that is enough to bound it, and costs
    linear time whatever the input.
    """
    if markup.count("<") <= max_depth:
        return markup  # too few tags to nest that deep: the common case, for free
    depth = 0
    dropped = 0  # opening tags dropped and not closed yet: their closing tags go too

    def keep(tag: re.Match[str]) -> str:
        nonlocal depth, dropped
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _FLAT or tag.group(0).endswith("/>"):
            return tag.group(0)
        if closing:
            if dropped:
                dropped -= 1
                return ""
            depth = max(depth - 1, 0)
            return tag.group(0)
        if depth >= max_depth:
            dropped += 1
            return ""
        depth += 1
        return tag.group(0)

    return _TAG.sub(keep, markup)


def sanitize_html(markup: str) -> str:
    """Keep the formatting, drop anything that could run or track beyond a link."""
    return nh3.clean(
        flatten(markup),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


#: an ``<img>`` as ``sanitize_html`` writes it, loading from the web (not ``cid:`` or data)
_REMOTE_IMAGE = re.compile(r'(<img\b[^>]*?\s)src="((?:https?:)?//[^"]*)"', re.IGNORECASE)


def hold_remote_images(markup: str) -> tuple[str, bool]:
    """Sanitized HTML with web images not loaded (``src`` kept as ``data-src``), and
    whether there were any: a remote image tells its sender when, and that, it was read."""
    held, count = _REMOTE_IMAGE.subn(r'\1data-src="\2"', markup)
    return held, count > 0


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs, escaped, keeping line breaks."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p.strip("\n")).replace("\n", "<br>") + "</p>" for p in paragraphs
    )
