"""Articles from Markdown to the HTML readers see: rendered and sanitized once, at save.

markdown-it-py (CommonMark, plus tables and strikethrough) renders; raw HTML in the
Markdown is allowed through the renderer because ``core.text.sanitize_html`` (nh3) then
keeps only formatting, whatever the editor typed: no script, style, form or handler
survives. Both run in time linear in the text (``MAX_NESTING`` bounds the renderer's
nesting, ``sanitize_html`` the parser's).

Images load only from the desk's own ``/api/v1/kb/images/{id}``: an image from another
site would tell that site who reads the article. Any other image becomes a link to it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

from supportdesk.core.text import sanitize_html

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: how deep blocks (quotes in lists in quotes...) may nest; deeper renders as text
MAX_NESTING = 20
#: where the desk serves article images (``knowledge.images_api``)
IMAGE_PATH = "/api/v1/kb/images/"
#: an ``<img>`` as nh3 writes it: every value double-quoted, ``"`` inside escaped (``<`` and
#: ``>`` are not: a value may hold them, so the tag ends only after its last quoted value)
_IMAGE = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
_OUR_IMAGE = re.compile(re.escape(IMAGE_PATH) + r"([1-9][0-9]{0,9})$")
#: tags that end a block of text (a word never runs on past one), and every other tag
_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|tr|td|th|table|blockquote|pre|div|br|hr)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
#: how long a summary of the body is (a search result's or a page's meta description)
SUMMARY_CHARS = 160


@cache
def _markdown() -> MarkdownIt:
    """The renderer, made (and markdown-it imported) for the first article saved: the
    search indexes articles' plain text in every process, only a save renders."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(
        ["table", "strikethrough"]
    )


def render_markdown(body: str) -> str:
    """``body`` (Markdown) as sanitized HTML, images only from the desk's own URLs."""
    return _only_our_images(sanitize_html(_markdown().render(body)))


def _only_our_images(markup: str) -> str:
    def image(tag: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(tag.group(1)))
        src = attributes.get("src", "")
        if _OUR_IMAGE.match(src):
            return tag.group(0)
        if not src:
            return attributes.get("alt", "")
        # already escaped by the sanitizer, so safe to write back as they are
        label = attributes.get("alt") or src
        return f'<a href="{src}" rel="noopener noreferrer nofollow">{label}</a>'

    return _IMAGE.sub(image, markup)


def image_ids(body_html: str) -> set[int]:
    """The desk images (``ArticleImage`` ids) a rendered body shows."""
    ids = set()
    for tag in _IMAGE.finditer(body_html):
        found = _OUR_IMAGE.match(dict(_ATTRIBUTE.findall(tag.group(1))).get("src", ""))
        if found:
            ids.add(int(found.group(1)))
    return ids


def plain_text(body_html: str) -> str:
    """The text of rendered HTML, on one line (for summaries and search)."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", body_html))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def summary(body_html: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of the body's text, cut at a word where the text has words."""
    text = plain_text(body_html)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:，。；：") + "…"
