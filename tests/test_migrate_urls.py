"""Issue 10, URL points: migrated posts stay at the URLs their generator gave them, or redirect from them.

Each fixture site under tests/sites/migrate-<generator>-urls/ reproduces what
real Zola, Hugo, Jekyll and Pelican blogs hold: relative aliases, slugs Kiln
could not use, one slug in two sections, URLs from front matter, relative
links and images; a second build of some with ``KILN_PERMALINK`` set shows
the setting moving every post, own URLs kept.
"""

from __future__ import annotations

import pytest

from built_sites import build_copy
from conftest import Site, fails_cleanly, out_state

pytestmark = pytest.mark.xdist_group(__name__)

BASE = "https://blog.example.com"
HUGO_PROJECT = {"hugo.toml": 'baseURL = "https://blog.example.com/"\ntitle = "A Hugo blog"\n'}


@pytest.fixture(scope="module")
def zola(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-zola-urls")


@pytest.fixture(scope="module")
def hugo(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-hugo-urls", beside=HUGO_PROJECT)


@pytest.fixture(scope="module")
def hugo_sections(tmp_path_factory):
    return build_copy(
        tmp_path_factory, "migrate-hugo-urls", env={"KILN_PERMALINK": "/{section}/{slug}/"}, beside=HUGO_PROJECT
    )


@pytest.fixture(scope="module")
def jekyll_dated(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-jekyll-urls", env={"KILN_PERMALINK": "/blog/{year}/{month}/{slug}/"})


@pytest.fixture(scope="module")
def pelican(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-pelican-urls")


def post_title(site, url: str) -> str:
    return site.html(url.strip("/") + "/index.html").select_one("article h1").get_text(strip=True)


def redirect_target(site, file: str) -> str:
    """Where the alias page ``file`` sends its reader (its meta refresh), checked against its canonical link."""
    page = site.html(file)
    target = page.find("meta", attrs={"http-equiv": "refresh"})["content"].removeprefix("0; url=")
    assert page.find("link", rel="canonical")["href"] == BASE + target
    return target


def redirects(site) -> list[str]:
    return (site.out / "_redirects").read_text().splitlines()


def article_links(site, url: str) -> list[str]:
    return [a["href"] for a in site.html(url.strip("/") + "/index.html").select("article a")]


def test_zola_posts_in_two_sections_share_a_slug_and_keep_their_section(zola):
    assert post_title(zola, "/plog/all-hands/") == "All hands, the public post"
    assert post_title(zola, "/plog/inside-rust/all-hands/") == "All hands, the team notes"


def test_zola_relative_aliases_are_relative_to_the_site_root(zola):
    assert redirect_target(zola, "2019/02/01/all-hands.html") == "/plog/all-hands/"
    assert redirect_target(zola, "inside-rust/2019/02/04/all-hands.html") == "/plog/inside-rust/all-hands/"
    assert not (zola.out / "inside-rust/inside-rust").exists()


def test_a_file_name_kiln_could_not_use_is_slugified(zola):
    assert post_title(zola, "/plog/road-1.0-0/") == "The road to 1.0, part one"


def test_zola_path_outside_the_posts_folder_redirects_to_the_post(zola):
    assert post_title(zola, "/plog/timeline/") == "Scheduling the trains"
    assert redirect_target(zola, "2014/12/12/1.0-Timeline/index.html") == "/plog/timeline/"
    assert "/2014/12/12/1.0-Timeline/ /plog/timeline/ 301!" in redirects(zola)


def test_relative_and_zola_internal_links_to_a_post_file_are_that_posts_url(zola):
    assert article_links(zola, "/plog/inside-rust/all-hands/") == ["/plog/all-hands/", "/plog/road-1.0-0/"]


def test_hugo_relative_aliases_are_relative_to_the_section(hugo):
    assert redirect_target(hugo, "posts/2018-03-15/index.html") == "/plog/trip/"
    assert redirect_target(hugo, "old/trip/index.html") == "/plog/trip/"


def test_hugo_top_level_folders_are_sections_but_the_main_one(hugo, hugo_sections):
    # posts/ holds the most posts: Hugo's main section, the blog itself; features/ has no _index.md
    assert post_title(hugo, "/plog/trip/") == "A trip"
    assert post_title(hugo, "/plog/features/trip/") == "The trip, as a feature"
    assert post_title(hugo_sections, "/features/trip/") == "The trip, as a feature"


def test_without_hugos_configuration_folders_are_not_sections(tmp_path_factory):
    # the same files as a Kiln site of its own: features/ is a folder like a year's, not a section
    site = build_copy(tmp_path_factory, "migrate-hugo-urls", env={"KILN_IGNORE": "posts/trip.md"})
    assert post_title(site, "/plog/trip/") == "The trip, as a feature"
    assert not (site.out / "plog/features").exists()


def test_hugo_url_under_the_posts_folder_is_the_posts_url(hugo):
    assert post_title(hugo, "/plog/kept-here/") == "Kept where it was"
    assert not (hugo.out / "plog/kept").exists()


def test_hugo_url_elsewhere_redirects(hugo):
    assert redirect_target(hugo, "2017/05/moved-post/index.html") == "/plog/moved/"


def test_slugs_with_unsafe_characters_are_slugified(hugo):
    assert post_title(hugo, "/plog/notes-on-c/") == "Notes on C++"
    assert post_title(hugo, "/plog/custom-slug-too/") == "A custom slug"


def test_relative_images_and_links_resolve_from_the_source_file(hugo):
    page = hugo.html("plog/trip/index.html").select_one("article")
    assert page.find("img", alt="The map")["src"] == "/images/map.png"
    assert (hugo.out / "images/map.png").is_file()
    assert page.find("a", string="the notes")["href"] == "/plog/notes-on-c/#setup"
    # a link by file name goes to the post's real URL, from its own `slug:`
    assert page.find("a", string="the custom one")["href"] == "/plog/custom-slug-too/"


def test_permalink_with_section_gives_hugos_urls(hugo_sections):
    site = hugo_sections
    assert post_title(site, "/posts/trip/") == "A trip"
    assert post_title(site, "/posts/notes-on-c/") == "Notes on C++"
    assert site.html("posts/trip/index.html").find("a", string="the notes")["href"] == "/posts/notes-on-c/#setup"
    # own URLs are kept exactly: the pattern's prefix is the root
    assert post_title(site, "/2017/05/moved-post/") == "Moved by its URL"
    assert post_title(site, "/plog/kept-here/") == "Kept where it was"
    assert redirect_target(site, "posts/2018-03-15/index.html") == "/posts/trip/"
    assert not (site.out / "plog/trip").exists()
    # the archive keeps /plog/, and lists the posts at their URLs
    archive = {a["href"] for a in site.html("plog/index.html").select("main a")}
    assert {"/posts/trip/", "/2017/05/moved-post/", "/plog/kept-here/"} <= archive


def test_permalink_with_dates_and_jekylls_own_permalink(jekyll_dated):
    site = jekyll_dated
    assert post_title(site, "/blog/2020/01/hello/") == "Hello"
    assert post_title(site, "/blog/2020/02/second/") == "Second"
    assert site.html("blog/2020/02/second/index.html").find("a", string="the first one")["href"] == (
        "/blog/2020/01/hello/"
    )
    assert redirect_target(site, "old/second.html") == "/blog/2020/02/second/"
    assert not (site.out / "plog/hello").exists()
    # post_url names the file; the post is at the URL its own permalink gives it
    assert site.html("blog/2020/02/second/index.html").find("a", string="the third")["href"] == (
        "/blog/2020/03/the-third-one/"
    )


def test_sitemap_and_feeds_follow_the_permalink(jekyll_dated):
    sitemap = (jekyll_dated.out / "sitemap.xml").read_text()
    feed = (jekyll_dated.out / "atom.xml").read_text()
    for url in (f"{BASE}/blog/2020/01/hello/", f"{BASE}/blog/2020/02/second/"):
        assert f"<loc>{url}</loc>" in sitemap
        assert url in feed
    assert "/plog/hello/" not in sitemap + feed


def test_jekyll_permalink_without_the_setting_redirects(tmp_path_factory):
    site = build_copy(tmp_path_factory, "migrate-jekyll-urls")
    assert post_title(site, "/plog/hello/") == "Hello"
    assert redirect_target(site, "blog/2020/01/hello/index.html") == "/plog/hello/"
    assert redirect_target(site, "old/second.html") == "/plog/second/"


def test_a_link_by_file_name_follows_its_post_when_the_post_moves(tmp_path):
    site = Site(tmp_path)
    site.write("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nSee [b](./b.md) and [c](@/posts/c.md).\n")
    site.write("posts/b.md", "---\ntitle: B\ndate: 2024-01-03\nslug: bee\n---\nB.\n")
    site.write("posts/c.md", "---\ntitle: C\ndate: 2024-01-04\n---\nC.\n")
    site.build()
    assert article_links(site, "/plog/a/") == ["/plog/bee/", "/plog/c/"]
    # a.md is unchanged; b.md takes another slug and c.md one of its own: a's links follow them
    site.write("posts/b.md", "---\ntitle: B\ndate: 2024-01-03\nslug: honey\n---\nB.\n")
    site.write("posts/c.md", "---\ntitle: C\ndate: 2024-01-04\nslug: sea\n---\nC.\n")
    site.build()
    assert article_links(site, "/plog/a/") == ["/plog/honey/", "/plog/sea/"]


def test_pelican_slugs_come_from_titles(pelican):
    assert post_title(pelican, "/plog/this-week-in-rust-1/") == "This Week in Rust 1"
    assert post_title(pelican, "/plog/this-week-in-rust-2/") == "This Week in Rust 2"


def test_what_cannot_be_published_fails_naming_each_file(site):
    site.write("a/_index.md", "+++\ntitle = 'A section'\n+++\n")
    site.write("a/x.md", "+++\ntitle = 'X'\ndate = 2020-01-01\n+++\nx\n")
    site.write("a/2020-01-02-x.md", "+++\ntitle = 'Another X'\n+++\nx\n")
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\n---\nhello\n")
    site.write("taken.md", "---\ntitle: Taken\ndate: 2020-01-01\nurl: /plog/hello/\n---\nhello\n")
    site.write(
        "notes/picture.md", "---\ntitle: Picture\ndate: 2020-01-01\n---\n\ntext\n\n![gone](../pictures/gone.png)\n"
    )
    site.write("up.md", "---\ntitle: Up\ndate: 2020-01-01\n---\n\n[out](../secret.txt)\n")
    site.write("symbols.md", "---\ntitle: Symbols\ndate: 2020-01-01\nslug: '@@@'\n---\nx\n")
    message = fails_cleanly(site, out_state(site))
    assert "content/a/2020-01-02-x.md:1: slug 'a/x' is also used by" in message
    assert "content/a/x.md" in message.split("content/a/2020-01-02-x.md:1:")[1].splitlines()[0]
    assert "content/hello.md:1: slug 'hello' is also used by" in message
    assert "content/taken.md:4: slug 'hello' is also used by content/hello.md" in message
    assert "content/notes/picture.md:8: broken relative link ../pictures/gone.png: no file pictures/gone.png" in message
    assert "content/up.md:6: broken relative link ../secret.txt: it climbs out of the content folder" in message
    assert "content/symbols.md:4: slug '@@@'" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/plog/{title}/", "unknown placeholder {title}"),
        ("plog/{slug}", "must be a path that starts and ends with `/`"),
        ("/plog/{year}/", "must hold {slug} once"),
        ("/plog-{slug}/", "each placeholder must start a path segment"),
    ],
)
def test_a_bad_permalink_setting_is_refused(site, value, expected):
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\n---\nhello\n")
    result = site.run(env={"KILN_PERMALINK": value})
    assert result.returncode == 1
    assert "KILN_PERMALINK" in result.stderr and expected in result.stderr, result.stderr


def test_a_post_whose_permalink_lands_on_another_page_fails_naming_it(site):
    site.write("tag/python.md", "---\ntitle: Python\ndate: 2020-01-01\ntags: [python]\n---\nx\n")
    result = site.run(env={"KILN_PERMALINK": "/{section}/{slug}/"})
    assert result.returncode == 1, result.stdout
    # the tag page, declared first, would hide the post
    message = "content/tag/python.md:1: the post's URL /tag/python/ writes the same file as the page /tag/python/"
    assert message in result.stderr, result.stderr


def test_a_relative_link_to_a_missing_post_is_reported_once(site):
    site.write("a.md", "---\ntitle: A\ndate: 2020-01-01\n---\n\nSee [b](./b.md).\n")
    message = fails_cleanly(site, out_state(site))
    assert "content/a.md:6: broken relative link ./b.md: no post b.md in the content folder" in message
    assert "/plog/b/" not in message  # not said again as a link to a missing post
