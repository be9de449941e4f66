"""Every page of the blog, registered with django-distill so the build can export it.

Each ``distill_func`` lists the parameters of every page of its pattern, and
each pattern has a fingerprint function (see ``blog.fingerprints``) that
lets an incremental build skip pages whose inputs did not change.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.sitemaps.views import sitemap
from django.urls import register_converter
from django_distill import distill_path

from . import aliases, views
from .feeds import PostsFeed
from .models import Category, Post
from .sitemaps import SITEMAPS

register_converter(aliases.AliasConverter, "alias")
register_converter(aliases.FolderAliasConverter, "folder_alias")


def _page_count(total: int) -> int:
    return len(views.split_pages(range(total)))


def home_pages() -> Iterator[tuple[int]]:
    for number in range(2, _page_count(Post.objects.published().count()) + 1):
        yield (number,)


def _category_counts() -> list[tuple[str, int]]:
    return list(Category.objects.with_counts().order_by("slug").values_list("slug", "count"))


def categories() -> Iterator[tuple[str]]:
    for slug, _count in _category_counts():
        yield (slug,)


def category_pages() -> Iterator[tuple[str, int]]:
    for slug, count in _category_counts():
        for number in range(2, _page_count(count) + 1):
            yield (slug, number)


def posts() -> Iterator[tuple[str]]:
    for slug in Post.objects.published().order_by("slug").values_list("slug", flat=True):
        yield (slug,)


def alias_paths(folders: bool) -> Iterator[tuple[str]]:
    """Aliases served as files (``/old/post/``, ``/old.html``) or, with ``folders``, as folders (``/old``)."""
    for alias in sorted(aliases.current()):
        if aliases.is_folder(alias) == folders:
            yield (alias.lstrip("/"),)


urlpatterns = [
    # first, so that an alias under /plog/ or /oc-... is not taken for a missing post or category;
    # the converter matches only the aliases of published posts
    distill_path("<alias:alias>", views.alias, name="alias", distill_func=lambda: alias_paths(False)),
    distill_path(
        "<folder_alias:alias>",
        views.alias,
        name="alias-folder",
        distill_func=lambda: alias_paths(True),
        distill_file="{0}/index.html",
    ),
    distill_path("", views.home, name="home"),
    distill_path("p<int:page>/", views.home, name="home-page", distill_func=home_pages),
    distill_path("oc-<str:category>/", views.home, name="category", distill_func=categories),
    distill_path("oc-<str:category>/p<int:page>/", views.home, name="category-page", distill_func=category_pages),
    distill_path("plog/<str:slug>/", views.post_detail, name="post", distill_func=posts),
    distill_path("rss.xml", PostsFeed(), name="feed"),
    distill_path("oc-<str:category>/rss.xml", PostsFeed(), name="category-feed", distill_func=categories),
    distill_path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    distill_path("robots.txt", views.robots, name="robots"),
    distill_path("_redirects", views.redirects, name="redirects"),
    distill_path("404.html", views.not_found, name="404"),
]
