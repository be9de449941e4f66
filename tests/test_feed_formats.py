"""Atom 1.0 and JSON Feed 1.1 beside RSS, for the site, each category and each tag.

The XML feeds are read with a real feed parser (feedparser); the JSON feeds
are checked against what the JSON Feed 1.1 specification requires.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from built_sites import build_copy
from kiln.check import site_urls

BASE = "https://blog.example.com"
JSON_FEED = "https://jsonfeed.org/version/1.1"
FEEDS = {"application/rss+xml": "rss.xml", "application/atom+xml": "atom.xml", "application/feed+json": "feed.json"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_copy(tmp_path_factory, "features", {"KILN_POSTS_PER_PAGE": "2"})


def parsed(site, path: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site.out / path).read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def json_feed(site, path: str) -> dict:
    """The JSON feed at ``path``, checked against the fields JSON Feed 1.1 requires."""
    feed = json.loads((site.out / path).read_text(encoding="utf-8"))
    assert feed["version"] == JSON_FEED
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert feed["feed_url"] == f"{BASE}/{path}"
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html", item.get("content_text")), str)
        for key in ("date_published", "date_modified"):
            if key in item:
                assert dt.datetime.fromisoformat(item[key]).tzinfo is not None  # RFC 3339: with an offset
    return feed


@pytest.mark.parametrize(
    ("folder", "titles"),
    [
        ("", ["Spring", "January again", "Winter", "A new year", "Autumn notes"]),
        ("oc-Python/", ["Spring", "January again", "Autumn notes"]),
        ("tag/django/", ["Spring", "Winter", "Autumn notes"]),
    ],
)
def test_every_feed_in_three_formats_lists_the_same_posts(built, folder, titles):
    rss = parsed(built, folder + "rss.xml")
    atom = parsed(built, folder + "atom.xml")
    assert rss.version == "rss20" and atom.version == "atom10"
    assert [entry.title for entry in rss.entries] == titles
    assert [entry.title for entry in atom.entries] == titles
    assert [item["title"] for item in json_feed(built, folder + "feed.json")["items"]] == titles
    assert atom.feed.link == json_feed(built, folder + "feed.json")["home_page_url"] == f"{BASE}/{folder}"


def test_atom_entries_carry_full_content_with_absolute_urls(built):
    spring = parsed(built, "atom.xml").entries[0]
    assert spring.link == f"{BASE}/plog/spring/"
    body = BeautifulSoup(spring.content[0].value, "html.parser")
    assert body.img["src"] == f"{BASE}/images/flower.png"
    assert [a["href"] for a in body.select("a")] == [f"{BASE}/plog/", f"{BASE}/plog/winter/"]
    assert spring.summary == "The newest post, with a flower."
    assert spring.updated_parsed is not None and spring.published_parsed is not None
    assert {tag.term for tag in spring.tags} == {"Python", "django"}


def test_json_feed_items_carry_full_content_with_absolute_urls(built):
    spring = json_feed(built, "feed.json")["items"][0]
    assert spring["url"] == spring["id"] == f"{BASE}/plog/spring/"
    body = BeautifulSoup(spring["content_html"], "html.parser")
    assert body.img["src"] == f"{BASE}/images/flower.png"
    assert spring["summary"] == "The newest post, with a flower."
    assert dt.datetime.fromisoformat(spring["date_published"]) == dt.datetime(2024, 3, 2, 9, tzinfo=dt.UTC)
    assert sorted(spring["tags"]) == ["Python", "django"]


def alternates(site, page: str) -> list[tuple[str, str]]:
    links = site.html(page).select('link[rel="alternate"]')
    return [(link["type"], link["href"]) for link in links if link.get("type") in FEEDS]


def test_pages_announce_the_feeds_they_belong_to(built):
    site_feeds = [(kind, "/" + name) for kind, name in FEEDS.items()]
    assert alternates(built, "index.html") == site_feeds
    assert alternates(built, "plog/spring/index.html") == site_feeds
    assert alternates(built, "tag/django/p2/index.html") == site_feeds + [
        (kind, "/tag/django/" + name) for kind, name in FEEDS.items()
    ]
    assert alternates(built, "oc-Python/index.html") == site_feeds + [
        (kind, "/oc-Python/" + name) for kind, name in FEEDS.items()
    ]
    for _kind, href in alternates(built, "tag/django/index.html"):
        assert (built.out / href.lstrip("/")).is_file()


def test_feeds_of_a_site_without_posts_are_valid(site):
    site.build()
    assert parsed(site, "atom.xml").entries == []
    assert json_feed(site, "feed.json")["items"] == []


def test_the_link_check_reads_the_urls_of_a_json_feed(built, settings):
    settings.KILN = dataclasses.replace(settings.KILN, BASE_URL=BASE)
    assert site_urls(built.out / "tag/django/feed.json") == [
        "/images/flower.png",
        "/plog/",
        "/plog/autumn-notes/",
        "/plog/spring/",
        "/plog/winter/",
        "/tag/django/",
        "/tag/django/feed.json",
    ]
