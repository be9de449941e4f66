"""Posts and their categories, tags and keywords, as the sync stage stores them."""

from __future__ import annotations

import datetime
import functools
import json
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from . import reversing

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


def rows(queryset: models.QuerySet, *names: str) -> list[tuple]:
    """``queryset.values_list(*names)``, its JSON fields read as text and parsed here.

    Django's JSON field converter costs several times ``json.loads`` itself, and a
    build reads tens of thousands of such values (every post's links, aliases,
    categories, tags) to change one post.
    """
    fields = {name: queryset.model._meta.get_field(name) for name in names if "__" not in name}
    parsed = [i for i, name in enumerate(names) if isinstance(fields.get(name), models.JSONField)]
    if not parsed:
        return list(queryset.values_list(*names))
    texts = {f"{names[i]}__text": Cast(names[i], models.TextField()) for i in parsed}
    selected = [f"{name}__text" if i in parsed else name for i, name in enumerate(names)]
    found = []
    for row in queryset.annotate(**texts).values_list(*selected):
        values = list(row)
        for i in parsed:
            values[i] = None if values[i] is None else json.loads(values[i])
        found.append(tuple(values))
    return found


def category_key(name: str) -> str:
    """What identifies a category: its URL form without case, so that it is one folder
    even on a case-insensitive file system (``django`` and ``Django`` are one category)."""
    return category_url_form(name).casefold()


def reversed_url(instance: models.Model, name: str, slug: str) -> str:
    """``reverse(name, args=[slug])``, kept on the instance while its slug stays: a page links to the same
    posts and terms many times (each post's categories on every listing), and reversing costs more than
    the rest of a link."""
    held = instance.__dict__.get("_reversed")
    if held is None or held[0] != (name, slug):
        held = instance.__dict__["_reversed"] = ((name, slug), reversing.url(name, [slug]))
    return held[1]


def reading_minutes(word_count: int) -> int:
    """The reading time a listing shows beside a post, in minutes (its body reaches listings through it)."""
    return max(1, round(word_count / 230))


class AsWritten(datetime.datetime):
    """A datetime that Django's ``date`` filter shows in its own offset, not converted to ``TIME_ZONE``."""

    convert_to_local_time = False  # read by django.utils.timezone.template_localtime


class TermQuerySet(models.QuerySet):
    def with_counts(self) -> TermQuerySet:
        """Categories (or tags) of published posts, each with ``count``, in one query."""
        published = Post.objects.published()
        return self.annotate(count=models.Count("posts", filter=models.Q(posts__in=published))).filter(count__gt=0)


class Term(models.Model):
    """A name that groups posts, with its own listing pages: a category or a tag.

    Both share the rules of ``blog.categories``: one URL form per name, names
    compared without case, the spelling most of its posts use shown.
    """

    # the spelling most of its posts use, and its URL form (see blog.categories)
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)  # category_key()

    objects = TermQuerySet.as_manager()
    url_name = ""  # its listing page in the page registry

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reversed_url(self, self.url_name, self.slug)


class Category(Term):
    url_name = "category"

    class Meta(Term.Meta):
        verbose_name_plural = "categories"


class Tag(Term):
    url_name = "tag"


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
            .defer("body_html", "toc_html", "source_hash", "extra", "category_names", "tag_names")
        )


class Post(models.Model):
    source_path = models.CharField(max_length=500, unique=True)
    source_hash = models.CharField(max_length=64)
    slug = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    date = models.DateTimeField(db_index=True)
    # minutes east of UTC of the offset the date was written with (the day it shows); None: KILN_TIME_ZONE's day
    utc_offset = models.IntegerField(null=True)
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
    tags = models.ManyToManyField(Tag, related_name="posts")
    tag_names = models.JSONField(default=list)  # as the front matter spells them, for Tag.name
    series = models.CharField(max_length=500, blank=True, db_index=True)  # the series' name, or empty
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
        return reversed_url(self, "post", self.slug)

    @property
    def local_date(self) -> datetime.datetime:
        """``date`` in the offset it was written in: a post dated ``2023-01-29 18:30:22 -0800`` shows 29 January,
        whatever ``KILN_TIME_ZONE`` is. Templates show it as it is (no conversion to the site's zone)."""
        if self.utc_offset is None:
            return self.date
        held = self.__dict__.get("_local_date")  # kept while date and offset stay: pages show it twice
        if held is None or held[0] != (self.date, self.utc_offset):
            zone = datetime.timezone(datetime.timedelta(minutes=self.utc_offset))
            moment = self.date.astimezone(zone)
            shown = AsWritten(*moment.timetuple()[:6], moment.microsecond, tzinfo=zone)
            held = self.__dict__["_local_date"] = ((self.date, self.utc_offset), shown)
        return held[1]

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)

    @property
    def meta(self) -> dict[str, Any]:
        """Unknown front matter fields, for templates: ``{{ post.meta.hero }}``."""
        return self.extra


class Page(models.Model):
    """A page that is not a post (about, 404, docs): published at ``url``, listed nowhere but the sitemap."""

    source_path = models.CharField(max_length=500, unique=True)
    source_hash = models.CharField(max_length=64)
    url = models.CharField(max_length=500, unique=True)  # /about/
    title = models.CharField(max_length=500)
    body_html = models.TextField()
    markdown_key = models.CharField(max_length=64)  # RenderedMarkdown.key
    extra = models.JSONField(default=dict)  # its front matter's plain fields, for templates
    aliases = models.JSONField(default=list)  # its old URLs, each redirecting to it (see blog.aliases)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def meta(self) -> dict[str, Any]:
        return self.extra


class RenderedMarkdown(models.Model):
    """Markdown rendered once, found again by the hash of its text and renderer."""

    key = models.CharField(max_length=64, primary_key=True)
    html = models.TextField()
    toc_html = models.TextField(blank=True)
    word_count = models.PositiveIntegerField()
    first_paragraph = models.TextField(blank=True)
    links = models.JSONField(default=list)
