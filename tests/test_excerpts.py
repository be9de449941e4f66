"""Excerpts: ``summary:``, else the text before ``<!--more-->``, else the first paragraph."""

from __future__ import annotations

import json

import pytest

from built_sites import build_posts
from conftest import Site

POSTS = {
    "marked.md": (
        "---\ntitle: Marked\ndate: 2024-01-04\n---\n"
        "The *first* paragraph.\n\nThe second one, still &amp; in the excerpt.\n\n"
        "<!--more-->\n\nThe rest of the post.\n"
    ),
    "spaced.md": "---\ntitle: Spaced\ndate: 2024-01-03\n---\nZola's way.\n\n<!-- more -->\n\nAfter.\n",
    "summarised.md": (
        "---\ntitle: Summarised\ndate: 2024-01-02\nsummary: Its own words.\n---\nBefore.\n\n<!--more-->\n\nAfter.\n"
    ),
    "plain.md": (
        "---\ntitle: Plain\ndate: 2024-01-01\n---\nOnly the first paragraph.\n\nNot this one.\n\n"
        "```html\n<!--more-->\n```\n\nNor this.\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    return build_posts(tmp_path_factory, "excerpts", POSTS)


def summaries(site: Site) -> dict[str, str]:
    items = site.html("index.html").select(".post-summary")
    return {li.h2.get_text(): li.select_one(".summary").get_text() for li in items}


def test_the_more_marker_ends_the_excerpt(built):
    assert summaries(built) == {
        "Marked": "The first paragraph. The second one, still & in the excerpt.",
        "Spaced": "Zola’s way.",  # typographic, as the post shows it (smarty)
        "Summarised": "Its own words.",
        "Plain": "Only the first paragraph.",  # a marker inside code is text
    }


def test_feeds_and_meta_descriptions_use_the_excerpt(built):
    feed = json.loads((built.out / "feed.json").read_text(encoding="utf-8"))
    assert {item["title"]: item["summary"] for item in feed["items"]}["Marked"] == summaries(built)["Marked"]
    page = built.html("plog/marked/index.html")
    assert page.select_one('meta[name="description"]')["content"] == summaries(built)["Marked"]


def test_the_post_shows_its_whole_body(built):
    body = built.html("plog/marked/index.html").select_one(".post-body")
    assert [p.get_text() for p in body.find_all("p")][-1] == "The rest of the post."
