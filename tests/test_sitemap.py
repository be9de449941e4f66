"""/sitemap.xml and /robots.txt: every published page, none of the drafts or future posts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest

from built_sites import build_copy
from conftest import Site

BASE = "https://blog.example.com"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# one worker runs this module, so its site is built once (see built_sites.py)
pytestmark = pytest.mark.xdist_group(__name__)


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    return build_copy(tmp_path_factory, "blog", env={"KILN_POSTS_PER_PAGE": "2"})


def entries(site: Site) -> dict[str, str | None]:
    """loc -> lastmod."""
    root = ET.parse(site.out / "sitemap.xml").getroot()
    assert root.tag == f"{NS}urlset"
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in root.iter(f"{NS}url")}


def test_every_published_post_and_listing_page(blog):
    expected = [
        "/",
        "/p2/",
        "/oc-Caf%C3%A9-culture/",
        "/oc-Python/",
        "/oc-Web-development/",
        "/plog/third/",
        "/plog/second/",
        "/plog/hello/",
        "/plog/",  # the archive
    ]
    assert list(entries(blog)) == [BASE + path for path in expected]


def test_every_entry_is_a_page_of_the_site(blog):
    for loc in entries(blog):
        assert loc.startswith(f"{BASE}/")
        assert (blog.out / unquote(urlsplit(loc).path).lstrip("/") / "index.html").is_file(), loc


def test_lastmod_is_the_update_else_the_date(blog):
    found = entries(blog)
    assert found[f"{BASE}/plog/hello/"] == "2024-01-10"
    assert found[f"{BASE}/plog/second/"] == "2024-03-05"
    assert found[f"{BASE}/plog/third/"] == "2024-03-01"
    # a listing page changes when any post it shows does
    assert found[f"{BASE}/"] == "2024-03-05"
    assert found[f"{BASE}/p2/"] == "2024-01-10"
    assert found[f"{BASE}/oc-Python/"] == "2024-03-05"


def test_drafts_and_future_posts_are_left_out(blog):
    text = (blog.out / "sitemap.xml").read_text()
    for hidden in ("a-draft", "the-future", "oc-Drafts", "oc-Future", "old/"):
        assert hidden not in text


def test_robots_names_the_sitemap(blog):
    lines = (blog.out / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
