"""Posts and their categories and keywords, as the sync stage stores them."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# whitespace, control characters, and what RFC 3986 reserves or calls unsafe in a path
# segment; a run of them (with the hyphens around it) becomes one `-`
UNSAFE = r'\s\x00-\x1f\x7f-\x9f/?#%\\"<>`{}|^\[\]'
NOT_IN_URL = re.compile(f"-*[{UNSAFE}][{UNSAFE}-]*")


@functools.lru_cache(maxsize=4096)  # a few names, used by thousands of posts
def category_url_form(name: str) -> str:
    """The one URL form of a category name: case and every safe character kept, NFC letters.

    ``Web development`` -> ``Web-development``, ``C++`` -> ``C++``, ``Café`` ->
    ``Café`` (a link percent-encodes it, the exported folder is named with the
    letter itself), ``🐍 Python`` -> ``🐍-Python``. Empty when nothing is left
    (``/``, ``..``): the sync stage refuses such a name.
    """
    text = unicodedata.normalize("NFC", name)
    return NOT_IN_URL.sub("-", text).strip("-.")


def category_key(name: str) -> str:
    """What identifies a category: its URL form without case, so that it is one folder
    even on a case-insensitive file system (``django`` and ``Django`` are one category)."""
    return category_url_form(name).casefold()


class CategoryQuerySet(models.QuerySet["Category"]):
    def with_counts(self) -> CategoryQuerySet:
        """Categories of published posts, each with ``count``, in one query."""
        published = Post.objects.published()
        return self.annotate(count=models.Count("posts", filter=models.Q(posts__in=published))).filter(count__gt=0)


class Category(models.Model):
    # the spelling most of its posts use, and its URL form (see blog.categories)
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)  # category_key()

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("category", args=[self.slug])


class Keyword(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        """What the current build publishes: no drafts or future posts unless asked."""
        qs = self
        if not settings.KILN.DRAFTS:
            qs = qs.filter(draft=False)
        if not settings.KILN.FUTURE:
            qs = qs.filter(date__lte=timezone.now())
        return qs

    def listed(self) -> PostQuerySet:
        """Published posts, newest first, with categories in one extra query."""
        return (
            self.published()
            .order_by("-date", "slug")
            .prefetch_related("categories")
            .defer("body_html", "toc_html", "source_hash", "extra", "category_names")
        )


class Post(models.Model):
    source_path = models.CharField(max_length=500, unique=True)
    source_hash = models.CharField(max_length=64)
    slug = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    date = models.DateTimeField(db_index=True)
    updated = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    body_html = models.TextField()
    markdown_key = models.CharField(max_length=64)  # RenderedMarkdown.key
    toc_html = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)
    draft = models.BooleanField(default=False)
    aliases = models.JSONField(default=list)
    links = models.JSONField(default=list)  # slugs of other posts this one links to
    extra = models.JSONField(default=dict)  # front matter fields we do not interpret
    categories = models.ManyToManyField(Category, related_name="posts")
    category_names = models.JSONField(default=list)  # as the front matter spells them, for Category.name
    keywords = models.ManyToManyField(Keyword, related_name="posts")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "slug"]
        indexes = [
            # the listing order, with `draft` so that counting published posts reads only the index
            models.Index(fields=["-date", "slug", "draft"], name="post_listing"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.slug])

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / 230))

    @property
    def meta(self) -> dict[str, Any]:
        """Unknown front matter fields, for templates: ``{{ post.meta.hero }}``."""
        return self.extra


class RenderedMarkdown(models.Model):
    """Markdown rendered once, found again by the hash of its text and renderer."""

    key = models.CharField(max_length=64, primary_key=True)
    html = models.TextField()
    toc_html = models.TextField(blank=True)
    word_count = models.PositiveIntegerField()
    first_paragraph = models.TextField(blank=True)
    links = models.JSONField(default=list)
