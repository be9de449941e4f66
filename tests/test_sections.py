"""Hugo's and Zola's section list pages: a section's posts, paginated, at the section's URL (issue 10)."""

from __future__ import annotations

from conftest import out_state

SECTION = """\
+++
title = "Inside the project"
description = "Status updates from the teams."
+++
Written by the teams.
"""


def post(site, rel: str, title: str, date: str, extra: str = "") -> None:
    site.write(rel, f'+++\ntitle = "{title}"\ndate = {date}\n{extra}+++\nBody of {title}.\n')


def listed(page) -> list[str]:
    return [a["href"] for a in page.select(".post-list h2 a")]


def test_a_zola_section_lists_its_posts_paginated_at_its_folder_url(site):
    site.write("inside/_index.md", SECTION)
    for day in range(1, 6):
        post(
            site, f"inside/update-{day}.md", f"Update {day}", f"2024-01-0{day}", f'path = "inside/2024/0{day}/u{day}"\n'
        )
    post(site, "elsewhere.md", "Elsewhere", "2024-02-01")
    post(site, "inside/deeper/nested.md", "Nested", "2023-12-01")  # no section file below: inside's
    site.build(env={"KILN_PERMALINK": "/{year}/{month}/{day}/{slug}/", "KILN_POSTS_PER_PAGE": "2"})
    first = site.html("inside/index.html")
    assert first.select_one(".section-header h1").get_text() == "Inside the project"
    assert first.select_one(".section-description").get_text() == "Status updates from the teams."
    assert first.select_one(".section-header .post-body").get_text(strip=True) == "Written by the teams."
    assert first.select_one("title").get_text().startswith("Inside the project · ")
    assert listed(first) == ["/inside/2024/05/u5/", "/inside/2024/04/u4/"]
    assert first.select_one("link[rel=canonical]")["href"].endswith("/inside/")
    assert first.select_one('a[rel="next"]')["href"] == "/inside/p2/"
    last = site.html("inside/p3/index.html")
    assert listed(last) == ["/inside/2024/01/u1/", "/2023/12/01/nested/"]
    assert last.select_one('a[rel="prev"]')["href"] == "/inside/p2/"
    assert last.select_one(".section-header .post-body") is None  # the body heads the first page only
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "https://blog.example.com/inside/p2/" in sitemap
    home = listed(site.html("index.html"))
    assert "/2024/02/01/elsewhere/" in home  # the home page still lists every post


def test_a_post_linking_the_section_passes_the_link_check(site):
    site.write("news/_index.md", '+++\ntitle = "News"\n+++\n')
    post(site, "news/one.md", "One", "2024-01-01")
    site.write("about.md", "---\ntitle: About\nlayout: page\n---\nSee [the news](/news/).\n")
    site.build()  # the link check resolves /news/
    assert listed(site.html("news/index.html")) == ["/plog/news/one/"]


def test_hugo_and_eleventy_top_level_folders_are_sections(site):
    """v8.dev (Eleventy) links /features: its features/ folder has no section file, and is a section."""
    site.write("index.njk", "{{ content }}")
    for n in range(3):
        post(site, f"blog/b{n}.md", f"Blog {n}", f"2024-01-0{n + 1}")
    post(site, "features/bigint.md", "BigInt", "2024-03-01")
    site.write("docs/index.md", "---\ntitle: Docs\nlayout: page\n---\nThe docs.\n")  # a page keeps /docs/
    post(site, "docs/build.md", "Build", "2024-04-01")
    post(site, "guide/index.md", "Guide", "2024-04-02")  # a post keeps /guide/
    post(site, "guide/step.md", "Step", "2024-04-03")
    site.build(env={"KILN_PERMALINK": "/{section}/{slug}/"})
    features = site.html("features/index.html")
    assert features.select_one(".section-header h1").get_text() == "features"
    assert listed(features) == ["/features/bigint/"]
    assert len(listed(site.html("blog/index.html"))) == 3
    assert site.html("docs/index.html").select_one("article.page h1").get_text() == "Docs"
    assert site.html("guide/index.html").select_one("article h1").get_text() == "Guide"


def test_no_section_pages_without_a_section_file_outside_hugo_and_eleventy(site):
    post(site, "features/bigint.md", "BigInt", "2024-03-01")
    site.build()
    assert not (site.out / "features/index.html").exists()


def test_section_pages_follow_edits_as_a_clean_build_would(site, tmp_path):
    site.write("inside/_index.md", SECTION)
    post(site, "inside/a.md", "A", "2024-01-01")
    post(site, "b.md", "B", "2024-01-02")
    site.build()
    before = out_state(site)
    site.write("inside/_index.md", SECTION.replace("Inside the project", "Renamed section"))
    post(site, "inside/c.md", "C", "2024-01-03")
    site.build()
    page = site.html("inside/index.html")
    assert page.select_one(".section-header h1").get_text() == "Renamed section"
    assert listed(page) == ["/plog/inside/c/", "/plog/inside/a/"]
    assert out_state(site) != before
    (site.content / "inside/_index.md").unlink()  # no section any more: the page goes, its posts stay
    site.build()
    assert not (site.out / "inside/index.html").exists()
    incremental = {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    clean_out = tmp_path / "clean-out"
    result = site.run("build", "--clean", "--out", str(clean_out), "--cache", str(tmp_path / "clean-cache"))
    assert result.returncode == 0, result.stderr
    clean = {p.relative_to(clean_out).as_posix(): p.read_bytes() for p in clean_out.rglob("*") if p.is_file()}
    assert incremental == clean
