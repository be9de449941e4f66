"""``/sitemap.xml`` with ``django.contrib.sitemaps``: every published post and listing page.

``django.contrib.sites`` is not installed, so Django takes the domain and the
scheme from the request: those of ``BASE_URL`` in a build. A
post's ``lastmod`` is its update date, else its date; a listing page's is the
newest of those among the posts it shows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Category, Post
from .views import page_url, split_pages


class PostSitemap(Sitemap):
    def items(self) -> QuerySet[Post]:
        return Post.objects.published().order_by("-date", "slug").only("slug", "date", "updated")

    def lastmod(self, post: Post) -> dt.datetime:
        return post.updated or post.date


class ListingSitemap(Sitemap):
    """The home page, its numbered pages, and each category's pages."""

    def items(self) -> list[tuple[str, dt.datetime | None]]:
        posts = Post.objects.published().order_by("-date", "slug")
        changed = {post_id: updated or date for post_id, date, updated in posts.values_list("id", "date", "updated")}
        order = list(changed)
        in_category: dict[int, list[int]] = defaultdict(list)
        for post_id, category_id in Post.categories.through.objects.values_list("post_id", "category_id"):
            if post_id in changed:
                in_category[category_id].append(post_id)
        rank = {post_id: i for i, post_id in enumerate(order)}
        pages = self.pages(None, order, changed)
        for category in Category.objects.filter(id__in=in_category).order_by("slug"):
            pages += self.pages(category, sorted(in_category[category.id], key=rank.__getitem__), changed)
        return pages

    @staticmethod
    def pages(
        category: Category | None, post_ids: list[int], changed: dict[int, dt.datetime]
    ) -> list[tuple[str, dt.datetime | None]]:
        return [
            (page_url(category, number), max((changed[i] for i in shown), default=None))
            for number, shown in enumerate(split_pages(post_ids), start=1)
        ]

    def location(self, item: tuple[str, dt.datetime | None]) -> str:
        return item[0]

    def lastmod(self, item: tuple[str, dt.datetime | None]) -> dt.datetime | None:
        return item[1]


SITEMAPS = {"pages": ListingSitemap, "posts": PostSitemap}
