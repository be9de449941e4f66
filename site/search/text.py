"""Words as the static index and its browser client cut them (FORMAT.md, "Words").

The writer, the engines' live queries and the browser all fold and cut text
with these rules, so that a key computed in JavaScript is the key the writer
filed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# in ASCII, the letters and digits (\w without `_`)
_WORD = re.compile(r"[^\W_]+", re.ASCII)


def fold(text: str) -> str:
    """Lower case, NFKD, nonspacing marks removed: ``Café`` -> ``cafe``."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    # each distinct character classified once, then one pass in C (a post's text has a few dozen distinct ones)
    marks = {ord(c): None for c in set(decomposed) if c > "\x7f" and unicodedata.category(c) == "Mn"}
    return decomposed.translate(marks) if marks else decomposed


def words(text: str) -> list[str]:
    """The keys of ``text``: maximal runs of letters and numbers (``L*``, ``N*``) of its folded form."""
    folded = fold(text)
    if folded.isascii():
        return _WORD.findall(folded)
    # every other character a space, then split: no letter or number is a space to str.split (all are checked)
    separators = {ord(c): " " for c in set(folded) if unicodedata.category(c)[0] not in "LN"}
    return folded.translate(separators).split()


# every ASCII byte that is not a letter or digit, as a space
_ASCII_SEPARATORS = bytes.maketrans(bytes(range(128)), bytes(c if chr(c).isalnum() else 32 for c in range(128)))


def distinct_words(text: str) -> set[str]:
    """``set(words(text))``, faster for ASCII text (a post's whole text is cut at once)."""
    folded = fold(text)
    if not folded.isascii():
        return set(words(folded))
    return {word.decode() for word in set(folded.encode().translate(_ASCII_SEPARATORS).split())}


def shard_name(key: str) -> str:
    """A key's word shard: its first two code points."""
    return key[:2]


def deletions(key: str) -> Iterator[str]:
    """The SymSpell deletion keys filed for ``key``: without its first, then its second code point."""
    yield key[1:]
    yield key[0] + key[2:]


def osa(a: str, b: str, limit: int = 1) -> int:
    """Optimal string alignment distance of ``a`` and ``b``, or ``limit + 1`` when it is larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)
