"""How text becomes terms and snippets: the same rules for what is indexed and what is asked."""

from __future__ import annotations

from supportdesk.search.query import parse
from supportdesk.search.snippets import highlight, snippet
from supportdesk.search.text import fold, indexed, phone_endings


def test_every_script_is_case_folded_and_full_width_forms_are_plain():
    assert fold("STRASSE") == fold("Straße") == "strasse"
    assert fold("ΣΊΣΥΦΟΣ") == fold("σίσυφος")
    assert fold("ＲＯＵＴＥＲ１２") == "router12"
    assert fold("Café Ñandú") == "cafe nandu"
    assert fold("Привет Ёж") == "привет еж"
    assert fold("한국어") == "한국어"  # Hangul stays syllables
    assert fold("ｶﾀｶﾅ") == "カタカナ"


def test_chinese_is_indexed_as_bigrams_and_its_last_character():
    assert indexed("申请退款") == "申请 请退 退款 款"
    assert indexed("iPhone15退款!") == "iphone15 退款 款"
    assert indexed("退") == "退"


def test_words_joined_by_punctuation_are_a_phrase_and_the_last_word_a_prefix():
    [phrase] = parse("alice@example.com").clauses
    assert phrase.alternatives[0].tokens == ("alice", "example", "com")
    assert phrase.alternatives[0].prefix

    router, red = parse("Router  RED").clauses
    assert (router.alternatives[0].prefix, red.alternatives[0].prefix) == (False, True)
    # punctuation closes the word: 100% is the number 100, not 1000
    assert not parse("100%").clauses[0].alternatives[0].prefix
    assert not parse("nothing here", prefixes="none").clauses[-1].alternatives[0].prefix
    assert parse("%%%").clauses == ()


def test_a_chinese_query_is_segmented_into_words_each_a_phrase_of_bigrams():
    terms = [c.alternatives[0] for c in parse("信用卡退款", prefixes="none").clauses]
    assert [t.tokens for t in terms] == [("信用", "用卡"), ("退款",)]
    # while typing, a last single character is the start of the next word
    card, typing = (c.alternatives[0] for c in parse("信用卡退").clauses)
    assert (card.tokens, typing.tokens, typing.prefix) == (("信用", "用卡"), ("退",), True)
    assert [c.alternatives[0].tokens for c in parse("我的退款").clauses] == [("退款",)]
    [one] = parse("退").clauses
    assert one.alternatives[0].prefix


def test_a_snippet_marks_the_original_characters_and_escapes_everything_else():
    text = "Never paste <script>alert(1)</script> into the ＲＯＵＴＥＲ page & reboot."
    marked = snippet(text, parse("router reboot"))
    assert "<mark>ＲＯＵＴＥＲ</mark>" in marked
    assert "<mark>reboot</mark>" in marked
    assert "&lt;script&gt;" in marked and "<script>" not in marked
    assert "&amp;" in marked


def test_a_snippet_is_the_window_around_the_matches_cut_with_an_ellipsis():
    text = "filler words " * 40 + "the refund arrives within five days" + " more words" * 40
    marked = snippet(text, parse("refund"), 80)
    assert marked.startswith("…") and marked.endswith("…")
    assert "<mark>refund</mark>" in marked
    assert len(marked) < 120


def test_chinese_matches_are_marked_inside_unspaced_text():
    assert highlight("如何申请退款？", parse("退款")) == "如何申请<mark>退款</mark>？"


def test_a_phone_number_is_found_by_any_ending():
    assert phone_endings("+8613812345678")[:3] == ["8613812345678", "613812345678", "13812345678"]
    assert phone_endings("+8613812345678")[-1] == "678"
