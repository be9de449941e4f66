"""Sync stage: make the database hold exactly the posts of the content folder.

New and changed files are rendered (Markdown cached by hash) and written,
unchanged ones are not touched, removed files delete their rows. Checks that
need every post at once (duplicate slugs, links to posts that do not exist)
run before anything is written, and their problems join the load stage's so
that a build reports them all together.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kiln.errors import ContentError, Problem
from kiln.workers import parallel_map

from . import markdown
from .content import Loaded, PostSource, decode
from .models import Category, Keyword, Post, RenderedMarkdown, category_url_form


@dataclass
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    rendered: int  # Markdown bodies rendered (not found in the cache)


def known_hashes() -> dict[str, str]:
    return dict(Post.objects.values_list("source_path", "source_hash"))


def _render_bodies(bodies: Sequence[str]) -> list[dict]:
    return [markdown.render(body).as_dict() for body in bodies]


def render_all(posts: Sequence[PostSource]) -> tuple[dict[str, RenderedMarkdown], int]:
    """Rendered Markdown for every post, from the cache or rendered now on every core."""
    keys = {post.path: markdown.cache_key(post.body) for post in posts}
    cached = {}
    wanted = list(set(keys.values()))
    for start in range(0, len(wanted), 500):
        for row in RenderedMarkdown.objects.filter(key__in=wanted[start : start + 500]):
            cached[row.key] = row
    missing = {keys[p.path]: p.body for p in posts if keys[p.path] not in cached}
    if missing:
        order = sorted(missing)
        results = parallel_map(_render_bodies, [missing[k] for k in order])
        fresh = [
            RenderedMarkdown(key=key, **{**result, "links": list(result["links"])})
            for key, result in zip(order, results, strict=True)
        ]
        RenderedMarkdown.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
        cached.update({row.key: row for row in fresh})
    return {path: cached[key] for path, key in keys.items()}, len(missing)


def _line_of(text: str, needle: str, first_line: int) -> int:
    index = text.find(needle)
    return first_line if index < 0 else first_line + text.count("\n", 0, index)


def _slug_line(source: str) -> int:
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip().lower().startswith(("slug:", "slug =", "slug=")):
            return number
    return 1


def is_published(draft: bool, date: datetime.datetime) -> bool:
    """The rule of ``Post.objects.published()``, for posts not yet in the database."""
    return (settings.KILN["DRAFTS"] or not draft) and (settings.KILN["FUTURE"] or date <= timezone.now())


def sync(loaded: Loaded, content_root: Path, shown_root: str) -> SyncReport:
    """Bring the database in line with ``loaded``; raise ContentError with every problem."""
    problems = list(loaded.problems)
    shown = lambda path: f"{shown_root.rstrip('/')}/{path}"

    rows = {
        path: (slug, links, is_published(draft, date))
        for path, slug, links, draft, date in Post.objects.values_list("source_path", "slug", "links", "draft", "date")
    }
    removed = set(rows) - loaded.seen
    rendered, render_count = render_all(loaded.changed)

    # every post that will exist: unchanged rows and changed files
    owners: dict[str, list[str]] = defaultdict(list)
    links: dict[str, Sequence[str]] = {}
    published: set[str] = set()
    for path in loaded.unchanged:
        slug, stored_links, public = rows[path]
        owners[slug].append(path)
        links[path] = stored_links
        if public:
            published.add(slug)
    changed = {post.path: post for post in loaded.changed}
    for post in loaded.changed:
        owners[post.slug].append(post.path)
        links[post.path] = rendered[post.path].links
        if is_published(post.draft, post.date):
            published.add(post.slug)

    sources: dict[str, str] = {}

    def source(path: str) -> str:
        if path not in sources:
            sources[path] = decode((content_root / path).read_bytes())
        return sources[path]

    for slug, paths in owners.items():
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(shown(p) for p in sorted(paths) if p != path)
                problems.append(
                    Problem(shown(path), _slug_line(source(path)),
                            f"slug {slug!r} is also used by {others}; give one of them another `slug:`")
                )  # fmt: skip
    for path, post_links in sorted(links.items()):
        for target in post_links:
            if target in published:
                continue
            reason = (
                "a draft or future post this build does not publish" if target in owners else "no post has that slug"
            )
            line = _line_of(source(path), f"/plog/{target}", 1)
            problems.append(
                Problem(shown(path), line, f"broken link to /plog/{target}/: {reason}; fix the slug or remove the link")
            )
    if problems:
        raise ContentError(problems)

    with transaction.atomic():
        stale = removed | (set(changed) & set(rows))
        for start in range(0, len(stale), 500):
            Post.objects.filter(source_path__in=sorted(stale)[start : start + 500]).delete()
        _insert(loaded.changed, rendered)
        Category.objects.annotate(n=Count("posts")).filter(n=0).delete()
        Keyword.objects.annotate(n=Count("posts")).filter(n=0).delete()
        if removed or changed:
            used = Post.objects.values("markdown_key")
            RenderedMarkdown.objects.exclude(key__in=used).delete()

    updated = len(set(changed) & set(rows))
    return SyncReport(
        added=len(changed) - updated,
        updated=updated,
        removed=len(removed),
        unchanged=len(loaded.unchanged),
        rendered=render_count,
    )


def _insert(posts: list[PostSource], rendered: dict[str, RenderedMarkdown]) -> None:
    if not posts:
        return
    categories = {c.key: c for c in Category.objects.all()}
    keywords = {k.name: k for k in Keyword.objects.all()}
    new_categories = {}
    for post in posts:
        for name in post.categories:
            slug = category_url_form(name)
            key = slug.casefold()
            if key not in categories and key not in new_categories:
                new_categories[key] = Category(name=name, slug=slug, key=key)
    Category.objects.bulk_create(new_categories.values(), batch_size=500)
    categories = {c.key: c for c in Category.objects.all()}
    new_keywords = {name for post in posts for name in post.keywords if name not in keywords}
    Keyword.objects.bulk_create([Keyword(name=name) for name in sorted(new_keywords)], batch_size=500)
    keywords = {k.name: k for k in Keyword.objects.all()}

    objs = []
    for post in posts:
        md = rendered[post.path]
        objs.append(
            Post(
                source_path=post.path,
                source_hash=post.source_hash,
                slug=post.slug,
                title=post.title,
                date=post.date,
                updated=post.updated,
                summary=post.summary or md.first_paragraph,
                body_html=md.html,
                markdown_key=md.key,
                toc_html=md.toc_html,
                word_count=md.word_count,
                draft=post.draft,
                aliases=post.aliases,
                links=list(md.links),
                extra=post.extra,
            )
        )
    Post.objects.bulk_create(objs, batch_size=500)
    ids = dict(Post.objects.filter(source_path__in=[p.path for p in posts]).values_list("source_path", "id"))
    through_c = Post.categories.through
    through_k = Post.keywords.through
    through_c.objects.bulk_create(
        [
            through_c(post_id=ids[post.path], category_id=categories[category_url_form(n).casefold()].id)
            for post in posts
            for n in post.categories
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    through_k.objects.bulk_create(
        [through_k(post_id=ids[post.path], keyword_id=keywords[n].id) for post in posts for n in post.keywords],
        batch_size=1000,
        ignore_conflicts=True,
    )
