"""Load stage: walk the content folder and turn each file into a validated post.

Nothing here touches the database or Django's settings: the loader is given
what it needs (the time zone, which files are already known by their hash)
and returns posts plus every problem it found, so that a build reports all
of them at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core import permalinks
from core.errors import Problem

from . import dating, frontmatter, hugo_config, project, relative, rst, scan, standalone, text_checks, urls
from .generator import Generator, absolute_alias, main_section, section, source_generator
from .layout import (
    SECTION_INDEX,
    bundle_folder,
    bundles_in,
    in_drafts,
    is_markdown,
    is_post,
    jekyll_html_page,
    jekyll_site,
    visible_files,
)
from .lines import line_at

DEFAULT_MAX_SIZE = 5_000_000  # bytes; KILN_MAX_POST_SIZE
# a file changed this shortly before the load that remembered its facts is read again: edited once more within
# the file system's clock tick, it may keep its stat (git's "racily clean" files; see kiln.quick)
RACY_NANOSECONDS = 1_000_000_000
REMEMBERED_VERSION = 1
DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
# letters, digits, `_`, `-` and `.`, not starting with a dot: one path segment
# that cannot climb out of /plog/ or hide as a dotfile
SLUG = re.compile(r"^\w[\w.-]*$")
DATE_TEXT = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
# Jekyll's plural lists may be one string of space-separated names (`tags: jekyll update`)
SPACE_LISTS = ("categories", "tags")
# keys we interpret; everything else is kept in ``extra`` for templates
KNOWN = {
    "title", "date", "updated", "lastmod", "modified", "categories", "category",
    "tags", "taxonomies", "keywords", "summary", "description", "slug", "draft",
    "published", "aliases", "redirect_from", "layout", "series",
}  # fmt: skip


@dataclass
class PostSource:
    """A post as its file describes it, validated and normalised."""

    path: str  # relative to the content folder, with forward slashes
    source_hash: str
    title: str
    date: dt.datetime
    slug: str
    body: str
    body_line: int
    updated: dt.datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    series: str = ""
    keywords: list[str] = field(default_factory=list)
    summary: str = ""
    draft: bool = False
    aliases: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # found while reading its fields

    @property
    def utc_offset(self) -> int | None:
        """Minutes east of UTC of the offset the date was written with (``-0800``: -480), whose day it shows;
        None for a date without one, or in UTC (``Z``), which shows the day in ``KILN_TIME_ZONE``."""
        offset = self.date.utcoffset() if isinstance(self.date.tzinfo, dt.timezone) else None
        return int(offset.total_seconds() // 60) if offset else None


@dataclass(frozen=True)
class Facts:
    """What the load stage needs of a post file's bytes besides parsing them: their hash, whether they say
    ``layout: page`` (see :func:`blog.standalone.is_page`), link to posts by file name, or name their own URL
    or date (see :func:`blog.relative.move_marks`)."""

    sha256: str
    says_page: bool
    linking: bool
    own_url: bool
    date_field: bool

    @classmethod
    def of(cls, raw: bytes, rel: str) -> Facts:
        own_url, date_field = relative.move_marks(raw, rel)
        linking = relative.links_by_file_name(raw.decode("utf-8", "replace"))
        return cls(hashlib.sha256(raw).hexdigest(), standalone.says_page(raw), linking, own_url, date_field)


# a file's size, mtime, ctime (ns) and inode: when they are the ones remembered, so are its bytes
Stat = tuple[int, int, int, int]


def stat_of(info: os.stat_result) -> Stat:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


@dataclass
class Remembered:
    """The facts of each post file as the last load found them (by its path: its stat, its facts), and when
    that load started (ns): a file changed within RACY_NANOSECONDS before it is not trusted by its stat."""

    started: int = 0
    files: dict[str, tuple[Stat, Facts]] = field(default_factory=dict)

    def trusted(self, rel: str, now: Stat) -> Facts | None:
        """The facts remembered of the file at ``rel`` when its stat is ``now``'s and was not racy then."""
        found = self.files.get(rel)
        if found is None or found[0] != now or max(now[1], now[2]) >= self.started - RACY_NANOSECONDS:
            return None
        return found[1]

    @classmethod
    def read(cls, path: Path) -> Remembered:
        """What :meth:`write` left at ``path``; nothing remembered when it is missing or not of this format."""
        try:
            data = json.loads(path.read_text())
            if data.get("version") != REMEMBERED_VERSION:
                return cls()
            files = {
                rel: ((size, mtime, ctime, ino), Facts(sha, *(bool(flag) for flag in flags)))
                for rel, (size, mtime, ctime, ino, sha, *flags) in data["files"].items()
            }
            return cls(int(data["started"]), files)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()

    def write(self, path: Path) -> None:
        files = {
            rel: [*now, facts.sha256, facts.says_page, facts.linking, facts.own_url, facts.date_field]
            for rel, (now, facts) in sorted(self.files.items())
        }
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_text(json.dumps({"version": REMEMBERED_VERSION, "started": self.started, "files": files}))
        part.replace(path)


@dataclass
class Loaded:
    """What the load stage found: new or changed posts, and everything else."""

    changed: list[PostSource]
    unchanged: set[str]  # paths whose hash matches what the database holds
    problems: list[Problem]
    seen: set[str]  # every path read, valid or not
    warnings: dict[str, list[Problem]] = field(default_factory=dict)  # for changed paths
    pages: list[standalone.PageSource] = field(default_factory=list)  # not posts: read on every build
    visible: list[Path] = field(default_factory=list)  # every file of the folder (``layout.visible_files``)
    remembered: Remembered = field(default_factory=Remembered)  # for the next load: the post files' facts


def content_files(root: Path, ignore: Sequence[str] = (), visible: Sequence[Path] | None = None) -> list[Path]:
    """Every post file under ``root`` in a stable order: its Markdown files (``.md``, ``.markdown``).

    Hidden files and folders are skipped, and so are Hugo's and Zola's section
    files (``_index.md``), which describe a section and are not posts, and a
    leaf bundle's Markdown files other than its index, which Hugo calls page
    resources (``posts/my-trip/notes.md`` beside ``posts/my-trip/index.md``). ``visible`` is
    ``visible_files(root, ignore)`` when the caller has it already.
    """
    found = [(path, scan.rel_path(root, path)) for path in _visible(root, ignore, visible)]
    bundles = bundles_in(root, (rel for _, rel in found))
    return [path for path, rel in found if is_markdown(rel) and is_post(rel, bundles)]


def section_files(root: Path, ignore: Sequence[str] = (), visible: Sequence[Path] | None = None) -> list[Path]:
    """Hugo's and Zola's section files below the top (``posts/_index.md``): pages when they have a body."""
    return [
        path
        for path in _visible(root, ignore, visible)
        if path.name.lower() in SECTION_INDEX and path.parent != root and not in_drafts(scan.rel_path(root, path))
    ]


def _visible(root: Path, ignore: Sequence[str], visible: Sequence[Path] | None) -> Iterable[Path]:
    return visible_files(root, ignore) if visible is None else visible


def file_stem(rel: str) -> str:
    """The name a post's path gives it: a leaf bundle's folder, else the file name without its Markdown extension.

    ``posts/my-trip/index.md`` is ``my-trip``; ``2020-01-02-hello.md`` is
    ``2020-01-02-hello`` (:func:`path_slug` drops the date).
    """
    bundle = bundle_folder(rel)
    name = bundle.rpartition("/")[2] if bundle else rel.rpartition("/")[2]
    return name.rsplit(".", 1)[0] if not bundle and is_markdown(name) else name


def path_slug(rel: str) -> str:
    """The slug of the post at ``rel`` when its front matter sets none: its stem without a date prefix."""
    stem = file_stem(rel)
    prefix = DATE_PREFIX.match(stem)
    return unicodedata.normalize("NFC", prefix.group(4) if prefix else stem)


def safe_slug(slug: str) -> str:
    """``slug`` when it is a safe URL segment, else slugified as its generator would (see :func:`slugify`)."""
    return slug if SLUG.match(slug) and ".." not in slug else slugify(slug)


# what a post's body holds that deserves a warning: (line in the body, message)
BodyChecks = Callable[[str], list[tuple[int, str]]]


def none(body: str) -> list[tuple[int, str]]:
    return []


def load(
    root: Path,
    known: Mapping[str, str],
    tz: ZoneInfo,
    shown_root: str,
    max_size: int = DEFAULT_MAX_SIZE,
    body_checks: BodyChecks | None = None,
    ignore: Sequence[str] = (),
    page_patterns: Sequence[str] = (),
    permalink: str = permalinks.DEFAULT,
    remembered: Remembered | None = None,
) -> Loaded:
    """Read every file under ``root``; parse only those whose hash is not in ``known``.

    ``known`` maps a relative path to the hash the database holds for it.
    ``shown_root`` is how problems name the folder (``content/post.md``).
    A post file over ``max_size`` bytes is refused unread, and so is anything
    :mod:`blog.scan` refuses (a FIFO, a link out of the folder...). Files
    that ``ignore`` matches (``KILN_IGNORE``) are not posts, and pages that
    are not posts (:mod:`blog.standalone`; ``page_patterns`` is ``KILN_PAGES``)
    go to ``pages``. ``permalink`` is the posts' URL pattern (see :mod:`blog.urls`). A post file whose
    stat is the one ``remembered`` holds (the previous load's ``Loaded.remembered``) is not read, unless its
    hash is not in ``known``: its facts are the remembered ones.
    """
    started = time.time_ns()
    remembered = remembered or Remembered()
    is_section = urls.section_folders(root, (*ignore, *page_patterns))
    found = list(scan.entries(root))  # the one walk of the folder: what it refuses, posts, sections
    refused, skipped = scan.report(root, shown_root, found)
    visible = list(visible_files(root, ignore, found))
    result = Loaded([], set(), refused, set(), warnings=skipped, visible=visible, remembered=Remembered(started))
    dates = dating.FileDates(root)
    jekyll = jekyll_site(root)
    hugo = hugo_config.read(root)
    hugo_project = project.hugo_config(root) is not None
    files = []  # each post's file, before the hash of its links by file name is known
    for path in content_files(root, ignore, visible):
        rel = scan.rel_path(root, path)
        shown = f"{shown_root.rstrip('/')}/{rel}"
        try:
            now: Stat | None = stat_of(path.stat())
        except OSError:
            now = None
        facts = remembered.trusted(rel, now) if now is not None and now[0] <= max_size else None
        raw, problem = (None, None) if facts is not None else read_post(path, max_size)  # None: not read
        if raw is not None and problem is None:
            facts = Facts.of(raw, rel)
        a_page = facts is not None and standalone.is_page(rel, facts.says_page, jekyll, page_patterns, hugo_project)
        if a_page and raw is None:  # a page is read on every build
            raw, problem = read_post(path, max_size)
        if a_page and raw is not None and problem is None:
            try:
                page, problems = standalone.parse_page(rel, decode(raw), hashlib.sha256(raw).hexdigest(), shown)
            except UnicodeDecodeError as exc:
                not_utf8 = Problem(shown, line_at(raw, exc.start), "the file is not UTF-8; save it as UTF-8")
                page, problems = None, [not_utf8]
            result.problems.extend(problems)
            result.pages += [page] if page is not None else []
            continue
        result.seen.add(rel)
        if problem is not None:
            result.problems.append(Problem(shown, None, problem))
            continue
        if now is not None and max(now[1], now[2]) < started - RACY_NANOSECONDS:
            result.remembered.files[rel] = (now, facts)
        hashed = hashlib.sha256(facts.sha256.encode())
        mtime = None
        if in_drafts(rel):
            # a Jekyll draft without a date is dated by its file's mtime: a touch is a change
            mtime = path.stat().st_mtime
            hashed.update(f"\0mtime {int(mtime)}".encode())
        # what the post's URL depends on besides its file: a change publishes it elsewhere
        if permalink != permalinks.DEFAULT:
            hashed.update(f"\0permalink {permalink}".encode())
        if is_section(section(rel)):
            hashed.update(b"\0in a section")
        if is_section(section(rel), "hugo"):  # a Hugo post's sections: the main one depends on the others
            hashed.update(b"\0in a Hugo section")
        if hugo is not None:  # the URL Hugo gave it, redirected from
            hashed.update(f"\0hugo {hugo.digest()}".encode())
        files.append((path, rel, shown, raw, hashed, mtime, facts))
    # a post's links by file name depend on where the posts they name are (see blog.relative.moved)
    if any(facts.linking for *_, facts in files):
        dated = any(f"{{{part}}}" in permalink for part in ("year", "month", "day"))
        movers = [(rel, h.hexdigest()) for _, rel, _, _, h, _, f in files if f.own_url or (dated and f.date_field)]
        salt = relative.link_salt(movers, permalink, main_section(root, (*ignore, *page_patterns)))
    for path, rel, shown, raw, hashed, mtime, facts in files:
        if facts.linking:
            hashed.update(salt)
        digest = hashed.hexdigest()
        if known.get(rel) == digest:
            result.unchanged.add(rel)
            continue
        if raw is None:  # trusted by its stat, but the database lacks its hash: read it after all
            raw, problem = read_post(path, max_size)
            if problem is not None:
                result.problems.append(Problem(shown, None, problem))
                continue
        post, problems = parse_post(
            rel, raw, digest, tz, shown, mtime=mtime, dates=dates, permalink=permalink, is_section=is_section, hugo=hugo
        )
        result.problems.extend(problems)
        if post is not None:
            result.warnings[rel] = field_warnings(post, shown, body_checks)
        if post is not None:
            result.changed.append(post)
    for path in section_files(root, ignore, visible):
        section_page(root, path, shown_root, max_size, result)
    if jekyll:
        for path in visible:
            if jekyll_html_page(root, scan.rel_path(root, path)):
                html_page(root, path, shown_root, max_size, result)
    return result


def html_page(root: Path, path: Path, shown_root: str, max_size: int, result: Loaded) -> None:
    """A Jekyll site's ``.html`` page with front matter (``pages/showcase.html``): a page whose body is Liquid
    and HTML (see :func:`blog.layout.jekyll_html_page`). One at ``/`` is left out with a warning: the home
    page is Kiln's."""
    rel = scan.rel_path(root, path)
    shown = f"{shown_root.rstrip('/')}/{rel}"
    raw, problem = read_post(path, max_size)
    if problem is not None:
        result.problems.append(Problem(shown, None, problem))
        return
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        result.problems.append(Problem(shown, line_at(raw, exc.start), "the file is not UTF-8; save it as UTF-8"))
        return
    meta_url = standalone.own_page_url(text)
    if meta_url is not None and meta_url.strip().rstrip("/") in ("", "/index.html", "/index"):
        result.warnings[rel] = [Problem(shown, None, "the page is the home page, which is Kiln's: not published")]
        return
    page, problems = standalone.parse_page(rel, text, hashlib.sha256(raw).hexdigest(), shown)
    result.problems.extend(problems)
    result.pages += [page] if page is not None else []


def section_page(root: Path, path: Path, shown_root: str, max_size: int, result: Loaded) -> None:
    """A section file, published as its section's list page at the section's URL (``posts/_index.md`` is
    ``/posts/``: see :mod:`blog.sections`), its body above the list. One that cannot be read is
    left out with a warning: it holds settings for Hugo or Zola, not content Kiln needs.
    """
    rel = scan.rel_path(root, path)
    shown = f"{shown_root.rstrip('/')}/{rel}"
    raw, problem = read_post(path, max_size)
    try:
        page, problems = standalone.parse_page(rel, decode(raw), hashlib.sha256(raw).hexdigest(), shown)
    except UnicodeDecodeError:
        page, problems = None, [Problem(shown, None, "the file is not UTF-8")]
    if problem is not None or problems:
        why = problem or problems[0].message
        result.warnings[rel] = [Problem(shown, None, f"section file left out, not published as a page: {why}")]
    elif page is not None:
        result.pages.append(page)  # a section list page (see blog.sections), its body above the list


def read_post(path: Path, max_size: int) -> tuple[bytes, str | None]:
    """The bytes of a post file, or why they cannot be read (too large, unreadable)."""
    problem = scan.too_large(path, max_size, "a post", "KILN_MAX_POST_SIZE")
    if problem is not None:
        return b"", problem
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", f"cannot be read ({exc.strerror})"


def field_warnings(post: PostSource, shown: str, body_checks: BodyChecks | None = None) -> list[Problem]:
    """Unknown fields that look like a misspelt known one (`catgories:`), and what ``body_checks`` finds in
    the body (the renderer's: template tags it cannot render)."""
    found = list(post.warnings)
    found += [Problem(shown, post.body_line + line - 1, message) for line, message in (body_checks or none)(post.body)]
    for key in post.extra:
        close = difflib.get_close_matches(key, sorted(KNOWN), n=1, cutoff=0.8)
        if close:
            line = post.field_lines.get(key)
            message = f"unknown field `{key}` is kept for templates; did you mean `{close[0]}`?"
            found.append(Problem(shown, line, message))
    return found


def decode(raw: bytes) -> str:
    """UTF-8 with or without a byte order mark, any line endings, as ``\\n`` text."""
    text = raw.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Reading:
    """One file's front matter while its fields are read: what each field reader gets."""

    rel: str
    doc: frontmatter.Document
    tz: ZoneInfo
    shown: str
    mtime: float | None
    dates: dating.FileDates | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    date_source: str = ""  # what dated a post without `date:` beyond its name (folded into its hash)
    mistyped: set[str] = field(default_factory=set)  # text fields given a list, mapping or boolean

    @property
    def meta(self) -> dict[str, Any]:
        return self.doc.meta

    def problem(self, key: str | None, message: str) -> None:
        """A problem with the field ``key`` (None: with the file), on that field's line."""
        self.problems.append(Problem(self.shown, self.doc.field_lines.get(key or "", 1), message))

    def warning(self, key: str | None, message: str) -> None:
        """Something the post builds despite (``--strict`` refuses it), on that field's line."""
        self.warnings.append(Problem(self.shown, self.doc.field_lines.get(key or "", 1), message))

    @property
    def generator(self) -> Generator:
        """The generator the file was written for (see :mod:`blog.generator`)."""
        return source_generator(self.rel, self.doc)

    @property
    def prefix(self) -> re.Match[str] | None:
        """The file name's ``YYYY-MM-DD-`` prefix (a leaf bundle, ``my-trip/index.md``, is named by its folder)."""
        return DATE_PREFIX.match(file_stem(self.rel))


TEXT_FIELDS = ("title", "slug", "summary", "description")


def check_text_fields(r: Reading) -> None:
    """Text fields given a list, a mapping or a boolean are reported, then read as missing."""
    for key in TEXT_FIELDS:
        value = r.meta.get(key)
        if isinstance(value, (dict, list, bool)):
            r.mistyped.add(key)
            kind = "mapping" if isinstance(value, dict) else "list" if isinstance(value, list) else "true/false value"
            r.problem(key, f'`{key}` must be text, not a {kind} ({value!r}); put the text in quotes: `{key}: "..."`')
            r.meta[key] = None


def check_text(r: Reading, values: dict[str, Any]) -> None:
    """Control characters (the body's are left out, with a warning), and values longer than their column or a
    file name (see :mod:`blog.text_checks`)."""
    texts = [("title", values["title"]), ("slug", values["slug"]), ("summary", values["summary"])]
    texts += [(key, item) for key in ("aliases", "categories", "keywords") for item in values[key]]
    for key, message in text_checks.field_problems(texts):
        r.problem(key, message)
    r.doc.body, in_body = text_checks.body_controls(r.doc.body, r.doc.body_line)
    if in_body is not None:
        r.warnings.append(Problem(r.shown, *in_body))


def read_title(r: Reading) -> str:
    title = r.meta.get("title")
    if title is None or not str(title).strip():
        if "title" not in r.mistyped:
            r.problem("title", "missing title; add `title: Your title` to the front matter")
        return ""
    return str(title).strip()


def read_date(r: Reading) -> dt.datetime | None:
    """From ``date:``, else the file name's prefix, else (in ``_drafts``) the file's mtime, else
    :func:`undated`'s guess with a warning."""
    meta, prefix = r.meta, r.prefix
    if meta.get("date") not in (None, ""):
        value = meta["date"]
        if isinstance(value, str):
            value, ignored = dating.split_date_text(value)
            if ignored:
                r.warning("date", f"date {meta['date']!r}: `{ignored}` is not part of a date and is ignored, "
                          f"as Jekyll ignores it; the date read is {value!r}")  # fmt: skip
        try:
            return parse_date(value, r.tz)
        except ValueError as exc:
            r.problem(
                "date", f"invalid date {meta['date']!r}: {exc}; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00"
            )
    elif prefix:
        try:
            return parse_date("-".join(prefix.groups()[:3]), r.tz)
        except ValueError as exc:
            r.problem(None, f"the date in the file name is not a real date: {exc}")
    elif in_drafts(r.rel) and r.mtime is not None:
        return dt.datetime.fromtimestamp(int(r.mtime), r.tz)
    else:
        return undated(r)
    return None


def undated(r: Reading) -> dt.datetime | None:
    """A post with no date anywhere Kiln reads one: dated from Zola's ``path``, its first git commit or its
    mtime (see :mod:`blog.dating`), with a warning that says which."""
    fix = "add `date: YYYY-MM-DD` to the front matter to choose it"
    in_path = dating.from_path(r.meta.get("path"))
    if in_path is not None:
        r.warning("path", f"no date in the front matter: dated {in_path.isoformat()} from its `path`; {fix}")
        return dt.datetime(in_path.year, in_path.month, in_path.day, tzinfo=r.tz)
    committed = r.dates.first_commit(r.rel) if r.dates is not None else None
    if committed is not None:
        r.date_source = f"git {committed.isoformat()}"
        r.warning("date", f"no date in the front matter: dated {committed.date().isoformat()} from the commit "
                  f"that added the file to git; {fix}")  # fmt: skip
        return committed
    mtime = r.dates.mtime(r.rel) if r.dates is not None else None
    if mtime is None:
        r.problem("date", "missing date; add `date: YYYY-MM-DD` or name the file YYYY-MM-DD-slug.md")
        return None
    moment = dt.datetime.fromtimestamp(int(mtime), r.tz)
    r.date_source = f"mtime {int(mtime)}"
    r.warning("date", f"no date in the front matter and the file is not in git: dated {moment.date().isoformat()} "
              f"from its modification time, which changes with each checkout; {fix}")  # fmt: skip
    return moment


def read_updated(r: Reading) -> dt.datetime | None:
    """``updated:``, or Hugo's ``lastmod:`` or Pelican's ``modified:``: the first one given."""
    for key in ("updated", "lastmod", "modified"):
        if r.meta.get(key) not in (None, ""):
            try:
                return parse_date(r.meta[key], r.tz)
            except ValueError as exc:
                r.problem(key, f"invalid {key} date {r.meta[key]!r}: {exc}")
            return None
    return None


def names_from(r: Reading, fields: Sequence[tuple[str, object]]) -> list[str]:
    """The names listed by ``fields`` (front matter key, its value), in order, each once."""
    names: list[str] = []
    for key, value in fields:
        if key in SPACE_LISTS and r.doc.kind == "yaml" and isinstance(value, str) and "," not in value:
            value = value.split()  # Jekyll: `categories: jekyll update` is two categories
        try:
            names.extend(string_list(value))
        except ValueError as exc:
            r.problem(key, f"`{key}` {exc}")
    return dedupe(names)


def taxonomies(r: Reading) -> dict[str, Any]:
    """Hugo/Zola's ``[taxonomies]`` table, or nothing."""
    table = r.meta.get("taxonomies")
    return table if isinstance(table, dict) else {}


def read_categories(r: Reading) -> list[str]:
    """``categories``, ``category`` and ``[taxonomies]`` ``categories``, together."""
    meta = r.meta
    fields = [
        ("categories", meta.get("categories")),
        ("category", meta.get("category")),
        ("taxonomies", taxonomies(r).get("categories")),
    ]
    return names_from(r, fields)


def read_tags(r: Reading) -> list[str]:
    """``tags`` and ``[taxonomies]`` ``tags``: their own taxonomy, never folded into categories."""
    return names_from(r, [("tags", r.meta.get("tags")), ("taxonomies", taxonomies(r).get("tags"))])


def read_series(r: Reading) -> str:
    """``series:``: one name (a string, or Hugo's one-item list) shared by the posts of a series."""
    value = r.meta.get("series")
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if value is None or value == "":
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        r.problem("series", f"`series` must be one name, not {value!r}; write `series: My series`")
        return ""
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def read_keywords(r: Reading) -> list[str]:
    try:
        keywords = string_list(r.meta.get("keywords"))
    except ValueError as exc:
        r.problem("keywords", f"`keywords` {exc}")
        keywords = []
    return dedupe(k.lower() for k in keywords)


def slugify(text: str) -> str:
    """``text`` as Zola, Hugo and Pelican make a slug of a name: lower case, each run of characters other than
    letters, digits, ``_`` and ``.`` one ``-`` (``Rust-1.0@0`` -> ``rust-1.0-0``, ``On C++`` -> ``on-c``)."""
    text = re.sub(r"[^\w.]+", "-", unicodedata.normalize("NFC", text).lower())
    return re.sub(r"\.{2,}", ".", text).strip("-.")


def read_slug(r: Reading) -> str:
    """``slug:``, else (Pelican) the title's slug, else the file name's; one that is not a safe URL segment is
    slugified, as its generator does. A ``slug:`` naming a path (``a/b``, ``../x``) stays an error."""
    given = r.meta.get("slug")
    if given not in (None, ""):
        slug = unicodedata.normalize("NFC", str(given).strip())
    elif r.generator == "pelican" and r.meta.get("title"):
        slug = slugify(str(r.meta["title"]))  # Pelican's SLUGIFY_SOURCE is the title
    else:
        slug = path_slug(r.rel)
    if SLUG.match(slug) and ".." not in slug:
        return slug
    made = slugify(slug)
    if not made or (given not in (None, "") and ("/" in slug or "\\" in slug)):
        r.problem(
            "slug" if "slug" in r.meta else None,
            f"slug {slug!r} would write outside /plog/ or is not one URL segment; "
            "use letters, digits, `-`, `_` and `.` only",
        )
    return made


def read_aliases(r: Reading) -> list[str]:
    """``aliases:``, and Jekyll's ``redirect_from:``; a relative one is read as the post's generator reads it
    (Hugo: from the post's section; Zola, Jekyll: from the site root)."""
    aliases = []
    for key in ("aliases", "redirect_from"):
        try:
            aliases.extend(absolute_alias(alias, r.generator, r.rel) for alias in string_list(r.meta.get(key)))
        except ValueError as exc:
            r.problem(key, f"`{key}` {exc}")
    for alias in aliases:
        if not alias.startswith("/") or ".." in alias.split("/"):
            r.problem("aliases", f"alias {alias!r} must be a path on this site starting with `/`")
    return dedupe(aliases)


def read_draft(r: Reading) -> bool:
    """``draft:``, Jekyll's ``published: false``, or a file under ``_drafts``."""
    draft = r.meta.get("draft", False)
    if r.meta.get("published") is False:
        draft = True
    if not isinstance(draft, bool):
        draft = str(draft).strip().lower() in ("true", "yes", "1")
    return draft or in_drafts(r.rel)  # Jekyll's _drafts/: published only with --drafts and in serve


def read_summary(r: Reading) -> str:
    return str(r.meta.get("summary") or r.meta.get("description") or "").strip()


def read_extra(r: Reading) -> dict[str, Any]:
    """The fields Kiln does not interpret, kept for templates (``post.meta.<field>``)."""
    return jsonable({key: value for key, value in r.meta.items() if key not in KNOWN})


# each field of PostSource read from the front matter, in the order its problems are reported
FIELD_READERS: dict[str, Callable[[Reading], Any]] = {
    "title": read_title,
    "date": read_date,
    "updated": read_updated,
    "categories": read_categories,
    "tags": read_tags,
    "series": read_series,
    "keywords": read_keywords,
    "slug": read_slug,
    "aliases": read_aliases,
    "draft": read_draft,
    "summary": read_summary,
    "extra": read_extra,
}


def parse_post(
    rel: str,
    raw: bytes,
    digest: str,
    tz: ZoneInfo,
    shown: str,
    mtime: float | None = None,
    dates: dating.FileDates | None = None,
    permalink: str = permalinks.DEFAULT,
    is_section: Callable[[str, str], bool] = lambda folder, written_for: False,
    hugo: hugo_config.HugoUrls | None = None,
) -> tuple[PostSource | None, list[Problem]]:
    """Validate one file; return the post (or None) and every problem found in it.

    ``rel`` decides what the file name means: a ``YYYY-MM-DD-`` prefix dates
    the post, a leaf bundle's ``index.md`` takes its slug (and date prefix)
    from its folder, and a file under ``_drafts`` is a draft, dated by
    ``mtime`` (the file's) when nothing else dates it. Each field is read by
    its reader in :data:`FIELD_READERS`. A post with no date at all is dated
    by ``dates`` (its first commit, its mtime), and its hash then covers that
    date, so that a build notices when it changes. The post's ``slug`` is then its key
    under ``permalink`` (see :mod:`blog.urls`; ``is_section`` tells which
    folders are sections), and an own URL it cannot keep becomes an alias, as does the URL the Hugo
    project's configuration (``hugo``) gave it.
    """
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        line = line_at(raw, exc.start)
        return None, [Problem(shown, line, f"the file is not UTF-8 (byte {exc.start}); save it as UTF-8")]
    try:
        doc = rst.parse(text) if rel.lower().endswith(".rst") else frontmatter.parse(text)
    except frontmatter.FrontMatterError as exc:
        return None, [
            Problem(shown, exc.line, str(exc)),
            *(Problem(shown, line, message) for line, message in exc.more),
        ]
    reading = Reading(rel, doc, tz, shown, mtime, dates)
    if doc.blank_lines and doc.kind == "yaml":
        reading.warnings.append(
            Problem(shown, doc.blank_lines + 1, f"{doc.blank_lines} blank line(s) before the front matter's `---`: "
                    "read as Hugo reads them, but Jekyll would publish the front matter as text; remove them")
        )  # fmt: skip
    check_text_fields(reading)
    values = {name: read(reading) for name, read in FIELD_READERS.items()}
    check_text(reading, values)
    if reading.problems or values["date"] is None:
        return None, reading.problems
    if reading.date_source:
        digest = hashlib.sha256(f"{digest}\0{reading.date_source}".encode()).hexdigest()
    values["slug"], redirects = urls.place(
        permalink, doc.meta, rel, values["date"], values["slug"], is_section, reading.generator, hugo
    )
    values["aliases"] = dedupe([*values["aliases"], *redirects])
    post = PostSource(
        path=rel,
        source_hash=digest,
        body=doc.body,
        body_line=doc.body_line,
        field_lines=doc.field_lines,
        warnings=reading.warnings,
        **values,
    )
    return post, []


def parse_date(value: Any, tz: ZoneInfo) -> dt.datetime:
    """A date or datetime, with or without an offset; naive ones are in ``tz``."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, dt.time):
        raise ValueError("a time without a date")
    else:
        match = DATE_TEXT.match(str(value).strip())
        if not match:
            raise ValueError("not a date")
        y, m, d, hh, mm, ss, frac, offset = match.groups()
        moment = dt.datetime(
            int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0),
            int((frac or "0").ljust(6, "0")),
        )  # fmt: skip
        if offset:
            if offset == "Z":
                moment = moment.replace(tzinfo=dt.UTC)
            else:
                sign = 1 if offset[0] == "+" else -1
                digits = offset[1:].replace(":", "")
                delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                moment = moment.replace(tzinfo=dt.timezone(sign * delta))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    try:
        moment.astimezone(dt.UTC)  # stored in UTC: 9999-12-31T23:59-12:00 is past the calendar's end
    except OverflowError:
        raise ValueError("once in UTC it falls outside the years 1 to 9999") from None
    return moment


def string_list(value: Any) -> list[str]:
    """A YAML/TOML list or a comma-separated string, as clean strings."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items: Iterable[Any] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise ValueError(f"must be a list or a comma-separated string, not {value!r}")
    out = []
    for item in items:
        if isinstance(item, (dict, list, tuple)):
            raise ValueError(f"must hold plain names, not {item!r}; write one name per item: `[Python, Django]`")
        if item is None:
            raise ValueError("holds an empty item (null); remove it, or write the name in quotes")
        text = " ".join(str(item).split())
        if text:
            out.append(text)
    return out


def dedupe(items: Iterable[str]) -> list[str]:
    """Keep the first spelling of each item, compared without case."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def jsonable(value: Any) -> Any:
    """Unknown front matter, made storable as JSON (dates become ISO text)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
