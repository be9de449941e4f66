"""The published posts as search documents (plain text) and as result metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass

from django.utils import timezone

from blog.models import Post

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


def published(texts: dict[str, str] | None = None) -> tuple[list[Document], list[PostMeta], dict[str, str]]:
    """Every published post, as a ``Document`` and as ``PostMeta``, in key order.

    ``texts`` maps a rendered Markdown's key (``Post.markdown_key``) to its plain
    text, from an earlier call; only the posts it lacks are read and converted.
    The third value is that map for the posts of this call.
    """
    known = texts or {}
    posts = list(
        Post.objects.published()
        .order_by("slug")
        .prefetch_related("categories", "keywords")
        .only("slug", "title", "date", "summary", "markdown_key")
    )
    missing = sorted({post.markdown_key for post in posts} - known.keys())
    fresh = {}
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        rows = Post.objects.filter(markdown_key__in=chunk).values_list("markdown_key", "body_html")
        fresh.update((key, html_text(body)) for key, body in rows)
    used = {}
    documents = []
    metas = []
    for post in posts:
        key = post.get_absolute_url()
        categories = tuple(sorted(c.name for c in post.categories.all()))
        keywords = tuple(sorted(k.name for k in post.keywords.all()))
        source = known if post.markdown_key in known else fresh
        body = used[post.markdown_key] = source[post.markdown_key]
        documents.append(
            Document(key, post.title, keywords, categories, body, digest(post.title, keywords, categories, body))
        )
        metas.append(
            PostMeta(
                key=key,
                order=post.date.astimezone(dt.UTC).isoformat(),
                url=key,
                title=post.title,
                date=timezone.localtime(post.date).date().isoformat(),
                categories=categories,
                summary=summary_text(post.summary),
            )
        )
    return documents, metas, used
