"""Site chrome: the header's navigation from ``KILN_NAV``, and typographic quotes outside code."""

from __future__ import annotations

import pytest

import pictures
from conftest import Site, out_state

pytestmark = pytest.mark.xdist_group(__name__)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    return pictures.build(tmp_path_factory, "chrome")


def nav(site: Site, page: str) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in site.html(page).select("header.site-header nav.site-nav a")]


DEFAULT_NAV = [
    ("Home", "/"),
    ("Archive", "/plog/"),
    ("Categories", "/#category-list"),
    ("Search", "/search/"),
    ("Feed", "/atom.xml"),
]


def test_every_page_has_the_default_navigation(built):
    for page in ("index.html", "plog/trip/index.html", "plog/index.html", "tag/index.html", "404.html"):
        assert nav(built, page) == DEFAULT_NAV, page
    # each link leads somewhere: the categories' anchor is on the home page
    assert built.html("index.html").select_one("#category-list h2").get_text() == "Categories"
    for _label, href in DEFAULT_NAV:
        path = href.partition("#")[0].lstrip("/")
        assert (built.out / path / "index.html").is_file() or (built.out / path).is_file(), href


def test_the_navigation_comes_from_the_setting(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("chrome-nav"))
    site.write("plain.md", pictures.PLAIN_POST)
    site.build(env={"KILN_NAV": "Posts=/plog/ , Tags=/tag/"})
    assert nav(site, "index.html") == [("Posts", "/plog/"), ("Tags", "/tag/")]
    site.build(env={"KILN_NAV": ""})
    assert site.html("index.html").select("header nav.site-nav") == []


def test_a_navigation_link_that_is_no_site_path_is_refused(tmp_path):
    site = Site(tmp_path)
    site.write("plain.md", pictures.PLAIN_POST)
    site.build()
    result = site.run("build", env={"KILN_NAV": "Home=/, Elsewhere=https://example.org/"})
    assert result.returncode == 1
    assert "KILN_NAV: each link must be Label=/path/" in result.stderr
    assert "'Elsewhere=https://example.org/'" in result.stderr


def test_a_navigation_link_to_a_missing_page_fails_the_link_check(site):
    site.write("plain.md", pictures.PLAIN_POST)
    site.build()
    before = out_state(site)
    result = site.run("build", env={"KILN_NAV": "About=/about/"})
    assert result.returncode == 1 and "/about/" in result.stderr
    assert out_state(site) == before


def test_quotes_are_curly_in_text_and_straight_in_code(built):
    body = built.html("plog/trip/index.html").select_one("article .post-body")
    first = body.select_one("p").get_text()
    assert "We said “hello” – and ‘goodbye’…" in first
    assert body.select_one("p code").get_text() == '"as typed"'
    assert '"straight"' in body.select_one("pre code").get_text()
    plain = built.html("plog/plain/index.html").select_one("article .post-body p").get_text()
    assert plain == "Nothing to see, it’s plain."
