"""What readers and crawlers read besides the text: head tags, dates, reading time,
neighbours, the home page's categories; and listing pages' constant query count."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from built_sites import build_copy

BASE = "https://blog.example.com"

# one worker runs this module, so its site is built once (see built_sites.py)
pytestmark = pytest.mark.xdist_group(__name__)


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    return build_copy(tmp_path_factory, "blog", env={"KILN_AUTHOR": "Ada"})


def meta(page, attribute: str, name: str) -> list[str]:
    return [tag["content"] for tag in page.find_all("meta", attrs={attribute: name})]


def test_post_head(blog):
    page = blog.html("plog/hello/index.html")
    assert page.title.get_text() == "Hello, <world> · Kiln"
    assert [link["href"] for link in page.find_all("link", rel="canonical")] == [f"{BASE}/plog/hello/"]
    assert meta(page, "name", "description") == ["The first post, with a summary & an ampersand."]
    assert meta(page, "property", "og:type") == ["article"]
    assert meta(page, "property", "og:title") == ["Hello, <world>"]
    assert meta(page, "property", "og:description") == ["The first post, with a summary & an ampersand."]
    assert meta(page, "property", "og:url") == [f"{BASE}/plog/hello/"]
    assert meta(page, "property", "og:site_name") == ["Kiln"]
    assert meta(page, "property", "article:published_time") == ["2024-01-10T08:00:00+00:00"]
    assert sorted(meta(page, "property", "article:tag")) == ["Python", "Web development"]
    # no picture of its own: its social card (tests/test_cards.py)
    assert meta(page, "name", "twitter:card") == ["summary_large_image"]
    assert meta(page, "property", "og:image") == meta(page, "name", "twitter:image") == [f"{BASE}/_card/hello.png"]
    assert meta(page, "name", "author") == ["Ada"]


def test_listing_head(blog):
    page = blog.html("oc-Python/index.html")
    assert [link["href"] for link in page.find_all("link", rel="canonical")] == [f"{BASE}/oc-Python/"]
    assert meta(page, "property", "og:type") == ["website"]
    assert meta(page, "name", "description")[0].startswith("Posts in the category Python.")
    assert meta(page, "name", "twitter:card") == ["summary"]


def test_published_and_updated_times(blog):
    article = blog.html("plog/second/index.html").select_one("article")
    published, updated = (dt.datetime.fromisoformat(t["datetime"]) for t in article.select("header time"))
    assert published == dt.datetime(2024, 2, 1, 11, 30, tzinfo=dt.UTC)
    assert updated == dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)
    page = blog.html("plog/second/index.html")
    assert meta(page, "property", "article:modified_time") == ["2024-03-05T10:00:00+00:00"]


def test_reading_time(blog):
    assert blog.html("plog/hello/index.html").select_one("article .reading-time").get_text() == "1 min read"


def test_previous_and_next(blog):
    nav = blog.html("plog/second/index.html").select_one(".post-nav")
    assert nav.select_one('a[rel="prev"]')["href"] == "/plog/third/"
    assert nav.select_one('a[rel="next"]')["href"] == "/plog/hello/"
    newest = blog.html("plog/third/index.html").select_one(".post-nav")
    assert newest.select_one('a[rel="prev"]') is None


def test_home_lists_categories_with_counts(blog):
    items = blog.html("index.html").select(".category-list li")
    found = {li.a.get_text(): (li.a["href"], li.select_one(".count").get_text()) for li in items}
    assert found == {
        "Café culture": ("/oc-Caf%C3%A9-culture/", "1"),
        "Python": ("/oc-Python/", "2"),  # the draft and the future post are not counted
        "Web development": ("/oc-Web-development/", "1"),
    }
    assert blog.html("oc-Python/index.html").select(".category-list") == []


def add_posts(count: int) -> None:
    from blog.models import Category, Post

    python = Category.objects.create(name="Python", slug="Python", key="python")
    web = Category.objects.create(name="Web", slug="Web", key="web")
    for n in range(count):
        post = Post.objects.create(
            source_path=f"p{n}.md",
            source_hash=str(n),
            slug=f"p{n}",
            title=f"Post {n}",
            date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n),
            body_html="<p>Body</p>",
            markdown_key=str(n),
        )
        post.categories.set([python, web])


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/p2/", "/oc-Python/", "/plog/p1/"])
def test_pages_run_the_same_queries_for_5_and_25_posts(client, settings, url):
    from blog import snapshot

    settings.CACHES = {**settings.CACHES, "memoize": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.KILN = dataclasses.replace(settings.KILN, POSTS_PER_PAGE=4)
    # no collectstatic here: asset URLs without the manifest (a fresh clone has none)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "pipeline.storage.PipelineStorage"}}
    counts = []
    for total in (5, 25):
        from blog.models import Category, Post

        Post.objects.all().delete()
        Category.objects.all().delete()
        snapshot.forget()
        add_posts(total)
        client.get(url)  # builds the related-posts memo once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
