"""Issue 10, URL points: migrated posts stay at the URLs their generator gave them, or redirect from them.

Each fixture site under tests/sites/migrate-<generator>-urls/ reproduces what
real Zola, Hugo, Jekyll and Pelican blogs hold: relative aliases, slugs Kiln
could not use, one slug in two sections, URLs from front matter, relative
links and images; a second build of some with ``KILN_PERMALINK`` set shows
the setting moving every post, own URLs kept.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from blog import hugo_config
from built_sites import build_copy
from conftest import SITES, Site, fails_cleanly, out_state

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


UGLY_TABLES = '[uglyURLs]\npost = true\n\n[permalinks]\npost = "/:year/:month/:day/:slug/"\n'


def hugo_project(tmp_path_factory, name: str, config: dict[str, str], env: dict[str, str] | None = None) -> Site:
    """tests/sites/<name>/ as the content folder of a Hugo project whose configuration is ``config``
    (path from the project's root -> text)."""
    site = Site(tmp_path_factory.mktemp(name))
    shutil.copytree(SITES / name, site.content)
    for file, text in config.items():
        (site.root / file).parent.mkdir(parents=True, exist_ok=True)
        (site.root / file).write_text(text, encoding="utf-8")
    site.build(env=env)
    return site


@pytest.fixture(scope="module")
def hugo_ugly(tmp_path_factory):
    # Hugo's tables per section, in config/_default/, and Hugo's pattern given to Kiln too
    return hugo_project(
        tmp_path_factory,
        "migrate-hugo-ugly",
        {"config/_default/hugo.toml": 'baseURL = "https://blog.example.com/"\n' + UGLY_TABLES},
        env={"KILN_PERMALINK": "/{year}/{month}/{day}/{slug}/"},
    )


def test_hugo_ugly_urls_redirect_from_the_html_file_hugo_wrote(hugo_ugly):
    assert post_title(hugo_ugly, "/2025/12/02/shorter-lifetimes/") == "Shorter certificate lifetimes"
    assert redirect_target(hugo_ugly, "2025/12/02/shorter-lifetimes.html") == "/2025/12/02/shorter-lifetimes/"
    assert "/2025/12/02/shorter-lifetimes.html /2025/12/02/shorter-lifetimes/ 301!" in redirects(hugo_ugly)


def test_links_to_a_hugo_ugly_url_pass_the_link_checks(hugo_ugly):
    # the build passed both link checks; each link names a file the site holds
    links = article_links(hugo_ugly, "/2026/01/15/later/")
    assert links == ["/2025/12/02/shorter-lifetimes.html", "/2025/12/02/shorter-lifetimes"]
    assert (hugo_ugly.out / "2025/12/02/shorter-lifetimes.html").is_file()


def test_a_hugo_section_without_a_pattern_or_ugly_urls_redirects_from_its_path_url(hugo_ugly):
    # Let's Encrypt's docs/: Hugo published docs/faq.md at /docs/faq/, where its links still go
    assert post_title(hugo_ugly, "/2024/04/25/notes/on-renewal/") == "On renewal"
    assert redirect_target(hugo_ugly, "notes/on-renewal/index.html") == "/2024/04/25/notes/on-renewal/"
    assert not list(hugo_ugly.out.rglob("on-renewal.html"))


def test_hugo_ugly_urls_for_every_section_and_its_permalinks_without_the_setting(tmp_path_factory):
    config = 'uglyURLs = true\n[permalinks]\npost = "/:year/:month/:day/:slug/"\n'
    site = hugo_project(tmp_path_factory, "migrate-hugo-ugly", {"hugo.toml": config})
    assert post_title(site, "/plog/shorter-lifetimes/") == "Shorter certificate lifetimes"
    assert redirect_target(site, "2025/12/02/shorter-lifetimes.html") == "/plog/shorter-lifetimes/"
    # and from the URL without `.html`, which hosts answer with the file and Hugo's links use
    assert redirect_target(site, "2025/12/02/shorter-lifetimes/index.html") == "/plog/shorter-lifetimes/"
    # a section without a pattern: Hugo's path URL, as a file
    assert redirect_target(site, "notes/on-renewal.html") == "/plog/notes/on-renewal/"


def test_a_link_to_an_html_file_no_post_was_published_at_stays_an_error(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("ugly-broken"))
    (site.root / "hugo.toml").write_text(UGLY_TABLES, encoding="utf-8")
    site.write("post/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\n\nSee [gone](/2024/01/01/gone.html).\n")
    result = site.run(env={"KILN_PERMALINK": "/{year}/{month}/{day}/{slug}/"})
    assert result.returncode == 1
    assert "content/post/a.md:6: broken link to /2024/01/01/gone.html/: no post has that slug" in result.stderr


@pytest.fixture(scope="module")
def page_redirects(tmp_path_factory):
    return build_copy(tmp_path_factory, "migrate-page-redirects")


def test_jekyll_redirect_from_on_a_page_redirects_to_it(page_redirects):
    assert redirect_target(page_redirects, "docs/templates/index.html") == "/docs/liquid/"
    assert redirect_target(page_redirects, "support/index.html") == "/docs/community/"
    moved = page_redirects.html("docs/templates/index.html").find("p").get_text(" ", strip=True)
    assert moved.startswith("This page has moved")


def test_a_pages_redirect_from_a_folders_index_html_is_the_folder(page_redirects):
    assert redirect_target(page_redirects, "help/index.html") == "/docs/community/"
    assert "/help/ /docs/community/ 301!" in redirects(page_redirects)


def test_redirects_of_pages_and_posts_share_the_redirects_file(page_redirects):
    assert set(redirects(page_redirects)) == {
        "/docs/templates/ /docs/liquid/ 301!",
        "/help/ /docs/community/ 301!",
        "/support/ /docs/community/ 301!",
        "/welcome.html /plog/welcome/ 301!",
    }
    # the post's links to the pages' old URLs passed the link check, and reach the redirects
    assert article_links(page_redirects, "/plog/welcome/") == ["/docs/templates/", "/help/"]


def test_zola_and_hugo_aliases_on_a_page(site):
    site.write("pages/about.md", "+++\ntitle = 'About'\naliases = ['me/', '/about-me.html']\n+++\nAbout.\n")
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\n---\nhello\n")
    site.build()
    assert redirect_target(site, "me/index.html") == "/pages/about/"
    assert redirect_target(site, "about-me.html") == "/pages/about/"


def test_a_page_and_a_post_redirecting_from_one_url_fail_naming_both(site):
    site.write("pages/about.md", "---\ntitle: About\nredirect_from: /old/\n---\nAbout.\n")
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\naliases: [/old/]\n---\nhello\n")
    message = fails_cleanly(site, out_state(site))
    expected = "content/pages/about.md:3: alias /old/ writes the same file as the alias /old/ of content/hello.md"
    assert expected in message


def test_a_pages_alias_on_another_pages_url_fails_naming_it(site):
    site.write("pages/about.md", "---\ntitle: About\nredirect_from: /pages/contact/\n---\nAbout.\n")
    site.write("pages/contact.md", "---\ntitle: Contact\n---\nContact.\n")
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\n---\nhello\n")
    message = fails_cleanly(site, out_state(site))
    assert "content/pages/about.md:3: alias /pages/contact/ would overwrite the page /pages/contact/" in message
    assert "of content/pages/contact.md" in message


def zola_cycle_posts(site: Site, image: str) -> None:
    """Two Zola posts at their own `path`, the later one showing the earlier one's chart by a relative link
    written for the published site (as the Rust blog's Cargo posts do)."""
    site.write("blog/_index.md", "+++\ntitle = 'Blog'\n+++\n")
    site.write("blog/first/index.md", "+++\ntitle = 'First'\ndate = 2024-05-07\npath = 'blog/2024/05/07/first'\n+++\n")
    (site.content / "blog/first/chart.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    site.write(
        "blog/second/index.md",
        f"+++\ntitle = 'Second'\ndate = 2024-10-31\npath = 'blog/2024/10/31/second'\n+++\n\n![the chart]({image})\n",
    )


DATED = {"KILN_PERMALINK": "/{year}/{month}/{day}/{slug}/"}


def test_a_relative_link_climbing_out_of_the_content_folder_resolves_from_the_page_url(site):
    zola_cycle_posts(site, "../../../../2024/05/07/first/chart.svg")
    site.build(env=DATED)
    image = site.html("blog/2024/10/31/second/index.html").select_one("article img")
    assert image["src"] == "../../../../2024/05/07/first/chart.svg"  # as written: a browser resolves it
    assert (site.out / "blog/2024/05/07/first/chart.svg").is_file()  # and finds the first post's file there


def test_a_relative_link_naming_nothing_from_the_page_url_either_fails_naming_file_and_line(site):
    zola_cycle_posts(site, "../../../../2024/05/07/first/missing.svg")
    result = site.run(env=DATED)
    assert result.returncode == 1
    expected = (
        "content/blog/second/index.md:7: broken relative link ../../../../2024/05/07/first/missing.svg: it climbs "
        "out of the content folder, and from the post's URL /blog/2024/10/31/second/ it names "
        "/blog/2024/05/07/first/missing.svg, which the site does not publish"
    )
    assert expected in result.stderr, result.stderr


def hugo_urls(tmp_path, files: dict[str, str]) -> hugo_config.HugoUrls | None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "content").mkdir(parents=True, exist_ok=True)
    return hugo_config.read(tmp_path / "content")


DAY = dt.datetime(2025, 12, 2, tzinfo=dt.UTC)


def test_hugo_configuration_in_yaml_and_in_a_file_of_its_own_key(tmp_path):
    urls = hugo_urls(
        tmp_path,
        {
            "config/_default/hugo.yaml": "baseURL: https://example.com/\nUglyURLs:\n  Post: true\n",
            "config/_default/permalinks.toml": 'post = "/:year/:month/:slug/"\n',
        },
    )
    assert urls is not None
    assert urls.url("post/x.md", DAY, "x", "x", own_slug=False) == "/2025/12/x.html"
    assert urls.url("Post/x.md", DAY, "x", "x", own_slug=False) == "/2025/12/x.html"  # keys without case
    assert urls.url("notes/x.md", DAY, "x", "x", own_slug=False) == "/notes/x/"  # Hugo's path URL
    assert urls.url("x.md", DAY, "x", "x", own_slug=False) is None  # in no section: a page


def test_hugo_permalinks_by_kind_and_tokens_kiln_cannot_fill(tmp_path):
    config = '[permalinks.page]\nposts = "/:sections/:slugorfilename/"\nnews = "/:monthname/:slug/"\n'
    urls = hugo_urls(tmp_path, {"hugo.toml": config})
    assert urls is not None
    assert urls.url("posts/2025/a-b.md", DAY, "ab", "a-b", own_slug=False) == "/posts/2025/a-b/"
    assert urls.url("posts/2025/a-b.md", DAY, "ab", "a-b", own_slug=True) == "/posts/2025/ab/"
    assert urls.url("news/x.md", DAY, "x", "x", own_slug=False) is None


def test_a_site_without_hugos_url_settings_has_none(tmp_path):
    assert hugo_urls(tmp_path, {"hugo.toml": 'title = "A blog"\n'}) is None
    assert hugo_urls(tmp_path / "x" / "y", {}) is None  # no configuration in the three folders read


def test_a_file_at_the_top_of_a_hugo_projects_content_is_a_page_not_a_post(site):
    # Let's Encrypt's content/en/about.md: in no section, so in none of Hugo's lists of posts; at /about/
    (site.root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    site.write("about.md", "---\ntitle: About us\n---\nWho we are.\n")
    site.write("post/news.md", "---\ntitle: News\ndate: 2024-03-01\n---\nWhat happened.\n")
    site.build()
    about = site.html("about/index.html")
    assert "Who we are." in about.get_text() and about.title.get_text().startswith("About us")
    assert not (site.out / "plog" / "about").exists()
    home = site.html("index.html")
    assert [a.get_text(strip=True) for a in home.select("main h2 a")] == ["News"]
    assert "About us" not in (site.out / "atom.xml").read_text()


def test_a_file_at_the_top_of_a_content_folder_outside_hugo_is_a_post(site):
    site.write("about.md", "---\ntitle: About us\ndate: 2024-03-01\n---\nWho we are.\n")
    site.build()
    assert (site.out / "plog" / "about" / "index.html").is_file() and not (site.out / "about").exists()
