"""Sync stage: make the database hold exactly the posts of the content folder.

New and changed files are rendered (Markdown cached by hash) and written,
unchanged ones are not touched, removed files delete their rows. Checks that
need every post at once run before anything is written: duplicate slugs
(without case), links to posts that do not exist, category names that would
share a URL, aliases that cannot be written. Their problems join the load
stage's so that a build reports them all together.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core import permalinks
from core.errors import ContentError, Problem
from core.workers import parallel_map

from . import aliases, categories, markdown, math, models, registry, relative, shortcodes, standalone
from .content import Loaded, PostSource, decode
from .excerpts import excerpt
from .layout import BUNDLE_INDEX, bundle_folder, is_markdown
from .lines import first_line
from .models import Keyword, Page, Post, RenderedMarkdown, category_key, category_url_form

# a `slug:` (YAML, Pelican) or `slug =` (TOML) line, or one giving the post its own URL, for messages about it
SLUG_FIELD = re.compile(r"^[^\S\n]*(?:slug|url|path|permalink)(?::| ?=)", re.I | re.M)
SHOWN_OTHERS = 3  # files named in a duplicate slug's message; the rest are counted


@dataclass
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    rendered: int  # Markdown bodies rendered (not found in the cache)
    warnings: list[Problem] = field(default_factory=list)  # broken links, when KILN_BROKEN_LINKS is warn
    warned_urls: set[str] = field(default_factory=set)  # where those links lead in the pages: not warned again


def known_hashes() -> dict[str, str]:
    return dict(Post.objects.values_list("source_path", "source_hash"))


def _render_bodies(bodies: Sequence[tuple[str, dict, str]]) -> list[dict]:
    results = []
    for body, params, source in bodies:
        try:
            results.append(markdown.render(body, params, source).as_dict())
        except shortcodes.TemplateFailed as failed:
            results.append({"failed": failed.name, "message": str(failed)})
    return results


def _failures(
    posts: Sequence[PostSource], keys: dict[str, str], failed: dict[str, dict], shown: Callable[[str], str]
) -> list[Problem]:
    """A problem for each post whose shortcode template failed, at the line of its first call of it."""
    problems = []
    for post in posts:
        failure = failed.get(keys[post.path])
        if failure is not None:
            starts = [s for s, call in markdown.shortcodes_outside_code(post.body) if call["name"] == failure["failed"]]
            line = post.body_line + (post.body.count("\n", 0, starts[0]) if starts else 0)
            problems.append(Problem(shown(post.path), line, failure["message"]))
    return problems


def render_all(
    posts: Sequence[PostSource], shown: Callable[[str], str] = str
) -> tuple[dict[str, RenderedMarkdown], int]:
    """Rendered Markdown for every post, from the cache or rendered now on every core.

    Raise ContentError naming each post whose shortcode template failed (the site owner's code).
    """
    params = {post.path: markdown.page_params(post) for post in posts}
    keys = {post.path: markdown.cache_key(post.body, params[post.path], post.path) for post in posts}
    cached = {}
    wanted = list(set(keys.values()))
    for start in range(0, len(wanted), 500):
        for row in RenderedMarkdown.objects.filter(key__in=wanted[start : start + 500]):
            cached[row.key] = row
    missing = {keys[p.path]: (p.body, params[p.path], p.path) for p in posts if keys[p.path] not in cached}
    if missing:
        order = sorted(missing)
        results = parallel_map(_render_bodies, [missing[k] for k in order])
        failed = {key: result for key, result in zip(order, results, strict=True) if "failed" in result}
        if failed:
            raise ContentError(_failures(posts, keys, failed, shown))
        # every formula of the build typeset by one KaTeX run
        for result, typeset in zip(results, math.typeset([r["html"] for r in results]), strict=True):
            result["html"] = typeset
        fresh = [
            RenderedMarkdown(key=key, **{**result, "links": list(result["links"])})
            for key, result in zip(order, results, strict=True)
        ]
        RenderedMarkdown.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
        cached.update({row.key: row for row in fresh})
    return {path: cached[key] for path, key in keys.items()}, len(missing)


def page_key(page: standalone.PageSource, params: dict) -> str:
    """The Markdown cache's key of a page's HTML; a Jekyll ``.html`` page's differs from Markdown's."""
    key = markdown.cache_key(page.body, params)
    return hashlib.sha256(f"jekyll html\0{key}".encode()).hexdigest() if standalone.is_html(page.path) else key


def render_page(page: standalone.PageSource, params: dict) -> dict:
    """A page's HTML: a Jekyll ``.html`` page's body through Liquid only, as Jekyll renders it; any other's
    as Markdown."""
    if not standalone.is_html(page.path):
        return markdown.render(page.body, params).as_dict()
    html = markdown.with_liquid(page.body, params)[0]
    return markdown.Rendered(html=html, toc_html="", word_count=0, first_paragraph="", links=()).as_dict()


def save_pages(pages: Sequence[standalone.PageSource]) -> None:
    """Make the Page table hold exactly ``pages``, rendered (from the Markdown cache when it has them).

    Nothing is written when the pages are the ones stored, so their rows, and their fingerprints, stay.
    """
    params = {page.path: {"title": page.title, **page.extra} for page in pages}
    keys = {page.path: page_key(page, params[page.path]) for page in pages}
    wanted = {(p.path, p.source_hash, p.url, p.title, keys[p.path], tuple(p.aliases)) for p in pages}
    stored = {
        (*row[:-1], tuple(row[-1]))
        for row in Page.objects.values_list("source_path", "source_hash", "url", "title", "markdown_key", "aliases")
    }
    if wanted == stored:
        return
    cached = {row.key: row for row in RenderedMarkdown.objects.filter(key__in=set(keys.values()))}
    fresh = []
    for page in pages:
        key = keys[page.path]
        if key not in cached:
            result = render_page(page, params[page.path])
            result["html"] = math.typeset([result["html"]])[0]
            cached[key] = RenderedMarkdown(key=key, **{**result, "links": list(result["links"])})
            fresh.append(cached[key])
    with transaction.atomic():
        RenderedMarkdown.objects.bulk_create(fresh, ignore_conflicts=True)
        Page.objects.all().delete()
        Page.objects.bulk_create(
            Page(source_path=p.path, source_hash=p.source_hash, url=p.url, title=p.title, extra=p.extra,
                 body_html=cached[keys[p.path]].html, markdown_key=keys[p.path], aliases=p.aliases)
            for p in sorted(pages, key=lambda page: page.url)
        )  # fmt: skip


def _link_line(text: str, slug: str) -> int:
    """The line of a link to /plog/<slug>/: written out, or as a Jekyll/Hugo tag naming the post."""
    tag = re.compile(r"\{[%{][^\n]*?" + re.escape(slug) + r"[^\n]*?[%}]\}")
    return first_line(text, markdown.post_url(slug).rstrip("/")) or first_line(text, tag) or 1


def _slug_line(source: str) -> int:
    return first_line(source, SLUG_FIELD) or 1


def is_published(draft: bool, date: datetime.datetime) -> bool:
    """The rule of ``Post.objects.published()``, for posts not yet in the database."""
    return (settings.KILN.DRAFTS or not draft) and (settings.KILN.FUTURE or date <= timezone.now())


@dataclass
class Stored:
    """What the checks need of a post that will exist, stored or about to be."""

    slug: str
    links: Sequence[str]
    published: bool
    aliases: Sequence[str]
    categories: Sequence[str]  # as the front matter spells them
    tags: Sequence[str]  # as the front matter spells them


def sync(loaded: Loaded, content_root: Path, shown_root: str) -> SyncReport:
    """Bring the database in line with ``loaded``; raise ContentError with every problem."""
    shown = lambda path: f"{shown_root.rstrip('/')}/{path}"
    columns = ("source_path", "slug", "links", "draft", "date", "aliases", "category_names", "tag_names")
    rows = {
        path: Stored(slug, links, is_published(draft, date), aliases, names, tags)
        for path, slug, links, draft, date, aliases, names, tags in models.rows(Post.objects.all(), *columns)
    }
    removed = set(rows) - loaded.seen
    # links by file name go to the real URL of a post that is elsewhere than its name says
    keys = {path: rows[path].slug for path in loaded.unchanged} | {post.path: post.slug for post in loaded.changed}
    relative.moved = relative.moved_keys(keys, markdown.file_key)
    try:
        rendered, render_count = render_all(loaded.changed, shown)
    except ContentError as failed:  # with the problems the load found, all in one list
        raise ContentError([*loaded.problems, *failed.problems]) from None
    changed = {post.path: post for post in loaded.changed}

    # every post that will exist: unchanged rows and changed files
    posts = {path: rows[path] for path in loaded.unchanged}
    for post in loaded.changed:
        posts[post.path] = Stored(
            post.slug,
            rendered[post.path].links,
            is_published(post.draft, post.date),
            post.aliases,
            categories.spellings(post.categories),
            categories.spellings(post.tags),
        )

    sources: dict[str, str] = {}

    def source(path: str) -> str:
        if path not in sources:
            sources[path] = decode((content_root / path).read_bytes())
        return sources[path]

    plan = categories.plan({path: post.categories for path, post in posts.items()}, source, shown)
    tag_plan = categories.plan({path: post.tags for path, post in posts.items()}, source, shown, categories.TAGS)
    problems = [*loaded.problems, *plan.problems, *tag_plan.problems, *_slug_problems(posts, source, shown)]
    broken, broken_urls = _link_problems(posts, source, shown, content_root)
    warned = broken if settings.KILN.BROKEN_LINKS == "warn" else []
    problems += [] if warned else broken
    problems += _page_problems(posts, plan.names, tag_plan.names, content_root, source, shown, loaded.pages)
    problems += standalone.duplicate_urls(loaded.pages, shown_root.rstrip("/"))
    if problems:
        raise ContentError(problems)
    save_pages(loaded.pages)

    stale = removed | (set(changed) & set(rows))
    if stale or changed:
        with transaction.atomic():
            for start in range(0, len(stale), 500):
                Post.objects.filter(source_path__in=sorted(stale)[start : start + 500]).delete()
            category_ids = categories.save(plan.names)
            tag_ids = categories.save(tag_plan.names, categories.TAGS)
            _insert(loaded.changed, posts, rendered, category_ids, tag_ids)
            Keyword.objects.annotate(n=Count("posts")).filter(n=0).delete()
            used = Post.objects.values("markdown_key")
            RenderedMarkdown.objects.exclude(key__in=used).exclude(key__in=Page.objects.values("markdown_key")).delete()

    updated = len(set(changed) & set(rows))
    return SyncReport(
        added=len(changed) - updated,
        updated=updated,
        removed=len(removed),
        unchanged=len(loaded.unchanged),
        rendered=render_count,
        warnings=warned,
        warned_urls=broken_urls if warned else set(),
    )


def _slug_problems(
    posts: dict[str, Stored], source: Callable[[str], str], shown: Callable[[str], str]
) -> list[Problem]:
    """Two posts on one slug, compared without case: on a case-insensitive file
    system ``Hello`` and ``hello`` write one file."""
    owners: dict[str, list[str]] = defaultdict(list)
    for path, post in posts.items():
        owners[post.slug.casefold()].append(path)
    problems = []
    for paths in owners.values():
        for path in paths if len(paths) > 1 else ():
            slug = posts[path].slug
            others = [
                shown(p) + ("" if posts[p].slug == slug else f" (as {posts[p].slug!r})")
                for p in sorted(paths)
                if p != path
            ]
            more = len(others) - SHOWN_OTHERS
            others = ", ".join(others[:SHOWN_OTHERS]) + (f" and {more} other files" if more > 0 else "")
            problems.append(
                Problem(shown(path), _slug_line(source(path)),
                        f"slug {slug!r} is also used by {others}; give one of them another `slug:`")
            )  # fmt: skip
    return problems


def _link_problems(
    posts: dict[str, Stored], source: Callable[[str], str], shown: Callable[[str], str], content_root: Path
) -> tuple[list[Problem], set[str]]:
    """Links to posts that this build does not write, and relative links to files the content folder lacks,
    from the posts it publishes; and the URLs those links lead to in the rendered pages.

    A draft's links are checked by the build that publishes it (``--drafts``, ``serve``).
    """
    slugs = {post.slug for post in posts.values()}
    published = {post.slug for post in posts.values() if post.published}
    # a published leaf bundle's files are published beside its post: its URL -> its folder
    bundles = {
        markdown.post_url(post.slug): folder
        for path, post in posts.items()
        if post.published and (folder := bundle_folder(path)) is not None
    }
    # a link to an old URL of a published post (its alias: Hugo's `x.html`) reaches it through the redirect
    redirected = {alias for post in posts.values() if post.published for alias in post.aliases}
    problems = []
    urls = set()  # where the broken links lead in the rendered pages
    for path in sorted(posts):
        if not posts[path].published:
            continue
        reported = set()  # URLs of relative links reported broken: their post is not said missing again
        page_url = markdown.post_url(posts[path].slug)
        for target in sorted(posts[path].links, key=lambda t: not t.startswith(relative.MARK)):  # relative first
            if target.startswith(relative.MARK):
                link = relative.Relative.from_entry(target)
                problem = _relative_problem(link, content_root, page_url, bundles)
                if problem is not None:
                    line = first_line(source(path), problem[0]) or 1
                    problems.append(Problem(shown(path), line, problem[1]))
                    as_written = relative.climbs_out(link.path) and not is_markdown(link.path)  # left so in the HTML
                    lead = (
                        relative.from_page(link.written, page_url)
                        if as_written
                        else relative.published_url(link.path, markdown.post_link)
                    )
                    reported.add(lead)
                    urls.add(lead)
                continue
            url = markdown.post_url(target)
            if target in published or url in reported or url in redirected or url[:-1] in redirected:
                continue
            reason = (
                "a draft or future post this build does not publish" if target in slugs else "no post has that slug"
            )
            line = _link_line(source(path), target)
            urls.add(url)
            problems.append(
                Problem(
                    shown(path),
                    line,
                    f"broken link to {url}: {reason}; fix the slug or remove the link",
                )
            )
    return problems, urls


def _relative_problem(
    link: relative.Relative, content_root: Path, page_url: str, bundles: dict[str, str]
) -> tuple[str, str] | None:
    """(text to find the line by, message) when the relative ``link`` names no file of the content folder;
    one that climbs out of it is resolved from the post's URL ``page_url`` instead, as a browser does, and
    passes when that names a published file (``bundles``: a published bundle's URL -> its folder)."""
    if relative.climbs_out(link.path):
        if not is_markdown(link.path) and _published_file(
            relative.from_page(link.written, page_url), content_root, bundles
        ):
            return None
        return link.written, (
            f"broken relative link {link.written}: it climbs out of the content folder, and from the post's URL "
            f"{page_url} it names {relative.from_page(link.written, page_url)}, which the site does not publish"
        )
    if not (content_root / link.path).exists():
        kind = "post" if is_markdown(link.path) else "file"
        return link.written, (
            f"broken relative link {link.written}: no {kind} {link.path} in the content folder "
            "(relative links start from the post's own file)"
        )
    return None


def _published_file(url: str, content_root: Path, bundles: dict[str, str]) -> bool:
    """Whether the site path ``url`` is a content file the build publishes: one beside a bundle's post, or a
    file outside any bundle at its own path."""
    parts = url.strip("/").split("/")
    if not all(parts) or ".." in parts:
        return False
    for cut in range(len(parts) - 1, 0, -1):
        folder = bundles.get("/" + "/".join(parts[:cut]) + "/")
        if folder is not None:
            return (content_root / folder / "/".join(parts[cut:])).is_file()
    in_bundle = any(
        (content_root.joinpath(*parts[:cut]) / name).is_file() for cut in range(1, len(parts)) for name in BUNDLE_INDEX
    )
    return content_root.joinpath(*parts).is_file() and not in_bundle


def _page_problems(
    posts: dict[str, Stored],
    names: dict[str, str],
    tag_names: dict[str, str],
    content_root: Path,
    source: Callable[[str], str],
    shown: Callable[[str], str],
    standalone_pages: Sequence[standalone.PageSource] = (),
) -> list[Problem]:
    """Posts whose URL is another page's (a permalink pattern under ``/``, an own ``url:``), and aliases of
    published posts and of the pages that are not posts (``standalone_pages``) that cannot be written (see
    ``aliases.problems``)."""
    public = {path: post for path, post in posts.items() if post.published}
    writers = [(path, alias) for path, post in public.items() for alias in post.aliases]
    writers += [(page.path, alias) for page in standalone_pages for alias in page.aliases]
    if not writers and settings.KILN.PERMALINK == permalinks.DEFAULT:
        return []  # posts live below /plog/, where no other page is

    def forms(names: dict[str, str], counts: Counter[str]) -> dict[str, int]:
        return {category_url_form(names[key]): count for key, count in counts.items() if key in names}

    counts = Counter(category_key(name) for post in public.values() for name in post.categories)
    tag_counts = Counter(category_key(name) for post in public.values() for name in post.tags)
    clashes: list = []
    pages = registry.planned(
        {post.slug: path for path, post in public.items()}, forms(names, counts), forms(tag_names, tag_counts), clashes
    )
    problems = []
    for (uri, owner), (other, other_owner) in clashes:
        path, message_uri, message_other = (other_owner, other, uri) if other_owner else (owner, uri, other)
        if path is not None:
            problems.append(
                Problem(
                    shown(path),
                    _slug_line(source(path)),
                    f"the post's URL {message_uri} writes the same file as the page {message_other}; "
                    "give the post another slug, or change KILN_PERMALINK",
                )
            )
    # the pages about to be written, not those the database holds from the last build
    stored_pages = set(Page.objects.values_list("source_path", flat=True))
    pages = {file: page for file, page in pages.items() if page[1] not in stored_pages}
    pages |= {aliases.output_file(page.url).casefold(): (page.url, page.path) for page in standalone_pages}
    return problems + aliases.problems(writers, pages, content_root, shown)


def _insert(
    posts: list[PostSource],
    stored: dict[str, Stored],
    rendered: dict[str, RenderedMarkdown],
    category_ids: dict[str, int],
    tag_ids: dict[str, int],
) -> None:
    if not posts:
        return
    keywords = {k.name: k for k in Keyword.objects.all()}
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
                utc_offset=post.utc_offset,
                updated=post.updated,
                summary=excerpt(post.summary, md.html, md.first_paragraph),
                body_html=md.html,
                markdown_key=md.key,
                toc_html=md.toc_html,
                word_count=md.word_count,
                draft=post.draft,
                aliases=post.aliases,
                links=list(md.links),
                extra=post.extra,
                category_names=list(stored[post.path].categories),
                tag_names=list(stored[post.path].tags),
                series=post.series,
            )
        )
    Post.objects.bulk_create(objs, batch_size=500)
    ids = dict(Post.objects.filter(source_path__in=[p.path for p in posts]).values_list("source_path", "id"))
    for relation, term_ids in (("categories", category_ids), ("tags", tag_ids)):
        through = getattr(Post, relation).through
        column = f"{Post._meta.get_field(relation).related_model._meta.model_name}_id"  # category_id, tag_id
        through.objects.bulk_create(
            [
                through(post_id=ids[post.path], **{column: term_ids[category_key(name)]})
                for post in posts
                for name in getattr(stored[post.path], relation)
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
    through_k = Post.keywords.through
    through_k.objects.bulk_create(
        [through_k(post_id=ids[post.path], keyword_id=keywords[n].id) for post in posts for n in post.keywords],
        batch_size=1000,
        ignore_conflicts=True,
    )
