"""Build real sites on disk and read the output, as a user would see it."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import snapshot


@pytest.fixture
def mixed(fixture_site):
    """Content written for Jekyll, Hugo and Pelican, built once."""
    site = fixture_site("mixed")
    site.build()
    return site


def published_slugs(site) -> set[str]:
    return {p.name for p in (site.out / "plog").iterdir() if p.is_dir()}  # not the archive's index.html


def test_content_from_other_generators_builds_unchanged(mixed):
    assert published_slugs(mixed) == {
        "jekyll-import",
        "jekyll-with-time",
        "from-hugo",
        "pelican-comma",
        "native-pelican",
        "windows",
    }


def test_jekyll_date_comes_from_the_file_name(mixed):
    time = mixed.html("plog/jekyll-import/index.html").select_one("article time")
    assert time["datetime"].startswith("2013-05-06T")


def test_jekyll_date_with_offset_is_kept(mixed):
    time = mixed.html("plog/jekyll-with-time/index.html").select_one("article time")
    moment = dt.datetime.fromisoformat(time["datetime"])
    assert moment == dt.datetime(2013, 5, 6, 0, 12, 52, tzinfo=dt.UTC)


def categories_of(site, slug: str) -> list[str]:
    page = site.html(f"plog/{slug}/index.html")
    return [a.get_text() for a in page.select("article .categories a")]


def tags_of(site, slug: str) -> list[str]:
    return [a.get_text() for a in site.html(f"plog/{slug}/index.html").select("article .post-tags a")]


def test_category_forms(mixed):
    assert categories_of(mixed, "jekyll-import") == ["Python"]
    assert sorted(categories_of(mixed, "pelican-comma")) == ["Django", "Python"]
    assert categories_of(mixed, "from-hugo") == ["Django"]
    assert categories_of(mixed, "native-pelican") == ["Python"]
    # tags are their own taxonomy
    assert tags_of(mixed, "from-hugo") == ["Static sites"]
    assert sorted(tags_of(mixed, "native-pelican")) == ["Web development", "pelican"]


def test_bom_and_windows_line_endings(mixed):
    page = mixed.html("plog/windows/index.html")
    assert page.select_one("article h1").get_text() == "Windows <em>and</em> BOM"
    assert page.select_one("article h1 em") is None  # a title is text, not HTML
    assert "\r" not in (mixed.out / "plog/windows/index.html").read_text()
    assert categories_of(mixed, "windows") == ["Café culture"]


def test_drafts_and_future_posts_are_not_published(mixed):
    slugs = published_slugs(mixed)
    assert "a-draft" not in slugs and "the-future" not in slugs
    assert not (mixed.out / "oc-Drafts").exists()
    assert not (mixed.out / "oc-Future").exists()
    home = (mixed.out / "index.html").read_text()
    assert "A draft" not in home and "From the future" not in home


def test_drafts_and_future_on_request(mixed):
    mixed.build("--drafts", "--future")
    assert {"a-draft", "the-future"} <= published_slugs(mixed)
    mixed.build()
    assert "a-draft" not in published_slugs(mixed)


def test_markdown_features(mixed):
    page = mixed.html("plog/from-hugo/index.html")
    body = page.select_one(".post-body")
    assert body.select_one("table th").get_text() == "Generator"
    assert body.select_one(".highlight .k, .highlight .kd, .highlight .nf") is not None  # Pygments spans
    assert "this must not break the build" in body.get_text()
    assert body.select_one(".footnote") is not None
    heading = body.select_one("h2#a-heading-to-link-to")
    assert heading is not None and heading.select_one("a.headerlink")["href"] == "#a-heading-to-link-to"
    toc = page.select_one(".toc")
    assert toc is not None and toc.select_one('a[href="#a-heading-to-link-to"]') is not None


def test_escaping_of_summaries(mixed):
    home = mixed.html("index.html")
    summary = next(li for li in home.select(".post-list li") if "Pelican commas" in li.get_text())
    assert "<script>alert(1)</script>" in summary.select_one(".summary").get_text()
    assert home.select("script") == [s for s in home.select("script") if "alert" not in s.get_text()]


def test_category_pages_and_links_use_one_url_form(mixed):
    page = mixed.html("plog/windows/index.html")
    link = page.select_one("article .categories a")["href"]
    assert link == "/oc-Caf%C3%A9-culture/"
    banner = mixed.html("oc-Café-culture/index.html").select_one(".filter-banner")
    assert "Currently only showing blog entries under the category: Café culture" in " ".join(banner.get_text().split())
    assert banner.select_one("a")["href"] == "/"
    web = mixed.html("oc-Web-development/index.html")
    titles = [a.get_text() for a in web.select(".post-list h2 a")]
    assert titles == ["Jekyll with a time and an offset"]
    # Pelican's `Tags: Web development` is a tag of that name, with a page of its own, not the category
    tagged = mixed.html("tag/Web-development/index.html")
    assert "Native Pelican metadata" in [a.get_text() for a in tagged.select(".post-list h2 a")]
    for anchor in mixed.html("index.html").select("a[href^='/oc-']"):
        assert (mixed.out / anchor["href"].lstrip("/").replace("%C3%A9", "é") / "index.html").is_file()


def test_post_page_has_previous_and_next(mixed):
    page = mixed.html("plog/pelican-comma/index.html")
    assert page.select_one(".post-nav a.newer")["href"] == "/plog/from-hugo/"
    assert page.select_one(".post-nav a.older")["href"] == "/plog/native-pelican/"


def test_pagination(site):
    for n in range(25):
        front = f"---\ntitle: Post {n}\ndate: 2020-01-{n + 1:02}\ncategories: [Odd{n % 2}]\n---\n"
        site.write(f"post-{n:02}.md", front + f"Body {n}.\n")
    site.build(env={"KILN_POSTS_PER_PAGE": "10"})
    assert sorted(p.name for p in site.out.iterdir() if p.name.startswith("p") and p.name != "plog") == ["p2", "p3"]
    first = [a.get_text() for a in site.html("index.html").select(".post-list h2 a")]
    assert first == [f"Post {n}" for n in range(24, 14, -1)]
    last = [a.get_text() for a in site.html("p3/index.html").select(".post-list h2 a")]
    assert last == [f"Post {n}" for n in range(4, -1, -1)]
    assert site.html("p2/index.html").select_one("a[rel=prev]")["href"] == "/"
    assert site.html("p2/index.html").select_one("a[rel=next]")["href"] == "/p3/"
    # each category has its own pagination: 13 posts in Odd0 -> two pages
    assert (site.out / "oc-Odd0/p2/index.html").is_file()
    assert not (site.out / "oc-Odd0/p3").exists()
    assert site.html("oc-Odd0/p2/index.html").select_one("a[rel=prev]")["href"] == "/oc-Odd0/"


def test_404_page(mixed):
    page = mixed.html("404.html")
    assert page.select_one("h1").get_text() == "Page not found"


def test_summary_line(mixed):
    result = mixed.build()
    assert "Built" in result.stderr + result.stdout
    assert "pages" in result.stderr + result.stdout


def test_unchanged_build_keeps_files_and_mtimes(mixed):
    before = {p: p.stat().st_mtime_ns for p in mixed.out.rglob("*") if p.is_file()}
    mixed.build()
    after = {p: p.stat().st_mtime_ns for p in mixed.out.rglob("*") if p.is_file()}
    assert before == after


def test_incremental_build_equals_clean_build(mixed, tmp_path):
    mixed.write(
        "pelican-comma.md",
        "---\ntitle: Pelican commas, renamed\ndate: 2019-07-01\ncategories: Python\n---\nNew body.\n",
    )
    os.remove(mixed.content / "pelican-native.md")
    mixed.write("brand-new.md", "---\ntitle: Brand new\ndate: 2022-02-02\ncategories: [Django]\n---\nHello.\n")
    result = mixed.build()
    assert "native-pelican" not in published_slugs(mixed)
    incremental = snapshot(mixed.out)

    clean = type(mixed)(tmp_path / "clean")
    clean.root.mkdir()
    os.symlink(mixed.content, clean.content)
    clean.build()
    assert incremental == snapshot(clean.out)
    assert "reused" in result.stderr


def test_deterministic_output(mixed, tmp_path):
    first = snapshot(mixed.out)
    mixed.build("--clean")
    assert snapshot(mixed.out) == first


def test_check_writes_nothing(fixture_site):
    site = fixture_site("mixed")
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert not site.out.exists()


def test_unchanged_build_repairs_a_tampered_out(mixed):
    """Nothing changed in the content, but out/ did: the build puts it right."""
    expected = snapshot(mixed.out)
    (mixed.out / "plog/windows/index.html").unlink()
    mixed.build()
    assert snapshot(mixed.out) == expected


def test_template_change_rerenders_but_keeps_unchanged_bytes(mixed):
    """A new salt (here: a setting every page depends on) renders every page again,
    and a page whose bytes did not change keeps its file and mtime."""
    before = {p: p.stat().st_mtime_ns for p in mixed.out.rglob("*.html")}
    result = mixed.build(env={"KILN_SITE_TITLE": "Kiln"})  # same value as the default: same salt
    assert "0 rendered" in result.stderr
    result = mixed.build(env={"KILN_SITE_DESCRIPTION": "Changed."})
    assert " 0 rendered" not in result.stderr
    after = {p: p.stat().st_mtime_ns for p in mixed.out.rglob("*.html")}
    assert before.keys() == after.keys()
    changed = {p for p in before if before[p] != after[p]}
    assert changed, "the description is on every page"
    alias_pages = {p for p in after if "Changed." not in p.read_text()}
    assert alias_pages and not (alias_pages & changed), "pages without the description kept their mtime"
