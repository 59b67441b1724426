"""An article's Markdown as readers get it: what articles need kept, anything that runs gone."""

from __future__ import annotations

import pytest

from supportdesk.knowledge.rendering import image_ids, render_markdown, summary
from supportdesk.knowledge.schemas import BODY_MAX

ARTICLE = """# Reset your password

## Before you start

1. Open **Settings**
2. Choose *Account*

- works on the web
- and in the app

Run `reset --now`, or:

```sh
supportdesk reset
```

| Plan | Price |
| --- | ---: |
| Basic | 5 |

> Tip: ~~call us~~ use the form.

See [the refund policy](/help/en/articles/refund-policy) or [mail us](mailto:help@desk.example).

![The settings page](/api/v1/kb/images/12)
"""


def test_what_articles_need_is_kept():
    html = render_markdown(ARTICLE)

    for kept in (
        "<h1>Reset your password</h1>",
        "<h2>Before you start</h2>",
        "<ol>\n<li>Open <strong>Settings</strong></li>",
        "<ul>\n<li>works on the web</li>",
        "<code>reset --now</code>",
        "<pre><code>supportdesk reset\n</code></pre>",
        "<th>Plan</th>",
        "<td>Basic</td>",
        "<blockquote>",
        "<s>call us</s>",
        '<a href="/help/en/articles/refund-policy" rel="noopener noreferrer nofollow">',
        '<a href="mailto:help@desk.example"',
        '<img src="/api/v1/kb/images/12" alt="The settings page">',
    ):
        assert kept in html, kept
    assert image_ids(html) == {12}


@pytest.mark.parametrize(
    ("markdown", "gone"),
    [
        ("<script>alert('x')</script>", "alert"),
        ("Hi <script>alert('x')</script> there", "alert"),
        ('<img src="/api/v1/kb/images/1" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ('<a href="javascript:alert(1)">click</a>', 'href="javascript:'),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p style="background:url(https://evil.example)">x</p>', "style"),
        ('<form action="https://evil.example"><input name="card"></form>', "<input"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
    ],
)
def test_anything_that_could_run_or_track_is_dropped(markdown, gone):
    assert gone not in render_markdown(markdown)


def test_an_image_from_another_site_becomes_a_link_to_it():
    html = render_markdown("![a pixel](https://tracker.example/p.png)")

    assert "<img" not in html
    assert (
        '<a href="https://tracker.example/p.png" rel="noopener noreferrer nofollow">a pixel</a>'
        in html
    )
    assert image_ids(html) == set()


def test_a_summary_is_the_start_of_the_text_cut_at_a_word():
    english = summary(render_markdown("# Refunds\n\n" + "We refund every order in full. " * 20))
    chinese = summary(render_markdown("退款政策：" + "我们在三十天内全额退款。" * 30))

    assert english.startswith("Refunds We refund") and english.endswith("…")
    assert len(english) <= 160 and not english[:-1].endswith(" ")
    assert chinese.startswith("退款政策：我们") and len(chinese) == 160


#: bodies as long as an article may be, each shaped to make a careless parser backtrack;
#: tests/perf/kb_render.py times them (twice the text should take about twice the time)
PATHOLOGICAL = {
    "brackets": "[a\n" * (BODY_MAX // 3),  # unclosed brackets: each line a link that never was
    "emphasis": "*a **b " * (BODY_MAX // 7),  # emphasis that never closes
    "quotes": "> " * (BODY_MAX // 2),  # quotes nested as deep as the text goes
    "lists": "".join("  " * (i % 60) + "- a\n" for i in range(BODY_MAX // 64)),  # deep lists
    "html": "<div>" * (BODY_MAX // 5),  # nested HTML, deeper than the sanitizer keeps
}


@pytest.mark.parametrize("pathological", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_the_longest_body_renders_whatever_it_holds_into_safe_html(pathological):
    rendered = render_markdown(pathological + "\n\n<script>alert(1)</script>")

    assert "<script" not in rendered
    assert len(rendered) < 20 * len(pathological)
