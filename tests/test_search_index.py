"""The static search index a real build writes: files named by their hash, byte-identical
from the same content, text never markup, and queries (whole words, stems, accents,
prefixes, typos) answered from the few files they need, read as FORMAT.md says."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest

from built_sites import build_copy
from conftest import SITES, Site, snapshot
from search_reference import StaticSearch, words

NAME = re.compile(r"^([wtm])-([0-9a-f]{10})\.json$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return build_copy(tmp_path_factory, "search")


@pytest.fixture(scope="module")
def index(site) -> StaticSearch:
    from search.fts5 import FTS5Engine

    engine = FTS5Engine(site.cache / "search" / "fts5.sqlite")
    # the browser's Porter stemmer, here FTS5's own
    return StaticSearch(site.out / "search", stem=lambda word: (engine.analyze([word])[word] or [None])[0])


def urls(index: StaticSearch, text: str, **kwargs) -> list[str]:
    return [index.meta(r.post)["url"] for r in index.search(text, **kwargs).results]


def test_every_file_is_named_by_its_content_hash(site):
    entry = json.loads((site.out / "search" / "index.json").read_bytes())
    listed = (
        {f"w-{h}.json" for h in entry["words"].values()}
        | {f"t-{h}.json" for h in entry["terms"].values()}
        | {f"m-{h}.json" for h in entry["meta"]}
    )
    files = {p.name for p in (site.out / "search" / "index").iterdir()}
    assert files == listed
    for name in files:
        match = NAME.match(name)
        assert match, name
        data = (site.out / "search" / "index" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:10] == match.group(2)


def test_the_same_content_gives_byte_identical_files(site, tmp_path):
    again = Site(tmp_path)
    shutil.copytree(SITES / "search", again.content)
    again.build()
    assert snapshot(again.out / "search") == snapshot(site.out / "search")


def test_text_stays_text_and_no_file_holds_markup(site, index):
    for path in (site.out / "search").rglob("*.json"):
        data = path.read_bytes()
        assert not re.search(rb"[<>&]", data), path.name
        json.loads(data)
    [post] = [r.post for r in index.search("naive templates").results[:1]]
    meta = index.meta(post)
    assert meta["title"] == 'Why <script> & "quotes" break naive templates'
    assert meta["summary"] == "Titles are text: <b>bold</b> in a title must show the tags, not make bold."
    assert meta["url"] == "/plog/escaping-titles/" and meta["date"] == "2023-02-14"
    assert index.categories(post) == ["Django", "Security"]


def test_posts_are_numbered_oldest_first_with_their_categories(index):
    entry = index.entry
    assert entry["posts"] == 11, "the draft is not published"
    dates = [index.meta(n)["date"] for n in range(entry["posts"])]
    assert dates == sorted(dates)
    assert entry["categories"] == sorted(entry["categories"], key=lambda c: (c.casefold(), c))
    assert index.categories(0) == ["Vim"] and index.meta(0)["url"] == "/plog/vim-macros/"


def test_whole_words_rank_title_matches_first(index):
    assert urls(index, "autovacuum")[0] == "/plog/postgres-vacuum/"
    found = urls(index, "network")
    assert found[0] == "/plog/docker-compose-networks/"


def test_stems_find_forms_the_posts_never_use(index):
    # no post says "caching": the memoize post says "cached", another "Cache"
    shard = index.words_shard("ca")
    assert "caching" not in shard["words"] and "cached" in shard["words"]
    assert set(urls(index, "caching")) >= {"/plog/memoize-template-fragments/", "/plog/caching-headers/"}
    assert urls(index, "vacuuming")[0] == "/plog/postgres-vacuum/"


def test_accents_fold_both_ways(index):
    assert urls(index, "Zurich") == ["/plog/cafe-wifi/"]
    assert urls(index, "CAFÉ") == urls(index, "cafe") == ["/plog/cafe-wifi/"]
    assert urls(index, "creme brulee") == ["/plog/cafe-wifi/"]
    assert urls(index, "naïve")[0] == "/plog/escaping-titles/", "the post says naive, the query naïve"


def test_the_last_word_is_a_prefix_while_typing(index):
    assert urls(index, "autov") == []
    assert urls(index, "autov", open_last=True) == ["/plog/postgres-vacuum/"]
    assert urls(index, "sourd", open_last=True) == ["/plog/bread-starter/"]
    # only the last word: "autov" before a completed word is a word of its own
    assert urls(index, "autov starter", open_last=True) == ["/plog/bread-starter/"]


def test_more_matched_words_rank_first(index):
    answer = index.search("docker starter flour")
    assert [r.matched for r in answer.results] == sorted((r.matched for r in answer.results), reverse=True)
    assert index.meta(answer.results[0].post)["url"] == "/plog/bread-starter/"
    assert answer.results[0].matched == 2


@pytest.mark.parametrize(
    "typo, meant",
    [
        ("autovacum", "autovacuum"),  # a letter dropped
        ("autovaccuum", "autovacuum"),  # a letter added
        ("sourdouhg", "sourdough"),  # neighbours swapped at the end
        ("xtarter", "starter"),  # the first letter wrong
        ("tsarter", "starter"),  # the first two swapped
        ("satrter", "starter"),  # the second and third swapped
        ("tarter", "starter"),  # the first letter dropped
        ("sstarter", "starter"),  # a letter added at the front
        ("zeppelins", None),  # a draft's word: no correction finds it
    ],
)
def test_one_typo_anywhere_in_the_word_is_corrected(index, typo, meant):
    answer = index.search(typo)
    if meant is None:
        assert answer.results == [] and answer.corrected is None
        return
    assert answer.corrected == meant
    post = {"autovacuum": "/plog/postgres-vacuum/", "sourdough": "/plog/bread-starter/"}.get(meant)
    assert index.meta(answer.results[0].post)["url"] == (post or "/plog/bread-starter/")


def test_two_typos_are_not_corrected(index):
    assert index.search("sourdohgu").results == []


def test_a_query_reads_only_the_files_it_needs(site, index):
    index.fetched.clear()
    answer = index.search("autovacuum")
    kinds = [name.split("/")[-1][0] for name in index.fetched]
    assert kinds == ["w", "t"], "one word shard, then one term shard"
    index.meta(answer.results[0].post)
    total = len(list((site.out / "search" / "index").iterdir()))
    assert len(set(index.fetched)) == 3 < total


def test_every_word_of_every_title_and_summary_is_in_its_shard(index):
    for post in range(index.entry["posts"]):
        meta = index.meta(post)
        for key in words(meta["title"] + " " + meta["summary"]):
            assert key in index.words_shard(key[:2])["words"], (key, meta["url"])


def test_an_edit_rewrites_only_the_files_whose_bytes_change(tmp_path):
    site = Site(tmp_path / "a")
    shutil.copytree(SITES / "search", site.content)
    site.build()
    folder = site.out / "search" / "index"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    # one word for another: the post keeps its length, so only the two words' terms change
    post = site.content / "vim-macros.md"
    post.write_text(post.read_text().replace("Recursive", "Recurring"))
    site.build()
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    kept = before.keys() & after.keys()
    new = sorted(after.keys() - before.keys())
    assert all(before[name] == after[name] for name in kept), "an unchanged file is not written again"
    assert 1 <= len([n for n in new if n.startswith("t-")]) <= 2, new
    assert 1 <= len([n for n in new if n.startswith("w-")]) <= 4, new
    assert not [n for n in new if n.startswith("m-")], "no title or summary changed"
    assert len(new) < len(after) / 4
    # and the result is what a clean build of the edited posts writes
    clean = Site(tmp_path / "b")
    shutil.copytree(site.content, clean.content)
    clean.build()
    assert snapshot(clean.out / "search") == snapshot(site.out / "search")
    assert urls(StaticSearch(site.out / "search"), "recurring") == ["/plog/vim-macros/"]
    assert urls(StaticSearch(site.out / "search"), "recursive") == []


def test_drafts_are_indexed_only_when_published(tmp_path):
    site = Site(tmp_path)
    shutil.copytree(SITES / "search", site.content)
    site.build("--drafts")
    index = StaticSearch(site.out / "search")
    assert index.entry["posts"] == 12
    assert urls(index, "zeppelins") == ["/plog/draft-notes/"]
    site.build()
    assert urls(StaticSearch(site.out / "search"), "zeppelins") == []


def test_a_build_on_the_embedded_engine_never_imports_the_elasticsearch_client(tmp_path):
    # the client costs a fifth of a second to import, on every build of a site that does not use it
    site = Site(tmp_path)
    shutil.copytree(SITES / "search", site.content)
    result = site.build(env={"PYTHONPROFILEIMPORTTIME": "1", "KILN_ELASTICSEARCH_URL": None})
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import ")}
    assert {"search.fts5", "search.stage"} <= imported  # the build indexed its posts (and -X importtime works)
    assert not sorted(name for name in imported if name.split(".")[0] == "elasticsearch" or "engines" in name)
    assert urls(StaticSearch(site.out / "search"), "recursive") == ["/plog/vim-macros/"]
