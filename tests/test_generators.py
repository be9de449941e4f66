"""Content laid out for Hugo, Zola and Jekyll builds unchanged: sections, leaf bundles, drafts, lists."""

from __future__ import annotations

import datetime as dt
import os

from conftest import GOOD_POST
from pictures import TINY_PNG


def slugs(site) -> set[str]:
    return {p.name for p in (site.out / "plog").iterdir() if p.is_dir()}  # plog/index.html is the archive


def categories_of(site, slug: str) -> list[str]:
    return [a.get_text() for a in site.html(f"plog/{slug}/index.html").select("article .categories a")]


def tags_of(site, slug: str) -> list[str]:
    return [a.get_text() for a in site.html(f"plog/{slug}/index.html").select("article .post-tags a")]


def test_section_files_are_not_posts(site):
    site.write("good.md", GOOD_POST)
    # a Hugo section file has no date, a Zola one sorts its section; neither is a post
    site.write("posts/_index.md", '+++\ntitle = "All posts"\nsort_by = "date"\n+++\nThe section.\n')
    site.write("blog/_index.markdown", "---\ntitle: Blog\n---\n")
    site.write("_index.md", "Home page text, no front matter at all.\n")
    site.build()
    assert slugs(site) == {"good"}


def test_leaf_bundles_are_named_by_their_folder(site):
    site.write("posts/my-trip/index.md", "---\ntitle: My trip\ndate: 2021-05-01\n---\nTrip.\n")
    site.write("posts/other-trip/index.markdown", '+++\ntitle = "Other trip"\ndate = 2021-05-02\n+++\nMore.\n')
    site.write("posts/renamed/index.md", "---\ntitle: Renamed\ndate: 2021-05-03\nslug: chosen\n---\nBody.\n")
    site.write("posts/2021-06-07-dated-trip/index.md", "---\ntitle: Dated\n---\nThe folder dates it.\n")
    site.build()
    assert slugs(site) == {"my-trip", "other-trip", "chosen", "dated-trip"}
    assert site.html("plog/my-trip/index.html").select_one("article h1").get_text() == "My trip"
    time = site.html("plog/dated-trip/index.html").select_one("article time")
    assert time["datetime"].startswith("2021-06-07T")


def test_jekyll_drafts_folder(site):
    site.write("good.md", GOOD_POST)
    draft = site.write("_drafts/work-in-progress.md", "---\ntitle: Work in progress\n---\nNot done.\n")
    site.write("_drafts/dated.md", "---\ntitle: Dated draft\ndate: 2019-02-03\ndraft: false\n---\nStill a draft.\n")
    (site.content / "_drafts/sketch.png").write_bytes(TINY_PNG + b" sketch")
    moment = dt.datetime(2021, 6, 15, 12, 30, tzinfo=dt.UTC)
    os.utime(draft, (moment.timestamp(), moment.timestamp()))

    site.build()
    assert slugs(site) == {"good"}  # no date and no `draft: true`, and still not published
    assert not list(site.out.rglob("sketch.png"))

    site.build("--drafts")
    assert slugs(site) == {"good", "work-in-progress", "dated"}
    time = site.html("plog/work-in-progress/index.html").select_one("article time")
    assert dt.datetime.fromisoformat(time["datetime"]) == moment  # the file's mtime
    assert not list(site.out.rglob("sketch.png"))

    # touching the draft moves its date, as a clean build would see it
    later = dt.datetime(2022, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    os.utime(draft, (later.timestamp(), later.timestamp()))
    site.build("--drafts")
    time = site.html("plog/work-in-progress/index.html").select_one("article time")
    assert dt.datetime.fromisoformat(time["datetime"]) == later


def test_jekyll_space_separated_lists(site):
    site.write("jekyll.md", "---\ntitle: Jekyll\ndate: 2020-01-01\ncategories: jekyll update\ntags: ruby\n---\nx\n")
    site.write("pelican.md", '---\ntitle: Pelican\ndate: 2020-01-02\ncategories: "Python, Web development"\n---\nx\n')
    site.write("single.md", "---\ntitle: Single\ndate: 2020-01-03\ncategory: Web development\n---\nx\n")
    site.write("hugo.md", '+++\ntitle = "Hugo"\ndate = 2020-01-04\ntags = "Static sites"\n+++\nx\n')
    site.write("native.md", "Title: Native\nDate: 2020-01-05\nTags: Web development\n\nx\n")
    site.build()
    assert sorted(categories_of(site, "jekyll")) == ["jekyll", "update"]
    assert tags_of(site, "jekyll") == ["ruby"]
    assert sorted(categories_of(site, "pelican")) == ["Python", "Web development"]
    assert categories_of(site, "single") == ["Web development"]
    # only YAML front matter is Jekyll's: TOML and Pelican's own `Key: value` lines keep the name whole
    assert (categories_of(site, "hugo"), tags_of(site, "hugo")) == ([], ["Static sites"])
    assert (categories_of(site, "native"), tags_of(site, "native")) == ([], ["Web development"])


def test_markdown_inside_a_leaf_bundle_is_a_page_resource(site):
    """Hugo: a bundle's other Markdown files (and nested index files) are resources, not posts, and not published."""
    site.write("posts/my-trip/index.md", "---\ntitle: My trip\ndate: 2021-05-01\n---\n![Map](maps/map.png)\n")
    site.write("posts/my-trip/notes.md", "Loose notes, no front matter at all.\n")
    site.write("posts/my-trip/maps/index.md", "---\ntitle: Maps\n---\n")
    (site.content / "posts/my-trip/maps/map.png").write_bytes(TINY_PNG + b" map")
    site.write("posts/other.md", "---\ntitle: Other\ndate: 2021-05-02\n---\nBeside the bundle, a post.\n")
    site.build()
    assert slugs(site) == {"my-trip", "other"}
    assert (site.out / "plog/my-trip/maps/map.png").read_bytes() == TINY_PNG + b" map"
    assert not [p for p in site.out.rglob("*") if p.suffix in (".md", ".markdown")]
