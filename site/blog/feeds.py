"""RSS feeds with ``django.contrib.syndication``: the whole site and each category.

Links are absolute, built from the request, which the build makes with the
host and scheme of ``BASE_URL``. Each item carries its publication date, its
update date (``atom:updated``, as RSS 2.0 has no element for it), its
categories, and the post's full HTML or only its summary (``FEED_FULL_CONTENT``).
The output depends on the posts only: ``lastBuildDate`` is the newest post's
date, never the time of the build.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed, rfc3339_date

from .models import Category, Post

# href="/..." and src="/..." (not protocol-relative "//host")
ROOT_RELATIVE = re.compile(r"""(\s(?:href|src)\s*=\s*["'])/(?!/)""", re.I)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class RssWithUpdates(Rss201rev2Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))

    def latest_post_date(self) -> dt.datetime:
        # Django falls back to the current time for a feed with no dates
        return super().latest_post_date() if self.items else EPOCH


def absolute_links(html: str) -> str:
    """Root-relative links and images made absolute: feed readers have no page to resolve them against."""
    return ROOT_RELATIVE.sub(lambda m: m.group(1) + settings.KILN["BASE_URL"] + "/", html)


class PostsFeed(Feed):
    """The newest posts of the site, or of one category (``/oc-<slug>/rss.xml``)."""

    feed_type = RssWithUpdates

    def get_object(self, request: HttpRequest, category: str | None = None) -> Category | None:
        return get_object_or_404(Category, slug=category) if category is not None else None

    def title(self, category: Category | None) -> str:
        site = settings.KILN["SITE_TITLE"]
        return f"{site} · {category.name}" if category else site

    def link(self, category: Category | None) -> str:
        return category.get_absolute_url() if category else reverse("home")

    def description(self, category: Category | None) -> str:
        text = settings.KILN["SITE_DESCRIPTION"]
        return f"Posts in the category {category.name}. {text}" if category else text

    def author_name(self) -> str | None:
        return settings.KILN["AUTHOR"] or None

    def items(self, category: Category | None) -> QuerySet[Post]:
        posts = Post.objects.published().order_by("-date", "slug").prefetch_related("categories")
        if category is not None:
            posts = posts.filter(categories=category)
        limit = settings.KILN["FEED_ITEMS"]
        return posts[:limit] if limit > 0 else posts

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        return absolute_links(post.body_html) if settings.KILN["FEED_FULL_CONTENT"] else post.summary

    def item_pubdate(self, post: Post) -> dt.datetime:
        return post.date

    def item_updateddate(self, post: Post) -> dt.datetime | None:
        return post.updated

    def item_categories(self, post: Post) -> list[str]:
        return [category.name for category in post.categories.all()]

    def item_author_name(self, post: Post) -> str | None:
        return settings.KILN["AUTHOR"] or None
