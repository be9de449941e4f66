"""The published posts as search documents (plain text) and as result metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from blog.models import Category, Keyword, Post

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
    fields = ("id", "slug", "title", "date", "summary", "markdown_key")
    posts = list(Post.objects.published().order_by("slug").values_list(*fields))
    names = {
        "categories": _names(Post.categories.through, "category_id", dict(Category.objects.values_list("id", "name"))),
        "keywords": _names(Post.keywords.through, "keyword_id", dict(Keyword.objects.values_list("id", "name"))),
    }
    missing = sorted({post[-1] for post in posts} - known.keys())
    fresh = {}
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        rows = Post.objects.filter(markdown_key__in=chunk).values_list("markdown_key", "body_html")
        fresh.update((key, html_text(body)) for key, body in rows)
    used = {}
    documents = []
    metas = []
    for post_id, slug, title, date, summary_field, markdown_key in posts:
        key = reverse("post", args=[slug])
        categories = names["categories"].get(post_id, ())
        keywords = names["keywords"].get(post_id, ())
        source = known if markdown_key in known else fresh
        body = used[markdown_key] = source[markdown_key]
        summary = summary_text(summary_field)
        if summary and summary not in body:  # results show it, so it is searched too
            body = f"{summary} {body}"
        documents.append(Document(key, title, keywords, categories, body, digest(title, keywords, categories, body)))
        metas.append(
            PostMeta(
                key=key,
                order=date.astimezone(dt.UTC).isoformat(),
                url=key,
                title=title,
                date=timezone.localtime(date).date().isoformat(),
                categories=categories,
                summary=summary,
            )
        )
    return documents, metas, used


def _names(through: type, column: str, names: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """post id -> the sorted names it links to through a many-to-many table."""
    found: dict[int, list[str]] = {}
    for post_id, other in through.objects.values_list("post_id", column):
        found.setdefault(post_id, []).append(names[other])
    return {post_id: tuple(sorted(values)) for post_id, values in found.items()}
