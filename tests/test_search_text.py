"""The search index's words are cut by FORMAT.md's rules, by the quick code as by their plain statement (issue 15)."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from search import text


def plain_fold(value: str) -> str:
    """FORMAT.md's folding, character by character."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def plain_words(value: str) -> list[str]:
    """FORMAT.md's words: maximal runs of letters and numbers of the folded text."""
    found, current = [], ""
    for c in plain_fold(value):
        if unicodedata.category(c)[0] in "LN":
            current += c
        elif current:
            found.append(current)
            current = ""
    return [*found, current] if current else found


SAMPLES = [
    "Café crème, naïve coöperation",
    "Ångström — 3½ ﬁne ℌello",
    "日本語のテキスト、カタカナ",
    "Ölçü İstanbul ǅ",
    "",
]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(SAMPLES))
def test_folding_and_words_are_the_plain_rules(value):
    assert text.fold(value) == plain_fold(value)
    assert text.words(value) == plain_words(value)
    folded = plain_fold(value)  # as distinct_words has always read it: folded once for ASCII, twice else
    assert text.distinct_words(value) == (
        set(re.findall("[a-zA-Z0-9]+", folded)) if folded.isascii() else set(plain_words(folded))
    )


def test_no_letter_or_number_is_a_space_to_split():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char)[0] in "LN":
            assert char.split() == [char], hex(code)
