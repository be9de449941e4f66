"""RSS feeds: the whole site and each category, parsed and checked against the posts."""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from built_sites import build_copy
from conftest import Site
from pictures import TINY_PNG

BASE = "https://blog.example.com"
ATOM = "{http://www.w3.org/2005/Atom}"

# one worker runs this module, so its site is built once (see built_sites.py)
pytestmark = pytest.mark.xdist_group(__name__)


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    return build_copy(tmp_path_factory, "blog")


def channel(site: Site, path: str) -> ET.Element:
    root = ET.parse(site.out / path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def items(site: Site, path: str) -> dict[str, ET.Element]:
    """link -> item, in feed order (dicts keep it)."""
    return {item.findtext("link"): item for item in channel(site, path).iter("item")}


def date_of(text: str) -> dt.datetime:
    return email.utils.parsedate_to_datetime(text)


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_site_feed_lists_published_posts_newest_first(blog):
    assert list(items(blog, "rss.xml")) == [f"{BASE}/plog/{slug}/" for slug in ("third", "second", "hello")]


def test_feed_channel_is_absolute_and_dated_by_its_newest_post(blog):
    feed = channel(blog, "rss.xml")
    assert feed.findtext("link") == f"{BASE}/"
    assert feed.find(f"{ATOM}link").get("href") == f"{BASE}/rss.xml"
    # the newest date of any item (an update counts), never the time of the build
    assert date_of(feed.findtext("lastBuildDate")) == moment("2024-03-05T10:00:00+00:00")


def test_items_carry_dates_categories_and_titles_as_text(blog):
    feed = items(blog, "rss.xml")
    hello = feed[f"{BASE}/plog/hello/"]
    assert hello.findtext("title") == "Hello, <world>"
    assert date_of(hello.findtext("pubDate")) == moment("2024-01-10T08:00:00+00:00")
    assert sorted(c.text for c in hello.findall("category")) == ["Python", "Web development"]
    assert hello.find(f"{ATOM}updated") is None
    assert hello.findtext("guid") == f"{BASE}/plog/hello/"
    second = feed[f"{BASE}/plog/second/"]
    assert date_of(second.findtext("pubDate")) == moment("2024-02-01T12:30:00+01:00")
    assert moment(second.findtext(f"{ATOM}updated")) == moment("2024-03-05T10:00:00+00:00")


def test_full_content_with_absolute_links(blog):
    description = items(blog, "rss.xml")[f"{BASE}/plog/hello/"].findtext("description")
    body = BeautifulSoup(description, "html.parser")
    hrefs = [a["href"] for a in body.find_all("a")]
    assert hrefs == [f"{BASE}/plog/second/", "https://example.invalid/page"]
    assert "Some more words to read." in body.get_text()


def test_category_feed_has_only_that_category(blog):
    feed = channel(blog, "oc-Python/rss.xml")
    assert feed.findtext("title") == "Kiln · Python"
    assert feed.findtext("link") == f"{BASE}/oc-Python/"
    assert list(items(blog, "oc-Python/rss.xml")) == [f"{BASE}/plog/second/", f"{BASE}/plog/hello/"]
    assert list(items(blog, "oc-Café-culture/rss.xml")) == [f"{BASE}/plog/third/"]


def test_drafts_and_future_posts_have_no_feed_and_no_item(blog):
    assert not (blog.out / "oc-Drafts" / "rss.xml").exists()
    assert not (blog.out / "oc-Future" / "rss.xml").exists()
    every = (blog.out / "rss.xml").read_text() + (blog.out / "oc-Python" / "rss.xml").read_text()
    assert "a-draft" not in every and "the-future" not in every


def test_pages_announce_their_feeds(blog):
    home = blog.html("index.html")
    assert [link["href"] for link in home.select('link[type="application/rss+xml"]')] == ["/rss.xml"]
    category = blog.html("oc-Python/index.html")
    feeds = [link["href"] for link in category.select('link[type="application/rss+xml"]')]
    assert feeds == ["/rss.xml", "/oc-Python/rss.xml"]


def test_summaries_instead_of_full_content_and_fewer_items(tmp_path_factory):
    site = build_copy(tmp_path_factory, "blog", env={"KILN_FEED_FULL_CONTENT": "false", "KILN_FEED_ITEMS": "2"})
    feed = items(site, "rss.xml")
    assert list(feed) == [f"{BASE}/plog/third/", f"{BASE}/plog/second/"]
    assert feed[f"{BASE}/plog/third/"].findtext("description") == "About coffee."
    # no summary in the front matter: the first paragraph
    assert feed[f"{BASE}/plog/second/"].findtext("description").startswith("The second post has no summary")


def test_relative_links_and_images_in_items_are_absolute(site):
    site.write(
        "posts/my-trip/index.md",
        "---\ntitle: My trip\ndate: 2021-05-01\n---\n"
        '![Cover](cover.jpg) <img src="photos/boat.jpg" srcset="photos/boat.jpg 1x, /images/big.jpg 2x" alt="Boat">\n\n'
        "[Other](../other/) [root](/images/big.jpg) [part](#notes) [mail](mailto:me@example.invalid) "
        "[away](https://example.invalid/x?a=1&b=2) [footnote][^1]\n\n"
        '`<img src="cover.jpg">` stays as written.\n\n[^1]: A note.\n',
    )
    site.write("posts/other.md", "---\ntitle: Other\ndate: 2021-05-02\n---\nx\n")
    (site.content / "posts/my-trip/cover.jpg").write_bytes(TINY_PNG + b" cover")
    (site.content / "posts/my-trip/photos").mkdir()
    (site.content / "posts/my-trip/photos/boat.jpg").write_bytes(TINY_PNG + b" boat")
    (site.content / "images").mkdir()
    (site.content / "images/big.jpg").write_bytes(TINY_PNG + b" big")
    site.build()  # the check resolves the feed's absolute links to this site's files
    item = items(site, "rss.xml")[f"{BASE}/plog/my-trip/"]
    body = BeautifulSoup(item.findtext("description"), "html.parser")
    images = body.find_all("img")
    assert [img["src"] for img in images] == [f"{BASE}/plog/my-trip/cover.jpg", f"{BASE}/plog/my-trip/photos/boat.jpg"]
    assert images[1]["srcset"] == f"{BASE}/plog/my-trip/photos/boat.jpg 1x, {BASE}/images/big.jpg 2x"
    links = [a["href"] for a in body.find_all("a")]
    assert links[:5] == [
        f"{BASE}/plog/other/",
        f"{BASE}/images/big.jpg",
        "#notes",
        "mailto:me@example.invalid",
        "https://example.invalid/x?a=1&b=2",
    ]
    assert all(href.startswith("#fn") for href in links[5:])  # footnote links and back-links stay in the item
    assert body.code.get_text() == '<img src="cover.jpg">'


def test_feeds_of_a_site_without_posts_carry_no_build_time(site):
    # Django dates a feed without items by the clock: two builds of the same content would differ
    site.write("about.md", "---\ntitle: About\nlayout: page\n---\nWho we are.\n")
    site.build()
    atom = ET.parse(site.out / "atom.xml").getroot()
    assert atom.findtext("{http://www.w3.org/2005/Atom}updated").startswith("1970-01-01T00:00:00")
    rss = ET.parse(site.out / "rss.xml").getroot()
    assert rss.findtext("channel/lastBuildDate").startswith("Thu, 01 Jan 1970")
