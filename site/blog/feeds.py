"""Feeds with ``django.contrib.syndication``: the whole site, each category and each tag,
each in RSS 2.0, Atom 1.0 and JSON Feed 1.1 (:data:`FORMATS`; the last two in
``blog.feedformats``).

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
import functools
import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed, SyndicationFeed, rfc3339_date

from . import snapshot
from .feedformats import AtomWithContent, FixedWhenEmpty, JsonFeed
from .models import Category, Post, Tag, Term

# an HTML start tag, its quoted attribute values read whole (text in code is escaped: no tag there)
START_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
# an address in a start tag, quoted either way or bare
LINK_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?:href|src|poster|srcset)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.I,
)


class RssWithUpdates(FixedWhenEmpty, Rss201rev2Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


def absolute_links(body: str, page: str) -> str:
    """``body`` (HTML of the page at the path ``page``) with every relative link and image made absolute.

    A root-relative address is resolved against ``BASE_URL``, any other
    relative one (``cover.jpg``, ``../other/``) against the page's own URL.
    Absolute addresses (``https:``, ``mailto:``, ``//host``) and fragments of
    the page (``#part``) are left as they are, and so is text in code.
    """
    return _absolute_links(body, page, settings.KILN.BASE_URL)


@functools.lru_cache(maxsize=512)  # a post is in several feeds (the site's, its categories', its tags'), 3 formats each
def _absolute_links(body: str, page: str, base: str) -> str:
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


@dataclass(frozen=True)
class Format:
    file: str  # the feed's file name, in the folder of the page it belongs to
    feed_type: type[SyndicationFeed]
    mime_type: str  # for <link rel="alternate" type=...>


# URL name suffix -> format: `feed`, `feed-atom`, `feed-json`, `tag-feed-atom`…
FORMATS = {
    "": Format("rss.xml", RssWithUpdates, "application/rss+xml"),
    "-atom": Format("atom.xml", AtomWithContent, "application/atom+xml"),
    "-json": Format("feed.json", JsonFeed, "application/feed+json"),
}


def feed_name(term: Term | None) -> str:
    """The URL name of the RSS feed of the site (``term`` None), of a category or of a tag."""
    return "feed" if term is None else f"{term.url_name}-feed"


def feed_title(term: Term | None) -> str:
    site = settings.KILN.SITE_TITLE
    return f"{site} · {term.name}" if term else site


def alternates(term: Term | None) -> list[tuple[str, str, str]]:
    """(MIME type, title, URL) of every feed of the site or of ``term``, for ``<link rel="alternate">``."""
    args = [] if term is None else [term.slug]
    title = feed_title(term)
    return [(f.mime_type, title, reverse(feed_name(term) + suffix, args=args)) for suffix, f in FORMATS.items()]


class PostsFeed(Feed):
    """The newest posts of the site, of a category (``/oc-<slug>/rss.xml``) or of a tag (``/tag/<slug>/rss.xml``)."""

    def __init__(self, feed_type: type[SyndicationFeed] = RssWithUpdates) -> None:
        self.feed_type = feed_type

    def get_object(self, request: HttpRequest, category: str | None = None, tag: str | None = None) -> Term | None:
        shown = snapshot.published()
        if category is not None:
            return shown.categories.get(category) or get_object_or_404(Category, slug=category)
        if tag is not None:
            return shown.tags.get(tag) or get_object_or_404(Tag, slug=tag)
        return None

    def title(self, term: Term | None) -> str:
        return feed_title(term)

    def link(self, term: Term | None) -> str:
        return term.get_absolute_url() if term else reverse("home")

    def description(self, term: Term | None) -> str:
        text = settings.KILN.SITE_DESCRIPTION
        if isinstance(term, Tag):
            return f"Posts tagged {term.name}. {text}"
        return f"Posts in the category {term.name}. {text}" if term else text

    def subtitle(self, term: Term | None) -> str:
        return self.description(term)

    def author_name(self) -> str | None:
        return settings.KILN.AUTHOR or None

    def items(self, term: Term | None) -> list[Post]:
        shown = snapshot.published()
        posts = shown.posts
        if isinstance(term, Category):
            posts = shown.in_category.get(term.slug, [])
        elif isinstance(term, Tag):
            posts = shown.in_tag.get(term.slug, [])
        limit = settings.KILN.FEED_ITEMS
        return snapshot.loaded(posts[:limit] if limit > 0 else posts)

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        if not settings.KILN.FEED_FULL_CONTENT:
            return post.summary
        return absolute_links(post.body_html, post.get_absolute_url())

    def item_extra_kwargs(self, post: Post) -> dict[str, Any]:
        """Atom and JSON Feed carry the summary and the content apart (RSS has one description)."""
        if self.feed_type is RssWithUpdates:
            return {}
        return {"summary": post.summary, "content_html": self.item_description(post)}

    def item_pubdate(self, post: Post) -> dt.datetime:
        return post.date

    def item_updateddate(self, post: Post) -> dt.datetime | None:
        return post.updated

    def item_categories(self, post: Post) -> list[str]:
        return [term.name for term in [*post.categories.all(), *post.tags.all()]]

    def item_author_name(self, post: Post) -> str | None:
        return settings.KILN.AUTHOR or None
