"""The published posts as search documents (plain text) and as result metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from blog.models import Category, Keyword, Post
from core.workers import parallel_map

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


def published(
    texts: dict[str, str] | None = None,
    prepared: dict[str, list] | None = None,
    indexed: Mapping[str, str] | None = None,
) -> tuple[list[Document], list[PostMeta], dict[str, str], dict[str, list]]:
    """The published posts as ``Document`` s and every one as ``PostMeta``, in key order.

    ``prepared`` is what an earlier call made of each post's row (its URL, dates,
    summary and digest), kept while the row and the settings that shape them stay:
    a post's text is read (its HTML, from the database) only when its row changed
    or its ``Document`` is wanted. ``indexed`` (``Engine.indexed``: key -> digest)
    leaves out the documents an engine holds already as they are; without it
    every post is a ``Document``. ``texts`` maps a rendered Markdown's key
    (``Post.markdown_key``) to its plain text, from an earlier call; only the
    posts it lacks are read and converted. The last two values are the texts
    this call read and what it made of each row.
    """
    known = texts or {}
    fields = ("id", "slug", "title", "date", "summary", "markdown_key")
    posts = list(Post.objects.published().order_by("slug").values_list(*fields))
    names = {
        "categories": _names(Post.categories.through, "category_id", dict(Category.objects.values_list("id", "name"))),
        "keywords": _names(Post.keywords.through, "keyword_id", dict(Keyword.objects.values_list("id", "name"))),
    }
    stamp = [settings.TIME_ZONE, reverse("post", args=["x"])]
    before = (prepared or {}).get("", {})
    earlier = (prepared or {}) if before == stamp else {}
    made: dict[str, list] = {"": stamp}
    rows = []
    for post_id, slug, title, date, summary_field, markdown_key in posts:
        categories = names["categories"].get(post_id, ())
        keywords = names["keywords"].get(post_id, ())
        row = [title, date.isoformat(), summary_field, markdown_key, list(categories), list(keywords)]
        held = earlier.get(slug)
        rows.append((slug, date, keywords, categories, row, held if held is not None and held[0] == row else None))
    # the texts needed: a changed row's (for its digest), then each Document's
    used = _texts({row[3] for *_, row, held in rows if held is None}, known)
    metas = []
    wanted = []
    for slug, date, keywords, categories, row, held in rows:
        title, _date, summary_field, markdown_key = row[:4]
        if held is None:
            key = reverse("post", args=[slug])
            summary = summary_text(summary_field)
            body = _body(summary, used[markdown_key])
            order = date.astimezone(dt.UTC).isoformat()
            day = timezone.localtime(date).date().isoformat()
            held = [row, key, summary, order, day, digest(title, keywords, categories, body)]
        made[slug] = held
        _row, key, summary, order, day, post_digest = held
        metas.append(PostMeta(key, order, key, title, day, categories, summary))
        if indexed is None or indexed.get(key) != post_digest:
            wanted.append((key, title, keywords, categories, summary, markdown_key, post_digest))
    used.update(_texts({markdown_key for *_, markdown_key, _digest in wanted} - used.keys(), known))
    documents = [
        Document(key, title, keywords, categories, _body(summary, used[markdown_key]), post_digest)
        for key, title, keywords, categories, summary, markdown_key, post_digest in wanted
    ]
    return documents, metas, used, made


def _body(summary: str, text: str) -> str:
    """What is searched of a post: its text, with the summary in front when the text lacks it (results show it)."""
    return f"{summary} {text}" if summary and summary not in text else text


def _texts(markdown_keys: set[str], known: Mapping[str, str]) -> dict[str, str]:
    """The plain text of each rendered Markdown named, from ``known`` or else from its HTML in the database."""
    found = {key: known[key] for key in markdown_keys if key in known}
    missing = sorted(markdown_keys - found.keys())
    # on every core, in small slices (a ``done``): less of the texts is pickled at once
    found.update(zip(missing, parallel_map(_read_texts, missing, 250, lambda _n: None), strict=True))
    return found


def _read_texts(markdown_keys: Sequence[str]) -> list[str]:
    """The plain text of each rendered Markdown named (a worker's share: it reads the HTML itself)."""
    found = {}
    for start in range(0, len(markdown_keys), 500):
        chunk = markdown_keys[start : start + 500]
        rows = Post.objects.filter(markdown_key__in=chunk).values_list("markdown_key", "body_html")
        found.update((key, html_text(body)) for key, body in rows)
    return [found[key] for key in markdown_keys]


def _names(through: type, column: str, names: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """post id -> the sorted names it links to through a many-to-many table."""
    found: dict[int, list[str]] = {}
    for post_id, other in through.objects.values_list("post_id", column):
        found.setdefault(post_id, []).append(names[other])
    return {post_id: tuple(sorted(values)) for post_id, values in found.items()}
