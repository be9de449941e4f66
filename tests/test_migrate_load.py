"""Real blogs load as their generators load them (issue 10): dateless posts, dates with their own offset and
text after them, front matter after blank lines, repository files that are not posts, links to the rest of the
domain, and a report that stays readable when a big site is broken.

The fixture sites under tests/sites/migrate-*-load/ are our own, each a small case of what stopped a real
Jekyll, Zola or Hugo blog.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from built_sites import build_copy
from conftest import SITES, Site, report_lines
from core.errors import SHOWN_PER_KIND, ContentError, Problem

pytestmark = pytest.mark.xdist_group(__name__)


def shown_time(site: Site, slug: str) -> tuple[str, str]:
    """The (datetime attribute, text) of a post page's date."""
    time = site.html(f"plog/{slug}/index.html").select_one("article time")
    return time["datetime"], time.get_text(strip=True)


def post_slugs(site: Site) -> set[str]:
    return {p.name for p in (site.out / "plog").iterdir() if p.is_dir()}


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("jekyll"))
    shutil.copytree(SITES / "migrate-jekyll-load", site.content)
    result = site.build(env={"KILN_LINKS_ELSEWHERE": "/docs/", "KILN_TIME_ZONE": "UTC"})
    return site, result


def test_a_date_with_text_after_it_is_read_as_jekyll_reads_it(jekyll):
    site, result = jekyll
    assert shown_time(site, "pacific-release") == ("2023-01-29T18:30:22-08:00", "29 January 2023")
    assert (
        "content/_posts/2023-01-29-pacific-release.markdown:3: date '2023-01-29 18:30:22 2023 -0800': "
        "`2023` is not part of a date and is ignored"
    ) in result.stderr


def test_dates_show_the_day_of_their_own_offset(jekyll):
    site, _ = jekyll
    # 23:45 in New York is 04:45 the next day in UTC, the site's zone: the post still says the 3rd
    assert shown_time(site, "east-coast-night") == ("2023-02-03T23:45:00-05:00", "3 February 2023")
    archive = site.html("plog/index.html")
    days = {a.get_text(strip=True): a.find_previous("time").get_text(strip=True) for a in archive.select("main li a")}
    assert days["Released in the evening, Pacific time"] == "29 January"
    months = [h.contents[0].strip() for h in archive.select(".archive-month h3")]
    assert months == ["March 2023", "February 2023", "January 2023"]


def test_front_matter_after_blank_lines_is_read_with_a_warning(jekyll):
    site, result = jekyll
    assert site.html("plog/blank-lines-first/index.html").select_one("article h1").get_text() == (
        "Front matter after blank lines"
    )
    assert "content/_posts/2023-03-01-blank-lines-first.md:3: 2 blank line(s) before the front matter" in result.stderr


def test_readmes_are_neither_posts_nor_published(jekyll):
    site, _ = jekyll
    assert post_slugs(site) == {"pacific-release", "east-coast-night", "blank-lines-first"}
    assert (site.out / "images/diagram.png").is_file()
    assert not list(site.out.rglob("README*"))


def test_posts_named_like_a_repository_file_are_still_posts(tmp_path):
    # the defaults leave out README.md and CHANGELOG, not every name that starts with their letters,
    # and not one that opens with front matter (Jekyll's docs have _docs/contributing.md, a page)
    site = Site(tmp_path)
    post = "---\ntitle: {}\ndate: 2024-01-02\n---\nText.\n"
    site.write("changelog-of-the-week.md", post.format("Changelog of the week"))
    site.write("readme-driven-design.md", post.format("Readme-driven design"))
    site.write("guide/CONTRIBUTING.md", "\n" + post.format("How to contribute"))
    site.write("README.md", "# A repository's readme\n\nNo front matter: not a post.\n")
    site.write("notes/CHANGELOG.md", "## 1.0\n\n- First.\n")
    site.build()
    assert post_slugs(site) == {"changelog-of-the-week", "readme-driven-design", "CONTRIBUTING"}
    assert not (site.out / "README.md").exists() and not (site.out / "notes").exists()


def test_a_jekyll_page_is_published_at_its_permalink(jekyll):
    site, _ = jekyll
    about = site.html("about/index.html")
    assert about.select_one("article.page h1").get_text() == "About the project"
    assert "About the project" not in {a.get_text(strip=True) for a in site.html("plog/index.html").select("main li a")}


def test_links_to_the_rest_of_the_domain_are_skipped_and_counted(jekyll):
    site, result = jekyll
    links = [a["href"] for a in site.html("plog/east-coast-night/index.html").select("article a[href^='/docs/']")]
    assert links == ["/docs/installation/", "/docs/api/#posts"]
    # the post's page, and the feeds that carry its body
    said = re.search(r"skipped (\d+) links to 2 paths served elsewhere on the domain \(KILN_LINKS_ELSEWHERE: /docs/\)",
                     result.stdout + result.stderr)  # fmt: skip
    assert said is not None and int(said.group(1)) >= 2


def test_without_the_setting_those_links_are_broken(tmp_path):
    site = Site(tmp_path)
    shutil.copytree(SITES / "migrate-jekyll-load", site.content)
    result = site.run("build")
    assert result.returncode == 1
    assert "content/_posts/2023-02-03-east-coast-night.md:6: broken link to /docs/installation/" in result.stderr


def test_an_ignore_pattern_leaves_a_post_out(tmp_path):
    site = Site(tmp_path)
    shutil.copytree(SITES / "migrate-jekyll-load", site.content)
    # the setting replaces the defaults: README.md is read again, and has no front matter
    result = site.run("build", env={"KILN_IGNORE": "_posts/2023-02-*", "KILN_LINKS_ELSEWHERE": ""})
    assert result.returncode == 1
    assert "content/README.md:1: no front matter found" in result.stderr
    assert "east-coast-night" not in result.stderr  # its broken links are not looked at: it is not read
    site.build(env={"KILN_IGNORE": "_posts/2023-02-*, readme.md"})
    assert post_slugs(site) == {"pacific-release", "blank-lines-first"}


def git(folder, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder)}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args], cwd=folder, env=env,
                   check=True, capture_output=True)  # fmt: skip


@pytest.fixture(scope="module")
def zola(tmp_path_factory):
    """The Zola site in a git repository: one post added on 2019-03-04, later renamed; one never committed."""
    site = Site(tmp_path_factory.mktemp("zola"))
    shutil.copytree(SITES / "migrate-zola-load", site.content)
    git(site.content, "init", "-q", ".")
    (site.content / "posts/committed.md").rename(site.content / "posts/first-name.md")
    git(site.content, "add", "posts/first-name.md")
    git(site.content, "commit", "-qm", "first", date="2019-03-04T10:00:00+01:00")
    git(site.content, "mv", "posts/first-name.md", "posts/committed.md")
    git(site.content, "add", "-A")
    git(site.content, "commit", "-qm", "rename", date="2020-05-06T10:00:00+01:00")
    loose = site.write("posts/loose.md", '+++\ntitle = "Never committed"\n+++\nDated by its mtime.\n')
    moment = dt.datetime(2022, 8, 9, 12, 0, tzinfo=dt.UTC).timestamp()
    os.utime(loose, (moment, moment))
    result = site.build(env={"KILN_TIME_ZONE": "UTC"})
    return site, result


def test_a_dateless_post_is_dated_by_zolas_path(zola):
    site, result = zola
    assert shown_time(site, "one-point-oh")[1] == "12 December 2014"
    assert "content/posts/one-point-oh.md:3: no date in the front matter: dated 2014-12-12 from its `path`" in (
        result.stderr
    )


def test_a_dateless_post_is_dated_by_the_commit_that_added_it(zola):
    site, result = zola
    # the commit that added the file under its first name, not the rename
    assert shown_time(site, "committed") == ("2019-03-04T10:00:00+01:00", "4 March 2019")
    assert "dated 2019-03-04 from the commit that added the file to git" in result.stderr


def test_a_dateless_file_outside_git_is_dated_by_its_mtime(zola):
    site, result = zola
    assert shown_time(site, "loose") == ("2022-08-09T12:00:00+00:00", "9 August 2022")
    assert (
        "content/posts/loose.md:1: no date in the front matter and the file is not in git: dated 2022-08-09 "
        "from its modification time, which changes with each checkout"
    ) in result.stderr


def test_a_toml_datetime_shows_its_own_day(zola):
    site, _ = zola
    assert shown_time(site, "offset") == ("2021-06-30T22:15:00-07:00", "30 June 2021")


def test_strict_refuses_the_guessed_dates(zola):
    site, _ = zola
    result = site.run("build", "--strict")
    assert result.returncode == 1
    assert "aborted with 3 warnings in strict mode" in result.stderr


def test_hugo_dates_show_the_day_they_were_written_on(tmp_path_factory):
    site = build_copy(tmp_path_factory, "migrate-hugo-load", env={"KILN_TIME_ZONE": "UTC"})
    assert shown_time(site, "late-evening") == ("2023-01-29T18:30:22-08:00", "29 January 2023")
    assert shown_time(site, "paris-morning") == ("2023-01-30T00:30:00+01:00", "30 January 2023")
    assert post_slugs(site) == {"late-evening", "paris-morning"}  # README.md is not a post


def test_many_problems_of_one_kind_are_listed_ten_times_then_counted(tmp_path):
    site = Site(tmp_path)
    for number in range(1, 26):
        site.write(f"bad-{number:02}.md", f"---\ntitle: Bad {number}\ndate: 2023-02-{30 + number % 2}\n---\nBody.\n")
    site.write("untitled.md", "---\ndate: 2023-01-01\n---\nBody.\n")
    result = site.run("build")
    assert result.returncode == 1
    lines = report_lines(result.stderr)
    assert lines[0] == "error: 26 problems in the content:"
    listed = [line for line in lines if ": invalid date '2023-02-3" in line]
    assert len(listed) == SHOWN_PER_KIND
    assert "  ... and 15 more: invalid date …: day is out of range for month" in lines
    tally = lines[lines.index("problems by kind:") + 1 :]
    assert [line.split(None, 1) for line in tally[:2]] == [
        ["25", "invalid date …: day is out of range for month"],
        ["1", "missing title"],
    ]


def test_a_long_message_is_cut():
    others = ", ".join(f"content/twin-{n}.md" for n in range(656))
    error = ContentError([Problem("content/a.md", 3, f"slug 'a' is also used by {others}")])
    line = str(error).splitlines()[1]
    assert len(line) < 500
    assert line.endswith("more characters)")
    assert line.startswith("  content/a.md:3: slug 'a' is also used by content/twin-0.md")


def test_problems_of_different_files_are_one_kind():
    kinds = {
        Problem(f"content/{name}.md", line, f"invalid date '{date}': day is out of range for month; write it").kind
        for name, line, date in (("a", 2, "2023-02-30"), ("b", 7, "1999-04-31"))
    }
    assert kinds == {"invalid date …: day is out of range for month"}


@pytest.fixture(scope="module")
def pelican(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-pelican-load", env={"KILN_TIME_ZONE": "UTC"})


def test_a_rst_post_is_read_as_pelican_reads_it(pelican):
    site = pelican
    page = site.html("plog/written-in-rst/index.html")
    assert page.select_one("article h1").get_text() == "Written in reStructuredText"
    assert shown_time(site, "written-in-rst")[1] == "2 January 2020"
    assert sorted(a.get_text() for a in page.select("article .post-tags a")) == ["pelican", "rust"]
    assert [a.get_text() for a in page.select("article .categories a")] == ["News"]
    body = page.select_one(".post-body")
    assert body.select_one("em").get_text() == "world"
    assert body.select_one("a[href='https://example.com/']").get_text() == "link"
    # the blank lines of the code block are kept, and no paragraph is made inside it
    code = body.select_one("pre").get_text()
    assert code == "first = 1\n\n\nsecond = 2", repr(code)
    assert not body.select("pre p")
    assert body.select("p")[-1].get_text() == "A closing paragraph."
    assert page.select_one("meta[name='description']")["content"] == "A post Pelican reads with docutils."


def test_pelican_pages_are_pages_not_posts(pelican):
    site = pelican
    # a post without a slug is named by its title, as Pelican names it
    assert post_slugs(site) == {"written-in-rst", "a-markdown-post"}
    about = site.html("pages/about/index.html")
    assert about.select_one("article.page h1").get_text() == "About this blog"
    assert about.select_one(".post-body p").get_text() == "Who writes here, and why."
    contact = site.html("pages/contact/index.html")
    assert contact.select_one("article.page h1").get_text() == "Contact"
    assert contact.select_one(".post-body em").get_text() == "us"
    listed = {a.get_text(strip=True) for a in site.html("plog/index.html").select("main li a")}
    assert listed == {"Written in reStructuredText", "A Markdown post"}
    home = {a.get_text(strip=True) for a in site.html("index.html").select(".post-summary h2 a")}
    assert "About this blog" not in home and "A Markdown post" in home
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "https://blog.example.com/pages/about/" in sitemap


@pytest.fixture(scope="module")
def eleventy(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-eleventy-load", env={"KILN_PAGES": "docs/*"})


def test_eleventy_pages_by_layout_and_by_setting(eleventy):
    site = eleventy
    assert post_slugs(site) == {"first-post"}
    assert site.html("about/index.html").select_one("article.page h1").get_text() == "About"
    assert site.html("docs/guide/index.html").select_one("article.page h1").get_text() == "The guide"
    # an Eleventy site (index.njk) has no leaf bundles: docs/index.md does not make docs/guide.md its resource
    assert site.html("docs/index.html").select_one("article.page h1").get_text() == "The documentation"
    # the post's links to both pages resolve: the link check passed, and the files exist
    links = [a["href"] for a in site.html("plog/first-post/index.html").select(".post-body a")]
    assert links == ["/docs/guide/", "/about/"]


def test_a_top_level_404_file_is_a_page_not_a_post(tmp_path):
    # Eleventy's 404.md with `permalink: /404.html` is the site's page, not a post with an alias onto /404.html
    site = Site(tmp_path)
    site.write("404.md", "---\ntitle: Document not found\npermalink: /404.html\n---\n# 404: document not found\n")
    site.write("blog/hello.md", "---\ntitle: Hello\ndate: 2024-01-02\n---\nText.\n")
    site.build()
    assert post_slugs(site) == {"hello"}
    page = site.html("404/index.html")
    assert page.select_one("article.page h1").get_text() == "Document not found"
    assert site.html("404.html").find("meta", attrs={"http-equiv": "refresh"}) is None


def test_a_jekyll_site_publishes_its_other_markdown_files_as_pages(tmp_path):
    site = Site(tmp_path)
    site.write("_config.yml", "title: A Jekyll site\n")
    site.write("_posts/2020-01-01-hello.md", "---\ntitle: Hello\n---\nSee [the docs]({% link _docs/install.md %}).\n")
    site.write("_docs/install.md", "---\ntitle: Install\n---\nInstall it.\n")
    site.write("_docs/index.md", "---\ntitle: The docs\n---\nStart here.\n")  # not a Hugo bundle: Jekyll has none
    site.write("about.md", "---\ntitle: About\npermalink: /about.html\n---\nAbout.\n")
    site.write("twin.md", "---\ntitle: Twin\npermalink: /about/\n---\nTwin.\n")
    result = site.run("build")
    assert result.returncode == 1
    assert "content/about.md: the page URL /about/ is also the URL of content/twin.md" in result.stderr
    (site.content / "twin.md").unlink()
    site.build()
    assert post_slugs(site) == {"hello"}
    assert site.html("docs/install/index.html").select_one("article.page h1").get_text() == "Install"
    assert site.html("docs/index.html").select_one("article.page h1").get_text() == "The docs"
    assert site.html("about/index.html").select_one("article.page h1").get_text() == "About"


def test_a_section_file_is_the_sections_list_page_with_its_body(tmp_path):
    site = Site(tmp_path)
    site.write("posts/a-post.md", '+++\ntitle = "A post"\ndate = 2021-01-01\n+++\nIn the section.\n')
    site.write("posts/_index.md", '+++\ntitle = "All our posts"\nsort_by = "date"\n+++\nWhat this section holds.\n')
    site.write("notes/_index.md", '+++\nsort_by = "date"\nrender = false\n+++\n')  # Zola: no page for it
    site.write("_index.md", "The home page's text: the home page is Kiln's.\n")
    site.build()
    section = site.html("posts/index.html")
    assert section.select_one(".section-header h1").get_text() == "All our posts"
    assert section.select_one(".section-header .post-body p").get_text() == "What this section holds."
    assert [a["href"] for a in section.select(".post-list h2 a")] == ["/plog/posts/a-post/"]
    assert not (site.out / "notes").exists()
    # a post of a section (a folder with an _index.md) keeps its folder in its URL (issue 10, point 4)
    assert (site.out / "plog/posts/a-post/index.html").is_file() and post_slugs(site) == {"posts"}
