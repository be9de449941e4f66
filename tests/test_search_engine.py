"""The FTS5 engine on real SQLite: its weights are what FTS5's own bm25() adds up,
an incremental update ends where a clean one does, and words are folded and
stemmed the way FTS5 does it."""

from __future__ import annotations

import hashlib
import json
import math
import random
from pathlib import Path

import pytest

from search import fts5
from search.engine import FIELD_WEIGHTS, Document, Engine
from search.fts5 import FTS5Engine


def doc(key: str, title: str, body: str, keywords=(), categories=()) -> Document:
    digest = hashlib.sha256(repr((title, body, keywords, categories)).encode()).hexdigest()
    return Document(key, title, tuple(keywords), tuple(categories), body, digest)


POSTS = [
    doc(
        "/plog/memoize/",
        "Memoize expensive fragments",
        "We cached the sidebar. Cached pages load fast.",
        ["cache"],
        ["Django"],
    ),
    doc(
        "/plog/vacuum/",
        "When autovacuum could not keep up",
        "Dead tuples and bloat in postgres tables.",
        ["postgres"],
        ["PostgreSQL"],
    ),
    doc("/plog/cafe/", "Working from a café in Zürich", "The cafe wifi dropped; crème brûlée helped.", [], ["Travel"]),
    doc(
        "/plog/analyzers/",
        "Elasticsearch analyzers",
        "Stemming maps running to run; postgres to postgresql.",
        ["search"],
        ["Elasticsearch"],
    ),
    doc(
        "/plog/hooks/",
        "State that survives a re-render",
        "A closure captured the first state of the render.",
        ["react"],
        ["React"],
    ),
    doc(
        "/plog/compose/",
        "Two Compose projects on one network",
        "Containers talk by service name over a network.",
        ["docker"],
        ["Docker"],
    ),
    doc(
        "/plog/rebase/",
        "Fixup commits and autosquash",
        "Rebase moves each fixup commit under its target.",
        ["git"],
        ["Git"],
    ),
    doc(
        "/plog/starter/",
        "Keeping a sourdough starter alive",
        "Feed the starter flour and water every Sunday.",
        [],
        ["Food"],
    ),
]


@pytest.fixture
def engine(tmp_path):
    engine = FTS5Engine(tmp_path / "fts5.sqlite")
    engine.update(POSTS)
    yield engine
    engine.close()


def representative(engine: FTS5Engine, term: str) -> str:
    """A word of the posts whose only term is ``term``, to query FTS5 with."""
    keys = engine.keys()
    analysed = engine.analyze(keys)
    return next(key for key in keys if analysed[key] == [term])


def test_weights_are_fts5s_own_bm25_for_each_term(engine):
    weights = list(engine.weights())
    assert len(weights) > 80
    terms = [term for term, _key, _weight in weights]
    assert terms == sorted(terms), "grouped by term, in order"
    assert len(set(weights)) == len(weights)
    by_term: dict[str, dict[str, float]] = {}
    for term, key, weight in weights:
        by_term.setdefault(term, {})[key] = weight
    weights_sql = ", ".join(str(w) for w in FIELD_WEIGHTS.values())
    for term, expected in by_term.items():
        word = representative(engine, term)
        rows = engine.db.execute(
            f"SELECT d.key, -bm25(posts, {weights_sql}) FROM posts JOIN docs d ON d.id = posts.rowid "
            "WHERE posts MATCH ?",
            (f'"{word}"',),
        ).fetchall()
        assert dict(rows).keys() == expected.keys(), term
        for key, score in rows:
            assert math.isclose(score, expected[key], rel_tol=1e-12), (term, key)


def test_fts5s_own_postings_are_the_weights_quantized_and_numbered(engine):
    # FTS5 streams its postings term by term; the interface's default builds them from weights()
    numbers = {key: n for n, key in enumerate(sorted({key for _term, key, _weight in engine.weights()}, reverse=True))}
    fast = list(engine.encoded_postings(numbers, 100))
    assert fast == list(Engine.encoded_postings(engine, numbers, 100))
    assert [term for term, _df, _text in fast] == sorted({term for term, _key, _weight in engine.weights()})
    assert len(fast) > 80 and any(df > 2 for _term, df, _text in fast)
    for term, df, text in fast:
        flat = json.loads(text)
        assert len(flat) == 2 * df, term
        assert flat[0] >= 0 and all(step > 0 for step in flat[2::2]), term  # posts ascending


def test_title_keywords_and_categories_weigh_more_than_the_body(tmp_path):
    engine = FTS5Engine(tmp_path / "fts5.sqlite")
    same_length = [
        doc("/a/", "Zeppelin notes", "about the flight home"),
        doc("/b/", "Flight notes", "about the zeppelin home"),
        doc("/c/", "Travel notes", "about the flight home", keywords=["zeppelin"]),
        doc("/d/", "Other notes", "about the flight home", categories=["Zeppelin"]),
        *(doc(f"/filler-{n}/", "Filler notes", "about the flight home") for n in range(6)),
    ]
    engine.update(same_length)
    weights = {key: w for term, key, w in engine.weights() if term == "zeppelin"}
    assert weights["/a/"] > weights["/c/"] == weights["/d/"] > weights["/b/"] * 1.5


def test_common_terms_get_fts5s_idf_floor(engine):
    weights = {(term, key): w for term, key, w in engine.weights()}
    # "the" is in more than half of the posts: FTS5 clamps its idf to 1e-6
    assert 0 < weights[("the", "/plog/cafe/")] < 1e-5


def test_analysis_folds_accents_and_stems_like_porter(engine):
    found = engine.analyze(["caching", "cached", "Café", "zürich", "crème", "running"])
    assert found["caching"] == found["cached"] == ["cach"]
    assert found["Café"] == ["cafe"]
    assert found["zürich"] == ["zurich"]
    assert found["running"] == ["run"]


def test_an_incremental_update_ends_where_a_clean_one_does(tmp_path):
    edited = doc("/plog/cafe/", "Working from a café in Basel", "The train wifi was better.", [], ["Travel"])
    later = [p for p in POSTS if p.key not in ("/plog/cafe/", "/plog/rebase/")] + [edited]
    incremental = FTS5Engine(tmp_path / "a.sqlite")
    incremental.update(POSTS)
    report = incremental.update(later)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 1, len(POSTS) - 2)
    clean = FTS5Engine(tmp_path / "b.sqlite")
    clean.update(later)
    assert sorted(incremental.weights()) == sorted(clean.weights())
    assert incremental.keys() == clean.keys()
    assert "zurich" not in incremental.keys() and "basel" in incremental.keys()
    assert incremental.update(later).unchanged == len(later)


def test_a_changed_digest_is_indexed_again_and_clean_starts_over(tmp_path):
    engine = FTS5Engine(tmp_path / "fts5.sqlite")
    engine.update(POSTS)
    assert engine.update(POSTS, clean=True).added == len(POSTS)
    renamed = [
        p if p.key != "/plog/hooks/" else doc(p.key, "Refs and hooks", p.body, ["react"], ["React"]) for p in POSTS
    ]
    assert engine.update(renamed).changed == 1
    assert [h.key for h in engine.search("refs")] == ["/plog/hooks/"]
    assert engine.search("survives") == []


def test_live_search_ranks_words_matched_first(engine):
    hits = engine.search("postgres network")
    assert {h.key for h in hits} == {"/plog/vacuum/", "/plog/analyzers/", "/plog/compose/"}
    assert all(h.matched == 1 for h in hits)
    both = engine.search("postgres stemming")
    assert both[0].key == "/plog/analyzers/" and both[0].matched == 2
    assert [h.matched for h in both] == sorted((h.matched for h in both), reverse=True)


def test_live_search_stems_folds_and_completes_the_last_word(engine):
    assert {h.key for h in engine.search("caching")} == {"/plog/memoize/"}
    assert [h.key for h in engine.search("CAFÉ")] == ["/plog/cafe/"]
    assert [h.key for h in engine.search("zurich")] == ["/plog/cafe/"]
    assert engine.search("autovac") == []
    assert [h.key for h in engine.search("autovac*")] == ["/plog/vacuum/"]
    assert [h.key for h in engine.search("sourd*")] == ["/plog/starter/"]


def test_the_index_is_a_file_of_its_own(tmp_path):
    path = tmp_path / "cache" / "search" / "fts5.sqlite"
    engine = FTS5Engine(path)
    engine.update(POSTS[:2])
    engine.close()
    reopened = FTS5Engine(path)
    assert reopened.update(POSTS[:2]).unchanged == 2
    assert [h.key for h in reopened.search("bloat")] == ["/plog/vacuum/"]


def test_the_stems_listed_for_browser_stemmers_are_fts5s(tmp_path):
    """tests/search_porter.json is what a JavaScript Porter stemmer is checked against (FORMAT.md)."""
    vectors = json.loads((Path(__file__).parent / "search_porter.json").read_text())
    assert len(vectors) > 3000 and vectors["caching"] == vectors["cached"] == "cach"
    engine = FTS5Engine(tmp_path / "fts5.sqlite")
    assert {word: terms[0] for word, terms in engine.analyze(list(vectors)).items()} == vectors


def test_a_cache_file_that_is_not_a_database_is_started_again(tmp_path):
    path = tmp_path / "fts5.sqlite"
    path.write_bytes(b"half a file from a killed build" * 100)
    engine = FTS5Engine(path)
    assert engine.update(POSTS).added == len(POSTS)
    assert [h.key for h in engine.search("bloat")] == ["/plog/vacuum/"]


def test_postings_after_edits_are_a_clean_index_s(tmp_path):
    """Each edit moves the average length: the postings kept from the last build must still be exact."""
    rng = random.Random(5)
    vocabulary = sorted({w for p in POSTS for w in p.body.lower().replace(".", " ").replace(";", " ").split()})
    posts = {p.key: p for p in POSTS}
    incremental = FTS5Engine(tmp_path / "incremental.sqlite")
    for step in range(30):
        key = rng.choice(sorted(posts))
        old = posts[key]
        if step % 10 == 9:  # a new post now and then: every number and idf moves
            key = f"/plog/new-{step}/"
            old = doc(key, "A new post", "", [], ["Travel"])
        body = " ".join(rng.choices(vocabulary, k=rng.randint(1, 40)))
        posts[key] = doc(key, old.title, body, old.keywords, old.categories)
        numbers = {k: n for n, k in enumerate(sorted(posts))}
        incremental.update(list(posts.values()))
        clean = FTS5Engine(tmp_path / f"clean-{step}.sqlite")
        clean.update(list(posts.values()))
        assert list(incremental.encoded_postings(numbers, 100)) == list(clean.encoded_postings(numbers, 100)), step
        assert list(incremental.encoded_postings(numbers, 100)) == list(Engine.encoded_postings(clean, numbers, 100))
        clean.close()
    incremental.close()


def test_an_update_sent_only_the_changed_posts_keeps_the_others_and_ends_where_a_clean_one_does(tmp_path):
    edited = doc("/plog/cafe/", "Working from a café in Basel", "The train wifi was better.", [], ["Travel"])
    later = [p for p in POSTS if p.key not in ("/plog/cafe/", "/plog/rebase/")] + [edited]
    incremental = FTS5Engine(tmp_path / "a.sqlite")
    incremental.update(POSTS)
    indexed = incremental.indexed()
    assert indexed == {p.key: p.digest for p in POSTS}
    sent = [p for p in later if indexed.get(p.key) != p.digest]
    kept = [p.key for p in later if indexed.get(p.key) == p.digest]
    assert [p.key for p in sent] == ["/plog/cafe/"]
    report = incremental.update(sent, kept=kept)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 1, len(POSTS) - 2)
    clean = FTS5Engine(tmp_path / "b.sqlite")
    clean.update(later)
    assert sorted(incremental.weights()) == sorted(clean.weights())
    assert incremental.keys() == clean.keys()
    with pytest.raises(ValueError):
        incremental.update([], kept=["/plog/never-indexed/"])


def test_many_removed_posts_leave_the_same_frequencies_as_a_few(tmp_path, monkeypatch):
    """Up to FEW_REMOVED removed posts are found by their text tokenized again, more in one pass: the same rows."""
    edited = [doc(p.key, p.title, p.body + " and one more sentence", p.keywords, p.categories) for p in POSTS[:3]]
    later = edited + POSTS[4:]
    found = []
    for few in (fts5.FEW_REMOVED, 0):
        monkeypatch.setattr(fts5, "FEW_REMOVED", few)
        engine = FTS5Engine(tmp_path / f"few-{few}.sqlite")
        engine.update(POSTS)
        engine.update(later)
        found.append(sorted(engine.weights()))
        engine.close()
    clean = FTS5Engine(tmp_path / "clean.sqlite")
    clean.update(later)
    assert found[0] == found[1] == sorted(clean.weights())
