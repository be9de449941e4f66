"""The one-typo queries both search benchmarks ask, generated the same way every run.

A typo query is two words of one post's title, one of them misspelt once;
it counts as found when that post is in the top 10. The pair is chosen so
that, spelt right, it points at the post: both words are in fewer than half
of the posts (a word in most posts weighs next to nothing in BM25, in any
engine) and at most three titles hold both. Without that filter the figure
measures how often two common words pick one post out of thousands, not
typo tolerance: an earlier generator (the title's rarest word beside the
misspelt one) gave 75% on the 4,000-post corpus, yet its queries spelt right
found their post only 77% of the time, so 97% of those that could be found
were. The benchmarks therefore also ask every query spelt right and report
both shares.

The misspelt word has five letters or more; the edit (insertion, deletion,
substitution or swap of neighbours, each a quarter of the time) is at a
uniformly random place, so about a third of the typos are in the first
two letters (where an index chunked by prefix, as Pagefind's is, does not
look). A typo that spells another word of the corpus is drawn again.
Posts are read in file-name order and every choice comes from
``random.Random(seed)``: the same corpus and seed give the same queries.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

LETTERS = "abcdefghijklmnopqrstuvwxyz"
SEED = 1


@dataclass(frozen=True)
class TypoQuery:
    query: str  # with the typo
    right: str  # the same words spelt right
    url: str  # the post they point at


def typo_queries(content: Path, count: int, seed: int = SEED) -> list[TypoQuery]:
    """``count`` one-typo queries for the posts (``*.md``) of ``content``."""
    frequency: Counter[str] = Counter()
    titles: list[tuple[list[str], str]] = []
    for path in sorted(content.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        frequency.update(set(re.findall(r"[a-z0-9]+", text.lower())))
        title = re.search(r'^title: "?(.*?)"?$', text, re.M)[1]
        titles.append((title.lower().split(), f"/plog/{path.stem}/"))
    rare = {word for word, n in frequency.items() if n < len(titles) / 2}
    together: Counter[frozenset[str]] = Counter()
    for words, _url in titles:
        kept = sorted(set(words) & rare)
        together.update(frozenset((a, b)) for i, a in enumerate(kept) for b in kept[i + 1 :])
    rng = random.Random(seed)
    queries: list[TypoQuery] = []
    while len(queries) < count:
        words, url = rng.choice(titles)
        pairs = [
            (i, j)
            for i, a in enumerate(words)
            for j, b in enumerate(words)
            if i != j and len(a) >= 5 and a.isalpha() and a in rare and b in rare and a != b
            and together[frozenset((a, b))] <= 3
        ]  # fmt: skip
        if not pairs:
            continue
        at, other = rng.choice(pairs)
        typo = misspell(words[at], rng)
        if typo in frequency:
            continue  # a real word: not a typo
        ordered = sorted([(at, typo, words[at]), (other, words[other], words[other])])
        queries.append(TypoQuery(" ".join(w for _i, w, _r in ordered), " ".join(r for _i, _w, r in ordered), url))
    return queries


def misspell(word: str, rng: random.Random) -> str:
    """``word`` with one insertion, deletion, substitution or swap of neighbours, anywhere in it."""
    kind = rng.choice(("insert", "delete", "substitute", "swap"))
    if kind == "insert":
        at = rng.randrange(len(word) + 1)
        return word[:at] + rng.choice(LETTERS) + word[at:]
    if kind == "delete":
        at = rng.randrange(len(word))
        return word[:at] + word[at + 1 :]
    if kind == "substitute":
        at = rng.randrange(len(word))
        return word[:at] + rng.choice(LETTERS.replace(word[at], "")) + word[at + 1 :]
    at = rng.randrange(len(word) - 1)
    if word[at] == word[at + 1]:
        return misspell(word, rng)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
