"""The whole build, one stage after another: load, sync, assets, search, render, check, publish.

``build()`` is the one place that orders the stages; each is timed and logged.
Everything is written into a staging folder beside ``out/``, which changes
only when every stage succeeded, so a failed build leaves the previous site
untouched: a first build's staging folder replaces it whole, a later one's
holds only the files that changed and moves them in (``core.files``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from blog import content, markdown, registry, relative, reversing, sync
from blog.content import Loaded
from config import netlify
from core import files, workers
from core.errors import ConfigError, Problem, SiteError, capped, display_path, in_order
from search import stage as search

from . import assets, cache, check, content_files, database, lock, owned, stamps
from . import render as render_stage
from .progress import SILENT, Progress, Stage

log = logging.getLogger("kiln")

# marks an output folder as Kiln's and lists what Kiln wrote there, so a build never deletes anything else
MARKER = owned.MARKER
REMEMBERED = "content-facts.json"  # in the cache folder: the post files' stat and facts (content.Remembered)
CHILDREN = resource.RUSAGE_CHILDREN  # the render workers, once they ended
T = TypeVar("T")


@dataclass
class Options:
    """How to build; what to build, and where to, are settings (``CONTENT_DIR``, ``OUT_DIR``)."""

    clean: bool = False
    write: bool = True  # False for `build.py check`: validate without touching out/
    progress: Progress = field(default_factory=lambda: SILENT)  # what the stages show as they run


@dataclass
class Summary:
    pages: int = 0
    rendered: int = 0
    written: int = 0
    reused: int = 0
    posts: int = 0
    warnings: int = 0  # warnings logged
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def stage(name: str, summary: Summary, progress: Progress = SILENT, total: int | None = None) -> Iterator[Stage]:
    """A named stage of the build, timed into ``summary`` and shown by ``progress`` (a bar when ``total``)."""
    cpu = cpu_seconds()
    with progress.stage(name, total) as running:
        yield running
    summary.timings[name] = running.seconds
    give_back_memory()
    if log.isEnabledFor(logging.DEBUG):  # (Linux gives max RSS in KiB) what holds the peak: a process, or a worker
        own, workers = (resource.getrusage(who).ru_maxrss // 1024 for who in (resource.RUSAGE_SELF, CHILDREN))
        # CPU time says what a stage costs when other programs share the cores (wall time then says little)
        log.debug(
            "%-8s %6.2fs  CPU %.2fs, max RSS %d MiB, workers' %d MiB",
            name, summary.timings[name], cpu_seconds() - cpu, own, workers,
        )  # fmt: skip


def give_back_memory() -> None:
    """Return to the system the memory a stage freed, before the next stage (or its forked workers) grows.

    glibc keeps freed blocks for reuse; what a stage no longer holds
    (the posts' texts, the search index's terms) would otherwise stay in
    this process's resident size, and in every worker forked from it.
    """
    if sys.platform == "linux":
        import ctypes

        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; not in musl
        if trim is not None:
            trim(0)


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its workers that ended."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


class WarningCounter(logging.Handler):
    """Counts the warnings logged during a build, for ``--strict``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += getattr(record, "count", 1)  # a line that stands for many warnings counts them all

    def enforce(self) -> None:
        """In strict mode, fail (before anything is published) if there was a warning."""
        if self.count and settings.KILN.STRICT:
            plural = "s" if self.count != 1 else ""
            raise SiteError(f"aborted with {self.count} warning{plural} in strict mode")


def build(options: Options) -> Summary:
    """Build the site from the ``CONTENT_DIR`` setting into ``OUT_DIR``."""
    started = time.perf_counter()
    counter = WarningCounter()
    log.addHandler(counter)
    try:
        with lock.held(cache.folder()):
            lock.remove_leftovers(settings.KILN.OUT_DIR.resolve())
            summary = _build(options, counter)
    finally:
        log.removeHandler(counter)
    summary.warnings = counter.count
    summary.seconds = time.perf_counter() - started
    return summary


def _build(options: Options, warnings: WarningCounter) -> Summary:
    summary = Summary()
    shown = options.progress
    content = settings.KILN.CONTENT_DIR
    check_content_folder(content)
    check_out_folder(settings.KILN.OUT_DIR, content)

    with stage("migrate", summary, shown):
        migrate()
        if options.clean:
            cache.forget()
            (cache.folder() / REMEMBERED).unlink(missing_ok=True)

    # in a child process: what it holds for a moment (every changed post's text and HTML) is freed when it
    # ends, so that it raises neither the later stages' memory nor the render workers' they fork
    content_state = in_child(lambda: load_and_sync(content, summary, shown), warnings)
    visible, synced = content_state.visible, content_state.synced
    summary.posts = content_state.posts
    summary.timings.update(content_state.timings)
    relative.moved = content_state.moved  # (set by the sync stage, read by Liquid pages' post_url)

    base = urlsplit(settings.KILN.BASE_URL)
    # a local build is a preview: only a deploy (strict, or Netlify's production build) needs the real address
    deploying = settings.KILN.STRICT or netlify.production(os.environ)
    if deploying and base.hostname in ("localhost", "127.0.0.1", "::1", None):
        log.warning(
            "warning: KILN_BASE_URL is %s, so canonical links, feeds and the sitemap point there; "
            "set KILN_BASE_URL (or --base-url) to the deployed site's address",
            settings.KILN.BASE_URL,
        )

    out = settings.KILN.OUT_DIR.resolve()
    # the previous output, updated in place; one whose marker lists no files (an older Kiln's) is replaced whole
    listed = owned.recorded(out) if out.is_dir() and not options.clean else None
    previous = out if listed is not None else None
    # `check` renders and checks in the cache folder, and never touches out/
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}") if options.write else cache.folder() / "check"
    manifest = cache.RenderManifest.load()
    with stage("assets", summary, shown):
        shipped = assets.collect(force=options.clean)

    with stage("search", summary, shown):  # before the plan: the index files are pages like the others
        in_child(lambda: search.refresh(clean=options.clean), warnings)  # (its index, too, is freed with it)

    with stage("plan", summary, shown):  # which pages exist, and which changed
        salt = global_salt(shipped.salt)
        same_salt = manifest.salt == salt and manifest.out == str(out)
        # a file edited in out/ since the last build is made again, never trusted by its name
        old_files = {record.file for record in manifest.pages.values()} | shipped.files()
        now = stamps.tree(out) if previous is not None else {}  # the one walk of out/ (besides owned.foreign's)
        tampered = stamps.untrusted(now, cache.folder(), old_files) if previous is not None else set()
        manifest = manifest.without_files(tampered)
        reversing.load(cache.path(cache.URLS), salt)
        pages = render_stage.list_pages(registry.listed())
        reversing.save(cache.path(cache.URLS), salt)
        published_files = content_files.listing(content, display_path(content), pages, visible=visible)
        summary.pages = len(pages)
        site_files = outputs(pages, shipped, published_files)
        fresh = not tampered and up_to_date(out, set(now), pages, site_files, manifest, published_files)
        # (links checked with other settings, KILN_LINKS_ELSEWHERE or KILN_BROKEN_LINKS, are checked again)
        if previous is not None and same_salt and fresh and manifest.checked == check.key():
            warnings.enforce()
            summary.reused = len(pages)
            return summary

    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with stage("render", summary, shown, total=len(pages)) as rendering:
            assets.ship(shipped, staging, previous, untrusted=tampered)
            content_files.ship(published_files, staging, previous)
            present = now if previous is not None else None  # (the plan's walk of out/)
            report = render_stage.render(
                pages, staging, previous, manifest, reuse=same_salt, done=rendering.advance, present=present
            )
            files.stage_if_changed(staging / MARKER, owned.record(site_files), previous / MARKER if previous else None)
            summary.rendered, summary.written, summary.reused = report.rendered, report.written, report.reused

        with stage("check", summary, shown):
            # the pages the previous build checked, and the files it published that this one does not
            checked = manifest.pages if manifest.checked == check.key() and manifest.out == str(out) else {}
            published = stamps.published(cache.folder())
            removed = None if published is None else published - site_files
            show_warnings(
                check.links(staging, pages, report, site_files, checked, removed, previous, synced.warned_urls)
            )

        warnings.enforce()
        if not options.write:
            return summary
        with stage("publish", summary, shown):
            # no manifest while out/ changes: a build killed here renders everything next time
            cache.RenderManifest.drop()
            stamps.forget(cache.folder())
            if listed is None:  # staging holds the whole site
                files.publish(staging, out)
                stamps.record(out, cache.folder())
            else:  # staging holds the files that changed
                if site_files != listed:  # a build killed while out/ changes must not find files it did not list
                    files.write(out / MARKER, owned.record(site_files | listed))
                moved = files.update(staging, out, listed - site_files, MARKER)
                stamps.record(out, cache.folder(), now, site_files, moved)
            cache.RenderManifest(str(out), salt, report.pages, check.key()).save()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def check_content_folder(content: Path) -> None:
    if not content.is_dir():
        raise SiteError(f"content folder {display_path(content)} does not exist; pass --content DIR")


def check_out_folder(out: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    out = out.resolve()
    guarded = {
        "content folder": content.resolve(),
        "cache folder": cache.folder().resolve(),
        "current folder": Path.cwd().resolve(),
        "project folder": Path(settings.PROJECT_DIR).resolve(),
        "home folder": Path.home().resolve(),
    }
    for name, folder in guarded.items():
        if out == folder or out in folder.parents:
            raise ConfigError(
                f"the output folder {display_path(out)} holds the {name} {display_path(folder)}, and a build replaces "
                "the output folder whole; choose a folder of its own, such as --out out"
            )
    if content.resolve() in out.parents:
        raise ConfigError(f"the output folder {display_path(out)} is inside the content folder; put it elsewhere")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"the output folder {display_path(out)} is a file; remove it or choose another --out")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise ConfigError(
            f"the output folder {display_path(out)} holds files that Kiln did not write (it has no {MARKER} file), "
            "and a build replaces the output folder whole; choose a new or empty folder, or delete this one"
        )
    if out.is_dir():
        owned.refuse_foreign(out)


def up_to_date(
    out: Path,
    found: set[str],
    pages: list[render_stage.Page],
    expected: set[str],
    manifest: cache.RenderManifest,
    published_files: list[content_files.ContentFile],
) -> bool:
    """Whether ``out`` already is what this build would publish, so there is nothing to do.

    True when every page's fingerprint is the one its file in ``out`` was
    rendered for, and ``out`` holds exactly the pages, assets and content files
    of this build (no page gone, no stray file, no content file changed);
    ``found`` is every file ``out`` holds, ``expected`` every file this build publishes (:func:`outputs`).
    """
    old = manifest.pages
    if len(old) != len(pages):
        return False
    for page in pages:
        entry = old.get(page.uri)
        if entry is None or not entry.reusable(page.fingerprint, page.file):
            return False
    return found == expected and content_files.in_place(out, published_files)


def outputs(
    pages: list[render_stage.Page], shipped: assets.Shipped, published_files: list[content_files.ContentFile]
) -> set[str]:
    """Every file this build publishes: pages, assets, content files and the mark."""
    return {page.file for page in pages} | shipped.files() | {item.output for item in published_files} | {MARKER}


@dataclass
class ContentState:
    """What the load and sync stages, run in a child process, hand the rest of the build."""

    visible: list[Path]  # the content folder's files, walked once (content.Loaded.visible)
    synced: sync.SyncReport
    posts: int
    moved: dict[str, str]
    timings: dict[str, float]


def in_child(func: Callable[[], T], warnings: WarningCounter) -> T:
    """``func()`` in a child process (``core.workers.in_child``), its warnings counted for ``--strict``."""

    def counting() -> tuple[T, int]:
        counted = WarningCounter()
        log.addHandler(counted)
        try:
            return func(), counted.count
        finally:
            log.removeHandler(counted)

    result, count = workers.in_child(counting)
    warnings.count += count
    return result


def load_and_sync(content_dir: Path, summary: Summary, shown: Progress) -> ContentState:
    """The load and sync stages: the database brought in line with the content folder."""
    with stage("load", summary, shown):
        loaded = load_content(content_dir)
        summary.posts = len(loaded.seen)
        show_warnings(remembered_warnings(loaded))
    with stage("sync", summary, shown):
        synced = sync.sync(loaded, content_dir, display_path(content_dir))
        show_warnings(synced.warnings)
        log.debug("sync: %s", synced)
    return ContentState(loaded.visible, synced, summary.posts, relative.moved, summary.timings)


def load_content(folder: Path) -> Loaded:
    """The load stage: every file of ``folder``, parsed when the database lacks its hash; the post files
    whose stat is the last load's are not read (see ``content.Remembered``, kept in the cache folder)."""
    remembered = cache.folder() / REMEMBERED
    previous = content.Remembered.read(remembered)
    loaded = content.load(
        folder,
        sync.known_hashes(),
        ZoneInfo(settings.TIME_ZONE),
        display_path(folder),
        settings.KILN.MAX_POST_SIZE,
        markdown.template_warnings,
        settings.KILN.IGNORE,
        settings.KILN.PAGES,
        settings.KILN.PERMALINK,
        previous,
    )
    if loaded.remembered.files != previous.files:  # the same files: the older load's start vouches for them too
        loaded.remembered.write(remembered)
    return loaded


def show_warnings(found: list[Problem]) -> None:
    """Log ``found``, at most ten of each kind, and how many more each kind has (all counted for ``--strict``)."""
    listed, more = capped(in_order(found))
    for warning in listed:
        log.warning("warning: %s", warning.shown())
    for kind, count in more.items():
        log.warning("warning: ... and %d more: %s", count, kind, extra={"count": count})


def remembered_warnings(loaded: Loaded) -> list[Problem]:
    """Warnings of every file, not only the changed ones: unchanged files keep theirs.

    They are kept in the cache folder, so that ``--strict`` fails a warm build
    exactly as it fails a clean one.
    """
    stored = cache.load_warnings()
    kept = {rel: stored[rel] for rel in loaded.unchanged if rel in stored}
    kept.update(loaded.warnings)
    cache.save_warnings(kept)
    return in_order(problem for rel in sorted(kept) for problem in kept[rel])


def migrate() -> None:
    """Create or update the database tables, quietly and only when needed."""
    database.connect()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def global_salt(asset_salt: str) -> str:
    """Everything every page depends on: code, settings, assets and the shortcodes' templates.

    When it changes, every page is rendered again.
    """
    digest = hashlib.sha256()
    site_dir = Path(settings.SITE_DIR)
    # the pages' templates are not in it: each page is rendered again when one it used changed (kiln.page_templates)
    pages_templates = site_dir / "templates"
    shortcodes = pages_templates / "shortcodes"  # read by the sync stage's Markdown, not by the pages
    for path in sorted(site_dir.rglob("*")):
        if pages_templates in path.parents and shortcodes not in path.parents:
            continue
        if path.suffix in (".py", ".html", ".txt", ".xml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(site_dir).as_posix().encode())
            digest.update(path.read_bytes())
    # not the settings that cannot change a page: where things are, how fast, how strict
    # (the assets' own settings reach pages through the asset manifest's hash)
    relevant = settings.KILN.in_pages()
    digest.update(json.dumps(relevant, sort_keys=True, default=str).encode())
    digest.update(asset_salt.encode())
    return digest.hexdigest()
