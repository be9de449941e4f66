"""The browser's search script agrees with the engine: its Porter stemmer with SQLite's
FTS5, and its ranking of the static index with the engine's live query.

Both run the real script (``assets/js/static-search.js``, as the build bundled
it) in a real headless Chromium, on a site built by the real build.
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata

import pytest

from browser import static_server
from conftest import Site

# Classic Porter cases for every step, short and long words, and words with letters beyond ASCII.
STEM_WORDS = (
    """
caresses ponies ties caress cats feed agreed disabled matting mating meeting milling messing meetings
plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed failing filing
happy sky relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli
vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness
formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness
revival allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment
dependent adoption homologou communism activate angulariti homologous effective bowdlerize probate rate
cease controlling roll generalizations oscillators caching cached cache wheels resumes naive argued
skies dying lying tied news agreement a is as ss ies eed ing yyy by ay eye sly filed
naïve résumés garçons crème über déjà mañanas façades straße ελληνικά ﬁnishing данные 日本語 ŝipoj
""".split()
    + ["x" * 63 + "ing", "y" * 64 + "ing", "é" * 32 + "s", "é" * 31 + "ing"]
)


def fold(word: str) -> str:
    """FORMAT.md's fold: lower case, NFKD, without nonspacing marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if unicodedata.category(c) != "Mn")


def fts5_stems(words: list[str]) -> dict[str, str]:
    """What SQLite's FTS5 porter tokenizer makes of each (folded) word."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(w, tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t(rowid, w) VALUES (?, ?)", enumerate(words, start=1))
    stems = {words[doc - 1]: term for term, doc in db.execute("SELECT term, doc FROM v")}
    db.close()
    return stems


VOCABULARY = """
cache caching cached caches static site sites generator generated django template templates templating
render rendering rendered query queries querying index indexes indexed search searching searched shard
shards python pythonic package packages packaging packaged deploy deployment deployed netlify server
servers serving served database databases postgres postgresql sqlite migration migrations migrate
feed feeds markdown header headers footer style styles styling script scripts scripting browser
browsers typing typed keyboard result results ranking ranked weight weights relevance café naïve
résumé über straße connection connections connected happy happily happiness running runner runs
""".split()
CATEGORIES = ["Django", "Python", "Web", "Databases", "Café culture"]


def write_corpus(site: Site, posts: int, seed: int) -> None:
    """A deterministic little blog whose words overlap enough to rank."""
    rng = random.Random(seed)
    for n in range(posts):
        title = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(2, 5))).capitalize()
        body = " ".join(rng.choice(VOCABULARY + ["the", "and", "of", "a"] * 8) for _ in range(rng.randint(20, 120)))
        categories = ", ".join(sorted(set(rng.sample(CATEGORIES, rng.randint(1, 2)))))
        keywords = ", ".join(rng.sample(VOCABULARY, rng.randint(0, 3)))
        site.write(
            f"post-{n:03}.md",
            f"""
            ---
            title: "{title}"
            date: 2023-{1 + n % 12:02}-{1 + n % 28:02}
            categories: [{categories}]
            keywords: [{keywords}]
            ---
            {body}.
            """,
        )


def queries(seed: int) -> list[tuple[str, bool]]:
    """(text, typing): single words, pairs, triples, and prefixes of a last word still being typed."""
    rng = random.Random(seed)
    found = [(rng.choice(VOCABULARY), False) for _ in range(30)]
    found += [(" ".join(rng.sample(VOCABULARY, 2)), False) for _ in range(30)]
    found += [(" ".join(rng.sample(VOCABULARY, 3)), False) for _ in range(15)]
    for _ in range(25):
        word = rng.choice(VOCABULARY)
        prefix = word[: rng.randint(2, max(2, len(word) - 1))]
        found.append(((rng.choice(VOCABULARY) + " " if rng.random() < 0.4 else "") + prefix, True))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("agreement"))
    write_corpus(site, 90, seed=8)
    site.build()
    return site


@pytest.fixture(scope="module")
def base(corpus):
    with static_server(corpus.out) as url:
        yield url


TOLERANCE = 0.05  # the static weights are rounded to two decimals, one rounding per term


def near(tenth, matched: int, score: float) -> bool:
    """A near tie with the engine's tenth result: either may be shown."""
    return matched == tenth.matched and abs(score - tenth.score) <= TOLERANCE


RUN = """async ([queries, limit]) => {
  const index = await window.kilnSearch.open(document.querySelector("[data-search-index]").dataset.searchIndex);
  const scale = (await (await fetch(document.querySelector("[data-search-index]").dataset.searchIndex)).json()).scale;
  const answers = [];
  for (const [text, typing] of queries) {
    const { hits } = await index.query(text, typing);
    answers.push(await Promise.all(hits.slice(0, limit).map(async (hit) =>
      [(await index.meta(hit.post)).url, hit.matched, hit.score / scale])));
  }
  return answers;
}"""


def test_the_script_stems_as_fts5_does(browser_page, corpus, base):
    words = [fold(word) for word in STEM_WORDS]
    expected = fts5_stems(words)
    browser_page.goto(f"{base}/search/")
    stems = browser_page.evaluate("(words) => words.map((w) => window.kilnSearch.porter(w))", words)
    assert dict(zip(words, stems, strict=True)) == expected


def test_the_script_ranks_as_the_engine_does(browser_page, corpus, base):
    from search.fts5 import FTS5Engine

    asked = queries(seed=3)
    browser_page.goto(f"{base}/search/")
    answers = browser_page.evaluate(RUN, [asked, 20])
    engine = FTS5Engine(corpus.cache / "search" / "fts5.sqlite")
    try:
        live = [engine.search(text + ("*" if typing else ""), limit=20) for text, typing in asked]
    finally:
        engine.close()
    with_results = 0
    for (text, typing), browser, hits in zip(asked, answers, live, strict=True):
        label = f"{text!r}{' (typing)' if typing else ''}"
        assert bool(browser) == bool(hits), label
        if not hits:
            continue
        with_results += 1
        engine_found = {hit.key: (hit.matched, hit.score) for hit in hits}
        for url, matched, score in browser:  # every post both list scores the same
            if url in engine_found:
                assert matched == engine_found[url][0], f"{label}: {url}"
                assert abs(score - engine_found[url][1]) <= TOLERANCE, f"{label}: {url} {score} {engine_found[url]}"
        tenth = hits[:10][-1]
        shown = [url for url, _matched, _score in browser[:10]]
        for hit in hits[:10]:  # the engine's top 10, except near ties at its tenth place, is the browser's
            assert hit.key in shown or near(tenth, hit.matched, hit.score), f"{label}: {hit.key} not in {shown}"
        for url, matched, score in browser[:10]:
            assert url in {hit.key for hit in hits[:10]} or near(tenth, matched, score), f"{label}: {url}"
    assert with_results >= len(asked) * 0.8, "the queries should mostly find something"
