"""The search index's words are cut by FORMAT.md's rules, by the quick code as by their plain statement (issue 15)."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from search import text
from search_reference import fold, words  # FORMAT.md's folding and words, character by character

SAMPLES = [
    "Café crème, naïve coöperation",
    "Ångström — 3½ ﬁne ℌello",
    "日本語のテキスト、カタカナ",
    "Ölçü İstanbul ǅ",
    "",
]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(SAMPLES))
def test_folding_and_words_are_the_plain_rules(value):
    assert text.fold(value) == fold(value)
    assert text.words(value) == words(value)
    folded = fold(value)  # as distinct_words has always read it: folded once for ASCII, twice else
    assert text.distinct_words(value) == (
        set(re.findall("[a-zA-Z0-9]+", folded)) if folded.isascii() else set(words(folded))
    )


def test_no_letter_or_number_is_a_space_to_split():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char)[0] in "LN":
            assert char.split() == [char], hex(code)
