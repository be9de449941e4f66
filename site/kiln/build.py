"""The whole build, one stage after another: load, sync, search, assets, render, check, publish.

``build()`` is the one place that orders the stages; each is timed and logged.
Everything is written into a staging folder beside ``out/``; ``out/`` is
replaced only when every stage succeeded, so a failed build leaves the
previous site untouched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command

from . import assets, check, content_files, files
from . import render as render_stage
from .errors import ConfigError, Problem, SiteError, display_path, in_order

if TYPE_CHECKING:
    from blog.content import Loaded

log = logging.getLogger("kiln")

MANIFEST = "render-manifest.json"
WARNINGS = "warnings.json"
# marks an output folder as Kiln's, so a build never replaces a folder it did not write
MARKER = ".kiln-output"
MARKER_TEXT = "This folder is written by Kiln (build.py); every build replaces it whole.\n"
NOT_IN_PAGES = {
    "WORKERS", "STRICT", "CONTENT_DIR", "OUT_DIR", "CACHE_DIR",
    "ASSETS_DIR", "CSSO_BINARY", "CSSO_RESTRUCTURE", "TERSER_BINARY",
}  # fmt: skip


@dataclass
class Options:
    content: Path
    out: Path
    clean: bool = False
    write: bool = True  # False for `build.py check`: validate without touching out/


@dataclass
class Summary:
    pages: int = 0
    rendered: int = 0
    written: int = 0
    reused: int = 0
    posts: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def stage(name: str, summary: Summary) -> Iterator[None]:
    start = time.perf_counter()
    yield
    summary.timings[name] = time.perf_counter() - start
    log.debug("%-8s %6.2fs", name, summary.timings[name])


def cache_dir() -> Path:
    return Path(settings.KILN["CACHE_DIR"])


class WarningCounter(logging.Handler):
    """Counts the warnings logged during a build, for ``--strict``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def enforce(self) -> None:
        """In strict mode, fail (before anything is published) if there was a warning."""
        if self.count and settings.KILN["STRICT"]:
            plural = "s" if self.count != 1 else ""
            raise SiteError(f"aborted with {self.count} warning{plural} in strict mode")


def build(options: Options) -> Summary:
    """Build the site from ``options.content`` into ``options.out``."""
    started = time.perf_counter()
    counter = WarningCounter()
    log.addHandler(counter)
    try:
        summary = _build(options, counter)
    finally:
        log.removeHandler(counter)
    summary.seconds = time.perf_counter() - started
    return summary


def _build(options: Options, warnings: WarningCounter) -> Summary:
    from blog import fingerprints, sync
    from search import stage as search

    summary = Summary()
    if not options.content.is_dir():
        raise SiteError(f"content folder {display_path(options.content)} does not exist; pass --content DIR")
    check_out_folder(options.out, options.content)

    with stage("migrate", summary):
        migrate()
        if options.clean:
            forget_caches()

    with stage("load", summary):
        loaded = load_content(options.content)
        summary.posts = len(loaded.seen)
        for warning in remembered_warnings(loaded):
            log.warning("warning: %s", warning)

    with stage("sync", summary):
        synced = sync.sync(loaded, options.content, display_path(options.content))
        log.debug("sync: %s", synced)

    with stage("search", summary):  # before the plan: the index files are pages like the others
        search.refresh(clean=options.clean)

    base = urlsplit(settings.KILN["BASE_URL"])
    if base.hostname in ("localhost", "127.0.0.1", "::1", None):
        log.warning(
            "warning: KILN_BASE_URL is %s, so canonical links, feeds and the sitemap point there; "
            "set KILN_BASE_URL (or --base-url) to the deployed site's address",
            settings.KILN["BASE_URL"],
        )

    out = options.out.resolve()
    previous = out if out.is_dir() and not options.clean else None
    # `check` renders and checks in the cache folder, and never touches out/
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}") if options.write else cache_dir() / "check"
    manifest_path = cache_dir() / MANIFEST
    manifest = render_stage.load_manifest(manifest_path)
    with stage("assets", summary):
        shipped = assets.collect(force=options.clean)

    with stage("plan", summary):  # which pages exist, and which changed
        salt = global_salt(shipped.salt)
        same_salt = manifest.get("salt") == salt and manifest.get("out") == str(out)
        pages = render_stage.list_pages({**fingerprints.compute(), **search.fingerprints()})
        published_files = content_files.listing(options.content, display_path(options.content), pages)
        summary.pages = len(pages)
        if previous is not None and same_salt and up_to_date(out, pages, shipped, manifest, published_files):
            warnings.enforce()
            summary.reused = len(pages)
            return summary

    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with stage("render", summary):
            assets.ship(shipped, staging, previous)
            files.write_if_changed(staging / MARKER, MARKER_TEXT.encode(), previous / MARKER if previous else None)
            content_files.ship(published_files, staging, previous)
            report = render_stage.render(pages, staging, previous, manifest, reuse=same_salt)
            summary.rendered, summary.written, summary.reused = report.rendered, report.written, report.reused

        with stage("check", summary):
            check.links(staging, pages, report)

        warnings.enforce()
        if not options.write:
            return summary
        with stage("publish", summary):
            # no manifest while out/ changes: a build killed here renders everything next time
            manifest_path.unlink(missing_ok=True)
            files.publish(staging, out)
            data = {"out": str(out), "salt": salt, **render_stage.manifest_data(report)}
            manifest_path.write_text(json.dumps(data, sort_keys=True))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def check_out_folder(out: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    out = out.resolve()
    guarded = {
        "content folder": content.resolve(),
        "cache folder": cache_dir().resolve(),
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


def forget_caches() -> None:
    """``--clean``: drop everything a previous build left, so this one starts from nothing."""
    from django.core.cache import caches

    from blog.models import Category, Keyword, Post, RenderedMarkdown

    for model in (Post, Category, Keyword, RenderedMarkdown):
        model.objects.all().delete()
    caches["memoize"].clear()
    for name in (MANIFEST, WARNINGS, assets.STAMP, content_files.VERIFIED):
        (cache_dir() / name).unlink(missing_ok=True)
    shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)


def up_to_date(
    out: Path,
    pages: list[render_stage.Page],
    shipped: assets.Shipped,
    manifest: dict,
    published_files: list[content_files.ContentFile],
) -> bool:
    """Whether ``out`` already is what this build would publish, so there is nothing to do.

    True when every page's fingerprint is the one its file in ``out`` was
    rendered for, and ``out`` holds exactly the pages, assets and content files
    of this build (no page gone, no stray file, no content file changed).
    """
    old = manifest.get("pages", {})
    if len(old) != len(pages):
        return False
    for page in pages:
        entry = old.get(page.uri)
        if page.fingerprint is None or entry is None or entry["fingerprint"] != page.fingerprint:
            return False
        if entry["file"] != page.file:
            return False
    expected = {page.file for page in pages} | shipped.files() | {item.output for item in published_files} | {MARKER}
    found = set()
    for folder, _dirs, names in os.walk(out):
        base = Path(folder).relative_to(out).as_posix()
        found.update(name if base == "." else f"{base}/{name}" for name in names)
    return found == expected and content_files.in_place(out, published_files)


def load_content(folder: Path) -> Loaded:
    """The load stage: every file of ``folder``, parsed when the database lacks its hash."""
    from blog import content, sync

    return content.load(folder, sync.known_hashes(), ZoneInfo(settings.TIME_ZONE), display_path(folder))


def remembered_warnings(loaded: Loaded) -> list[Problem]:
    """Warnings of every file, not only the changed ones: unchanged files keep theirs.

    They are kept in the cache folder, so that ``--strict`` fails a warm build
    exactly as it fails a clean one.
    """
    path = cache_dir() / WARNINGS
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        stored = {}
    kept = {rel: stored[rel] for rel in loaded.unchanged if rel in stored}
    kept.update({rel: [[p.path, p.line, p.message] for p in found] for rel, found in loaded.warnings.items()})
    path.write_text(json.dumps(kept, sort_keys=True))
    return in_order(Problem(*item) for rel in sorted(kept) for item in kept[rel])


def migrate() -> None:
    """Create or update the database tables, quietly and only when needed."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def global_salt(asset_salt: str) -> str:
    """Everything every page depends on: templates, code, settings and assets.

    When it changes, every page is rendered again.
    """
    digest = hashlib.sha256()
    site_dir = Path(settings.SITE_DIR)
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".xml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(site_dir).as_posix().encode())
            digest.update(path.read_bytes())
    # settings that cannot change a page: where things are, how fast, how strict
    # (the assets' own settings reach pages through the asset manifest's hash)
    relevant = {k: v for k, v in settings.KILN.items() if k not in NOT_IN_PAGES}
    digest.update(json.dumps(relevant, sort_keys=True, default=str).encode())
    digest.update(asset_salt.encode())
    return digest.hexdigest()
