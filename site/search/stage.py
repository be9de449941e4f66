"""The build's search stage, and the index that ``serve`` keeps current.

``refresh()`` indexes the published posts into the engine (only what changed)
and writes the static index into the cache folder (``search/static/``), where
the index views read it: the build exports them like any page, and ``serve``
serves them live. Nothing is done when the posts are as they were.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.conf import settings

from blog.models import Post

from . import static
from .documents import published
from .engine import Engine, Update
from .fts5 import FTS5Engine

log = logging.getLogger("kiln")
STATE = "state.json"
TEXTS = "texts.json"  # each rendered Markdown's plain text, so an edit converts one post
POSTS = "posts.json"  # what each post's row gave (URL, dates, summary, digest), so an edit prepares one post
_lock = threading.Lock()
# named, not imported: its client costs a fifth of a second and 19 MiB to import, which a site on the
# embedded engine (the default) should not pay on every build; imported the first time a site uses it
ELASTICSEARCH = "search.engines.elasticsearch"


@dataclass(frozen=True)
class Listing:
    """The static index as written: the entry file and every other file's name."""

    state: str
    entry: str  # sha256 of the entry file's bytes
    names: tuple[str, ...]


def folder() -> Path:
    return settings.KILN.CACHE_DIR / "search"


def files_folder() -> Path:
    return folder() / "static"


def elasticsearch() -> ModuleType:
    """``search.engines.elasticsearch``, imported on first use."""
    return importlib.import_module(ELASTICSEARCH)


def open_engine() -> Engine:
    """The engine the settings choose: Elasticsearch when its URL is set, else FTS5."""
    if settings.KILN.ELASTICSEARCH_URL:
        return elasticsearch().from_settings(settings.KILN)
    return FTS5Engine(folder() / "fts5.sqlite")


def _code_version() -> str:
    """The search code itself: a change to how files are written writes them again."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted(here.rglob("*.py")):
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def state() -> str:
    """A cheap digest of everything the index shows: which posts are published, and their files."""
    digest = hashlib.sha256()
    digest.update(json.dumps([_code_version(), settings.KILN.ELASTICSEARCH_URL, settings.TIME_ZONE]).encode())
    if settings.KILN.ELASTICSEARCH_URL:
        digest.update(elasticsearch().settings_digest(settings.KILN).encode())
    # a post's file hash covers its categories; a category's shown spelling changes only with a post's file
    for slug, source_hash in Post.objects.published().order_by("slug").values_list("slug", "source_hash"):
        digest.update(f"{slug}\0{source_hash}\0".encode())
    return digest.hexdigest()


_read: dict[str, tuple[tuple[int, int], Listing]] = {}


def read_listing() -> Listing | None:
    """The listing the last refresh wrote (read again only when its file changed)."""
    path = folder() / STATE
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = _read.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
        data = json.loads(path.read_text())
        listing = Listing(data["state"], data["entry"], tuple(data["names"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    _read[str(path)] = (stamp, listing)
    return listing


def refresh(*, clean: bool = False) -> tuple[Listing, Update | None]:
    """Make the engine and the static files match the published posts."""
    with _lock:
        current = state()
        listing = read_listing()
        if not clean and listing is not None and listing.state == current and _complete(listing):
            return listing, None
        texts_path, posts_path = folder() / TEXTS, folder() / POSTS
        engine = open_engine()
        try:
            indexed = None if clean else engine.indexed()
            # every post's text is kept only for an engine that is sent all of them (and keeps no keys)
            every_text = indexed is None and not clean
            known = (_read_json(texts_path) if every_text else {}, {} if clean else _read_json(posts_path))
            documents, metas, texts, prepared = published(*known, indexed=indexed)
            number = {meta.key: (meta.order, meta.key) for meta in metas}  # FORMAT.md's post order
            sent = {doc.key for doc in documents}
            kept = [] if indexed is None else [meta.key for meta in metas if meta.key not in sent]
            report = engine.update(sorted(documents, key=lambda doc: number[doc.key]), clean=clean, kept=kept)
            keys = engine.keys()
            if keys is None and indexed is not None:
                raise ValueError("an engine that keeps no keys is sent every document")
            index = static.write(
                documents,
                metas,
                engine.analyze,
                engine.encoded_postings,
                engine=engine.name,
                stemmer=engine.stemmer,
                keys=keys,
                extra_keys=engine.vocabulary(),
            )
        finally:
            engine.close()
        listing = _store(index, current)
        del index, documents, metas
        if keys is None and texts != known[0]:
            texts_path.write_text(json.dumps(texts, sort_keys=True))
        if prepared != known[1]:
            posts_path.write_text(json.dumps(prepared, sort_keys=True))
        log.debug("search: %s, %d index files", report, len(listing.names) + 1)
        return listing, report


def _read_json(path: Path) -> dict:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _complete(listing: Listing) -> bool:
    where = files_folder()
    return (where / static.ENTRY).is_file() and all((where / name).is_file() for name in listing.names)


def _store(index: static.StaticIndex, current: str) -> Listing:
    """Write the files whose names are new, remove those no longer listed, then the listing."""
    where = files_folder()
    where.mkdir(parents=True, exist_ok=True)
    for name, data in index.files.items():
        path = where / name
        if not path.is_file():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
    entry = where / static.ENTRY
    if not entry.is_file() or entry.read_bytes() != index.entry:
        tmp = entry.with_suffix(".tmp")
        tmp.write_bytes(index.entry)
        tmp.replace(entry)
    keep = set(index.files) | {static.ENTRY}
    for path in where.iterdir():
        if path.name not in keep:
            path.unlink()
    listing = Listing(current, hashlib.sha256(index.entry).hexdigest(), tuple(index.names()))
    state_path = folder() / STATE
    state_path.write_text(json.dumps({"state": listing.state, "entry": listing.entry, "names": listing.names}))
    return listing


def current() -> Listing:
    """The static index for the posts as they are now (``serve`` refreshes it after an edit)."""
    listing = read_listing()
    if settings.SERVE or listing is None:
        listing, _report = refresh()
    return listing


def read(name: str) -> bytes | None:
    """The bytes of one index file (``index.json`` or a listed name), or None."""
    listing = current()
    if name != static.ENTRY and name not in listing.names:
        return None
    try:
        return (files_folder() / name).read_bytes()
    except OSError:
        return None
