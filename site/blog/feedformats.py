"""The two feed formats beside RSS: Atom 1.0 with full content, and JSON Feed 1.1.

Both are ``django.utils.feedgenerator`` feed types, so ``blog.feeds.PostsFeed``
serves each format from the same queries. An item's ``content_html`` (its
post's HTML with absolute links, or its summary) and ``summary`` come from
``PostsFeed.item_extra_kwargs``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils.feedgenerator import Atom1Feed, SyndicationFeed, rfc3339_date

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class FixedWhenEmpty(SyndicationFeed):
    """A feed whose date, with no items, is the epoch: Django falls back to the current time, and two builds
    of the same content would differ."""

    def latest_post_date(self) -> dt.datetime:
        return super().latest_post_date() if self.items else EPOCH


JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class AtomWithContent(FixedWhenEmpty, Atom1Feed):
    """Atom 1.0: each entry has ``updated`` (required by RFC 4287), its summary and its ``content``."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        entry = {**item, "updateddate": item["updateddate"] or item["pubdate"], "description": item["summary"] or None}
        super().add_item_elements(handler, entry)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): keys in a fixed order, UTF-8, no build time."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile: Any, encoding: str) -> None:
        feed = self.feed
        document: dict[str, Any] = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
        }
        if feed["language"]:
            document["language"] = feed["language"]
        if feed["author_name"]:
            document["authors"] = [{"name": feed["author_name"]}]
        document["items"] = [self.item(item) for item in self.items]
        outfile.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")

    @staticmethod
    def item(item: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
        }
        if item["summary"]:
            entry["summary"] = item["summary"]
        entry["date_published"] = rfc3339_date(item["pubdate"])
        if item["updateddate"] is not None:
            entry["date_modified"] = rfc3339_date(item["updateddate"])
        if item["categories"]:
            entry["tags"] = list(item["categories"])
        if item["author_name"]:
            entry["authors"] = [{"name": item["author_name"]}]
        return entry
