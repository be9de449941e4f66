"""Related posts: scored by shared keywords and categories, memoized between builds,
and exactly what a clean build would list after any edit."""

from __future__ import annotations

import os
import random

import pytest

from conftest import Site, snapshot


def post(title: str, date: str, keywords=(), categories=(), extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nkeywords: [{', '.join(keywords)}]\n"
        f"categories: [{', '.join(categories)}]\n{extra}---\n{title} body.\n"
    )


def related(site: Site, slug: str) -> list[str]:
    return [a["href"].split("/")[2] for a in site.html(f"plog/{slug}/index.html").select("#related a")]


def every_list(site: Site) -> dict[str, list[str]]:
    return {
        folder.name: related(site, folder.name) for folder in sorted((site.out / "plog").iterdir()) if folder.is_dir()
    }


@pytest.fixture
def scored(site):
    site.write("base.md", post("Base", "2024-01-10", ["django", "cache"], ["Python", "Web"]))
    site.write("two-keywords.md", post("Two keywords", "2024-01-01", ["django", "cache"]))
    site.write("keyword-and-categories.md", post("K and C", "2024-01-05", ["django"], ["Python", "Web"]))
    site.write("two-categories.md", post("Two categories", "2024-01-08", [], ["Python", "Web"]))
    site.write("one-keyword.md", post("One keyword", "2024-01-03", ["cache"]))
    site.write("one-keyword-newer.md", post("One keyword, newer", "2024-01-04", ["django"]))
    site.write("one-category.md", post("One category", "2024-01-09", [], ["Web"]))
    site.write("nothing-shared.md", post("Nothing shared", "2024-01-02", ["other"], ["Elsewhere"]))
    site.write("a-draft.md", post("Draft", "2024-01-06", ["django", "cache"], ["Python"], "draft: true\n"))
    site.write("the-future.md", post("Future", "2099-01-01", ["django", "cache"], ["Python"]))
    return site


def test_keywords_weigh_more_than_categories_and_newer_wins_ties(scored):
    scored.build()
    # scores: 6, 3+2, 3 (newer), 3, 2 ... and "one-category" (1) is the sixth
    assert related(scored, "base") == [
        "two-keywords",
        "keyword-and-categories",
        "one-keyword-newer",
        "one-keyword",
        "two-categories",
    ]
    assert related(scored, "nothing-shared") == []
    assert scored.html("plog/nothing-shared/index.html").select_one("#related") is not None


def test_the_number_shown_is_a_setting(scored):
    scored.build(env={"KILN_RELATED_POSTS": "10"})
    shown = related(scored, "base")
    assert shown[-1] == "one-category" and len(shown) == 6  # never itself, drafts, future or unrelated posts
    scored.build(env={"KILN_RELATED_POSTS": "0"})
    assert scored.html("plog/base/index.html").select_one("#related") is None


def test_memo_survives_builds_and_is_invalidated_only_by_what_scores_use(scored):
    first = scored.build("--debug")
    assert "related: scoring" in first.stderr
    assert any((scored.cache / "memoize").iterdir())
    scored.write("one-keyword.md", post("One keyword, retitled", "2024-01-03", ["cache"]).replace("body", "new body"))
    second = scored.build("--debug")
    assert "related: scoring" not in second.stderr
    # the new title shows in the lists that link to it
    assert "One keyword, retitled" in scored.html("plog/base/index.html").select_one("#related").get_text()
    scored.write("one-keyword.md", post("One keyword, retitled", "2024-01-03", ["cache", "django"]))
    third = scored.build("--debug")
    assert "related: scoring" in third.stderr
    assert related(scored, "base")[:2] == ["one-keyword", "two-keywords"]  # 6 each, newer first


WORDS = ["django", "python", "cache", "search", "sqlite", "feeds", "css", "deploy"]
CATEGORIES = ["Python", "Web", "Travel", "Photos"]


def random_post(rng: random.Random, n: int, day: int | None = None) -> str:
    keywords = rng.sample(WORDS, rng.randint(0, 3))
    categories = rng.sample(CATEGORIES, rng.randint(0, 2))
    return post(f"Post {n}", f"2023-{1 + (day or n) // 28:02d}-{1 + (day or n) % 28:02d}", keywords, categories)


def test_incremental_builds_list_what_clean_builds_list(site, tmp_path):
    rng = random.Random(4)
    for n in range(40):
        site.write(f"post-{n}.md", random_post(rng, n))
    site.write("post-0.md", post("Post 0", "2023-01-01", ["css"], ["Web"], "aliases: [/old/zero/]\n"))
    site.build()

    def same_as_clean(round_name: str) -> None:
        clean = Site(tmp_path / f"clean-{round_name}")
        clean.root.mkdir()
        os.symlink(site.content, clean.content)
        clean.build()
        assert every_list(site) == every_list(clean)
        # the strongest proof: every file of the site, byte for byte
        assert snapshot(site.out) == snapshot(clean.out)

    # one post's keywords
    site.write("post-7.md", post("Post 7", "2023-01-08", ["django", "cache", "feeds"], ["Web"]))
    site.build()
    same_as_clean("keywords")

    # categories of another, posts added and deleted, a date moved, a post made a draft, aliases
    site.write("post-3.md", post("Post 3", "2023-01-04", ["search"], ["Travel", "Photos"]))
    for n in range(40, 44):
        site.write(f"post-{n}.md", random_post(rng, n))
    (site.content / "post-11.md").unlink()
    (site.content / "post-20.md").unlink()
    site.write("post-5.md", random_post(rng, 5, day=60))
    site.write("post-9.md", post("Post 9", "2023-01-10", ["django"], ["Python"], "draft: true\n"))
    site.write("post-0.md", post("Post zero", "2023-01-01", ["css"], ["Web"], "aliases: [/old/zero/, /old/0]\n"))
    result = site.build()
    assert "reused" in result.stderr
    same_as_clean("everything")
    assert sum(map(len, every_list(site).values())) > 100  # the lists are not trivially empty
