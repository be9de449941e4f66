"""RSS feeds with ``django.contrib.syndication``: the whole site and each category.

Links are absolute, built from the request, which the build makes with the
host and scheme of ``BASE_URL``; so are the links and images in an item's
HTML, for a feed reader has no page to resolve them against. Each item carries its publication date, its
update date (``atom:updated``, as RSS 2.0 has no element for it), its
categories, and the post's full HTML or only its summary (``FEED_FULL_CONTENT``).
The output depends on the posts only: ``lastBuildDate`` is the newest post's
date, never the time of the build.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed, rfc3339_date

from .models import Category, Post

# an HTML start tag, its quoted attribute values read whole (text in code is escaped: no tag there)
START_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
# an address in a start tag, quoted either way or bare
LINK_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?:href|src|poster|srcset)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.I,
)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class RssWithUpdates(Rss201rev2Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))

    def latest_post_date(self) -> dt.datetime:
        # Django falls back to the current time for a feed with no dates
        return super().latest_post_date() if self.items else EPOCH


def absolute_links(body: str, page: str) -> str:
    """``body`` (HTML of the page at the path ``page``) with every relative link and image made absolute.

    A root-relative address is resolved against ``BASE_URL``, any other
    relative one (``cover.jpg``, ``../other/``) against the page's own URL.
    Absolute addresses (``https:``, ``mailto:``, ``//host``) and fragments of
    the page (``#part``) are left as they are, and so is text in code.
    """
    base = settings.KILN.BASE_URL

    def absolute(address: str) -> str:
        if not address or address.startswith(("#", "//")) or urlsplit(address).scheme:
            return address
        if address.startswith("/"):
            return base + address
        return urljoin(base + page, address)

    def attribute(match: re.Match[str]) -> str:
        written = next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)
        value = html.unescape(written)
        if match["name"].strip().lower().startswith("srcset"):
            if "data:" in value:  # its commas are not the list's
                return match.group()
            # "a.jpg 1x, b.jpg 2x": each candidate's address, then its size
            candidates = [candidate.split() for candidate in value.split(",") if candidate.strip()]
            found = ", ".join(" ".join([absolute(parts[0]), *parts[1:]]) for parts in candidates)
        else:
            found = absolute(value)
        return match.group() if found == value else f'{match["name"]}"{html.escape(found)}"'

    return START_TAG.sub(lambda tag: LINK_ATTRIBUTE.sub(attribute, tag.group()), body)


class PostsFeed(Feed):
    """The newest posts of the site, or of one category (``/oc-<slug>/rss.xml``)."""

    feed_type = RssWithUpdates

    def get_object(self, request: HttpRequest, category: str | None = None) -> Category | None:
        return get_object_or_404(Category, slug=category) if category is not None else None

    def title(self, category: Category | None) -> str:
        site = settings.KILN.SITE_TITLE
        return f"{site} · {category.name}" if category else site

    def link(self, category: Category | None) -> str:
        return category.get_absolute_url() if category else reverse("home")

    def description(self, category: Category | None) -> str:
        text = settings.KILN.SITE_DESCRIPTION
        return f"Posts in the category {category.name}. {text}" if category else text

    def author_name(self) -> str | None:
        return settings.KILN.AUTHOR or None

    def items(self, category: Category | None) -> QuerySet[Post]:
        posts = Post.objects.published().order_by("-date", "slug").prefetch_related("categories")
        if category is not None:
            posts = posts.filter(categories=category)
        limit = settings.KILN.FEED_ITEMS
        return posts[:limit] if limit > 0 else posts

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        if not settings.KILN.FEED_FULL_CONTENT:
            return post.summary
        return absolute_links(post.body_html, post.get_absolute_url())

    def item_pubdate(self, post: Post) -> dt.datetime:
        return post.date

    def item_updateddate(self, post: Post) -> dt.datetime | None:
        return post.updated

    def item_categories(self, post: Post) -> list[str]:
        return [category.name for category in post.categories.all()]

    def item_author_name(self, post: Post) -> str | None:
        return settings.KILN.AUTHOR or None
