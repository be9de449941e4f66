"""The static index ranks as the engine does: many queries (single words, several
words, prefixes) run against FTS5's live query and against the files a real build
wrote, read by the reference client, and give the same top 10.

Weights are stored in hundredths, so two posts whose engine scores differ by
less than the rounding of their terms (half a hundredth per term, in each of
the two) may swap places; at every rank the
static index must show a post whose engine score is the engine's own at that
rank, within that rounding, with the same number of words matched.
"""

from __future__ import annotations

import random
import re

import pytest

from conftest import SITES, Site
from search_reference import StaticSearch, words

CATEGORIES = ["Django", "PostgreSQL", "Travel", "Food", "Docker", "Git", "Vim", "Performance", "Security", "React"]


def vocabulary() -> list[str]:
    """The words of the search fixture's posts, most frequent first: a realistic spread."""
    counts: dict[str, int] = {}
    for path in sorted(SITES.joinpath("search").glob("*.md")):
        for word in re.findall(r"[A-Za-zÀ-ÿ]+", path.read_text().split("---", 2)[-1]):
            counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))


def write_posts(site: Site, count: int = 160) -> None:
    rng = random.Random(8)
    vocab = vocabulary()
    weights = [1 / (rank + 3) for rank in range(len(vocab))]
    for n in range(count):
        title = " ".join(rng.choices(vocab, weights, k=rng.randint(2, 6))).capitalize()
        body = []
        for _ in range(rng.randint(1, 5)):
            body.append(" ".join(rng.choices(vocab, weights, k=rng.randint(15, 70))).capitalize() + ".")
        keywords = sorted({w.lower() for w in rng.sample(vocab[20:200], rng.randint(0, 3))})
        categories = sorted(rng.sample(CATEGORIES, rng.randint(1, 3)))
        site.write(
            f"post-{n:03}.md",
            f"---\ntitle: {title!r}\ndate: 2020-01-01T{n // 60:02}:{n % 60:02}:00+00:00\n"
            f"categories: [{', '.join(categories)}]\nkeywords: [{', '.join(keywords)}]\n---\n\n" + "\n\n".join(body),
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from search.fts5 import FTS5Engine

    site = Site(tmp_path_factory.mktemp("agreement"))
    site.content.mkdir()
    write_posts(site)
    site.build()
    engine = FTS5Engine(site.cache / "search" / "fts5.sqlite")
    yield engine, StaticSearch(site.out / "search")
    engine.close()


def queries() -> list[tuple[str, bool]]:
    """(query, last word open) pairs: single words of every frequency, pairs, triples and prefixes."""
    rng = random.Random(3)
    vocab = sorted({w for word in vocabulary() for w in words(word)})
    chosen = [(w, False) for w in rng.sample(vocab, 60)]
    chosen += [(" ".join(rng.sample(vocab, 2)), False) for _ in range(40)]
    chosen += [(" ".join(rng.sample(vocab, 3)), False) for _ in range(25)]
    long_words = [w for w in vocab if len(w) >= 4]
    chosen += [(w[: rng.randint(2, 4)], True) for w in rng.sample(long_words, 40)]
    chosen += [(f"{rng.choice(vocab)} {rng.choice(long_words)[:3]}", True) for _ in range(20)]
    return chosen


def test_the_static_index_ranks_as_the_engine_does(built):
    engine, index = built
    exact = 0
    checked = queries()
    for text, open_last in checked:
        hits = engine.search(text + ("*" if open_last else ""), limit=10_000)
        answer = index.search(text, open_last=open_last)
        found = [index.meta(r.post)["url"] for r in answer.results]
        assert sorted(found) == sorted(h.key for h in hits), f"{text!r}: not the same posts match"
        by_key = {h.key: h for h in hits}
        # each term's weight is off by at most half a hundredth, in either post compared
        rounding = 2 * 0.005 * sum(len(terms) for terms in answer.terms) + 1e-9
        for rank, (mine, theirs) in enumerate(zip(found[:10], hits[:10], strict=True)):
            assert by_key[mine].matched == theirs.matched, (text, rank)
            assert abs(by_key[mine].score - theirs.score) <= rounding, (text, rank, mine, theirs.key)
        exact += found[:10] == [h.key for h in hits[:10]]
    assert exact >= 0.6 * len(checked), f"only {exact} of {len(checked)} top 10s are identical"


def test_the_queries_are_worth_checking(built):
    engine, _index = built
    results = [engine.search(text + ("*" if o else ""), limit=10) for text, o in queries()]
    assert sum(len(r) == 10 for r in results) > 60, "most queries fill a page of results"
    assert sum(any(h.matched > 1 for h in r) for r in results) > 30, "many have posts matching several words"
