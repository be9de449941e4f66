"""Tags: their own taxonomy beside categories, with listing pages, feeds and a list with counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from built_sites import build_copy

ENV = {"KILN_POSTS_PER_PAGE": "2"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_copy(tmp_path_factory, "features", ENV)


def titles(page) -> list[str]:
    return [a.get_text() for a in page.select(".post-list h2 a")]


def test_a_tag_and_a_category_of_one_name_are_two_pages(built):
    category = built.html("oc-Python/index.html")
    tag = built.html("tag/Python/index.html")
    assert titles(category) == ["Spring", "January again"]
    assert titles(tag) == ["Winter"]
    assert tag.select_one(".filter-name").get_text() == "Python"


def test_tags_are_not_categories(built):
    winter = built.html("plog/winter/index.html")
    assert [a.get_text() for a in winter.select("article .categories a")] == ["Web development"]
    tags = {a.get_text(): a["href"] for a in winter.select("article .post-tags a")}
    assert tags == {"django": "/tag/django/", "Python": "/tag/Python/"}
    assert not (built.out / "oc-django").exists()
    home_categories = [a.get_text() for a in built.html("index.html").select(".category-list a")]
    assert home_categories == ["Python", "Web development"]


def test_tag_pages_are_paginated_newest_first(built):
    first = built.html("tag/django/index.html")
    second = built.html("tag/django/p2/index.html")
    assert titles(first) == ["Spring", "Winter"]
    assert titles(second) == ["Autumn notes"]
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/tag/django/p2/"
    assert second.select_one('.pagination a[rel="prev"]')["href"] == "/tag/django/"
    assert second.select_one('link[rel="canonical"]')["href"] == "https://blog.example.com/tag/django/p2/"


def test_tag_list_has_one_link_and_count_per_tag(built):
    items = built.html("tag/index.html").select(".tag-list li")
    found = {li.a.get_text(): (li.a["href"], li.select_one(".count").get_text()) for li in items}
    assert found == {
        "Café": ("/tag/Caf%C3%A9/", "1"),
        "Deploy": ("/tag/Deploy/", "1"),
        "django": ("/tag/django/", "3"),
        "Python": ("/tag/Python/", "1"),
    }
    assert (built.out / "tag/Café/index.html").exists()


def test_each_tag_has_a_feed_announced_on_its_page(built):
    page = built.html("tag/django/index.html")
    hrefs = [link["href"] for link in page.select('link[rel="alternate"][type="application/rss+xml"]')]
    assert "/tag/django/rss.xml" in hrefs
    channel = ET.parse(built.out / "tag/django/rss.xml").getroot().find("channel")
    assert [item.findtext("title") for item in channel.iter("item")] == ["Spring", "Winter", "Autumn notes"]


def test_keywords_still_drive_related_posts(built):
    related = [a.get_text() for a in built.html("plog/spring/index.html").select(".related-list a")]
    # Autumn notes shares the keyword `static` and a category, Winter the keyword and a tag,
    # January again only a category: a shared tag weighs nothing
    assert related == ["Autumn notes", "Winter", "January again"]


def test_the_same_tag_spelled_two_ways_is_one_tag(site):
    site.write("a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [Django]\n---\nA.\n")
    site.write("b.md", "---\ntitle: B\ndate: 2024-01-02\ntags: [django]\n---\nB.\n")
    site.write("c.md", "---\ntitle: C\ndate: 2024-01-03\ntags: [django]\n---\nC.\n")
    site.build()
    items = site.html("tag/index.html").select(".tag-list li")
    assert [(li.a.get_text(), li.a["href"], li.select_one(".count").get_text()) for li in items] == [
        ("django", "/tag/django/", "3")
    ]


def test_tags_that_would_share_a_page_fail_naming_both_files(site):
    site.write("a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [C]\n---\nA.\n")
    site.write("b.md", "---\ntitle: B\ndate: 2024-01-02\ntags: ['C#']\n---\nB.\n")
    result = site.run("build")
    assert result.returncode == 1
    assert "content/b.md:4: tags 'C#' (content/b.md) and 'C' (content/a.md) would share /tag/C/" in result.stderr


def test_tag_pages_are_in_the_sitemap(built):
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ET.parse(built.out / "sitemap.xml").getroot().iter(f"{namespace}loc")]
    base = "https://blog.example.com"
    assert {f"{base}/tag/", f"{base}/tag/django/", f"{base}/tag/django/p2/", f"{base}/tag/Python/"} <= set(locs)
