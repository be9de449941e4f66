"""The published posts as search documents (plain text) and as result metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass

from django.utils import timezone

from .engine import Document

# tags that end a word where they stand (blocks, breaks, cells); inline tags such as
# Pygments' <span> join the text around them, so `foo<span>.</span>bar` stays one run
BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|pre|blockquote|br|hr|tr|td|th|table|thead|tbody|figure|figcaption|"
    r"section|article|aside|header|footer|nav|img|details|summary)\b[^>]*>",
    re.I,
)
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.I | re.S)
TAG = re.compile(r"<[^>]*>")
SUMMARY_LENGTH = 300


def html_text(body_html: str) -> str:
    """The words of a post's HTML as plain text, entities decoded."""
    text = HIDDEN.sub(" ", body_html)
    text = BLOCK_TAG.sub(" ", text)
    return " ".join(html.unescape(TAG.sub("", text)).split())


@dataclass(frozen=True)
class PostMeta:
    """What a search result shows, and where the post sorts (FORMAT.md, "Posts")."""

    key: str
    order: str  # the UTC publication time, ISO; posts are numbered in (order, key) order
    url: str
    title: str
    date: str | None  # the day shown, YYYY-MM-DD in the site's time zone
    categories: tuple[str, ...]
    summary: str


def summary_text(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def published() -> tuple[list[Document], list[PostMeta]]:
    """Every published post, as a ``Document`` and as ``PostMeta``, in key order."""
    from blog.models import Post

    posts = (
        Post.objects.published()
        .order_by("slug")
        .prefetch_related("categories", "keywords")
        .only("slug", "title", "date", "summary", "body_html")
    )
    documents = []
    metas = []
    for post in posts:
        key = post.get_absolute_url()
        categories = tuple(sorted(c.name for c in post.categories.all()))
        keywords = tuple(sorted(k.name for k in post.keywords.all()))
        body = html_text(post.body_html)
        documents.append(
            Document(key, post.title, keywords, categories, body, digest(post.title, keywords, categories, body))
        )
        utc = post.date.astimezone(dt.UTC)
        metas.append(
            PostMeta(
                key=key,
                order=utc.isoformat(),
                url=key,
                title=post.title,
                date=timezone.localtime(post.date).date().isoformat(),
                categories=categories,
                summary=summary_text(post.summary),
            )
        )
    return documents, metas
