"""The archive at /plog/: every published post by year and month, newest first, with counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from built_sites import build_copy

# in Paris, the post dated 2023-12-31 23:30 UTC was written on New Year's Day
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ENV = {"KILN_POSTS_PER_PAGE": "2", "KILN_TIME_ZONE": "Europe/Paris"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_copy(tmp_path_factory, "features", ENV)


def outline(page) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(year heading, [(month heading, [post titles])]) as the archive shows them."""
    result = []
    for year in page.select("section.archive-year"):
        months = [
            (" ".join(month.h3.get_text().split()), [a.get_text() for a in month.select("li a")])
            for month in year.select("section.archive-month")
        ]
        result.append((" ".join(year.h2.get_text().split()), months))
    return result


def test_posts_by_year_and_month_newest_first_with_counts(built):
    assert outline(built.html("plog/index.html")) == [
        (
            "2024 4",
            [
                ("March 2024 1", ["Spring"]),
                ("January 2024 3", ["January again", "Winter", "A new year"]),
            ],
        ),
        ("2023 1", [("November 2023 1", ["Autumn notes"])]),
    ]


def test_archive_links_every_post_and_is_in_the_sitemap(built):
    page = built.html("plog/index.html")
    links = {a["href"] for a in page.select("section.archive-year li a")}
    assert links == {f"/plog/{slug}/" for slug in ("spring", "january-again", "winter", "a-new-year", "autumn-notes")}
    assert page.select_one('link[rel="canonical"]')["href"] == "https://blog.example.com/plog/"
    locs = [loc.text for loc in ET.parse(built.out / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert "https://blog.example.com/plog/" in locs


def test_drafts_are_not_in_the_archive(site):
    site.write("a.md", "---\ntitle: Public\ndate: 2024-01-01\n---\nA.\n")
    site.write("b.md", "---\ntitle: Hidden\ndate: 2024-01-02\ndraft: true\n---\nB.\n")
    site.build()
    assert outline(site.html("plog/index.html")) == [("2024 1", [("January 2024 1", ["Public"])])]
