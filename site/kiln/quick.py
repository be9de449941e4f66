"""The no-op build: when nothing a build reads has changed since the last one, say so without starting Django.

A rebuild with nothing changed must finish in well under a second, and
setting up Django (apps, URLs, templates, the database) costs more than
that alone. So a build that published without a warning records a stamp in
the cache folder (:data:`STAMP`): the ``stat`` (size, mtime, ctime, inode)
of every file it reads (the content folder, a Hugo or Zola project's static
folders and configuration, the site's code and templates, the assets, the
Node tools' lock file and ``build.py``), the environment variables that
choose settings, and what the build reported. The next
``build.py build`` compares them before importing Django; when every one is
the same, and ``out/`` is still as that build published it
(``kiln.stamps``) and the cache folder as that build left it, it reports
the same pages and stops.

Anything in doubt means a full build: no stamp, a stamp of another format,
a symbolic link among the inputs (its target is not stat'ed), a database
other than the SQLite file of the cache folder or an Elasticsearch node
(another program may change them), a post whose publication date has come since, or an
input changed while the build ran.

A file modified within a second of the build's start (git's "racily clean"
entries: the edit just before an edit build) could be edited again within
the file system's clock tick and keep its ``stat``; so its bytes' hash,
taken before the build read it, is kept in the stamp too, and the next
build compares that hash as well (:class:`Inputs`). A build started just
after its edit, as the benchmark and a text editor's save-and-build do,
still leaves a stamp for the next one.

This module imports no Django: it runs before ``django.setup()``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from blog import project as hugo_zola
from core.errors import SiteError

from . import lock, stamps

STAMP = "quick-stamp.json"  # in the cache folder
LOCK = "build.lock"  # kiln.lock's, in the cache folder too
VERSION = 3
# the environment that can change a page or a setting: Kiln's, Django's, Netlify's and the tools' search path
ENVIRONMENT_PREFIXES = ("KILN_", "DJANGO_", "DATABASE_", "ELASTICSEARCH", "NETLIFY", "DEPLOY_", "CONTEXT", "URL")
ENVIRONMENT_NAMES = ("PATH", "NODE_PATH")
# what the build shows while it runs (--quiet, --debug), not what it writes; not TZ: Django sets it from TIME_ZONE
UNSEEN = ("KILN_QUIET", "KILN_LOG_LEVEL")
RACY_NANOSECONDS = 1_000_000_000  # an input changed this shortly before a build started is not trusted by its stat
RACY_FILES = 256  # at most this many such files are hashed (the no-op build hashes them again); more: no stamp


@dataclass(frozen=True)
class Inputs:
    """What a build read, taken as it started: the digest of its inputs' ``stat`` and the hashes of the racy ones."""

    digest: str
    racy: dict[str, str]  # path -> sha256 of the bytes, of each file changed within RACY_NANOSECONDS of the start


@dataclass(frozen=True)
class Reported:
    """What the recorded build reported, to report again."""

    pages: int
    posts: int


def _environment(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(
        (name, value)
        for name, value in environ.items()
        if (name.startswith(ENVIRONMENT_PREFIXES) or name in ENVIRONMENT_NAMES) and name not in UNSEEN
    )


class _Link(Exception):
    """A symbolic link among the inputs."""


def _walk(root: Path) -> list[tuple[str, os.stat_result]] | None:
    """Every entry under ``root`` (not ``__pycache__``), depth first in name order, with its ``lstat``; None when
    a symbolic link is among them, or a folder cannot be read (the full build names it)."""
    found: list[tuple[str, os.stat_result]] = []

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            if entry.is_symlink():
                raise _Link(entry.path)
            name = prefix + entry.name
            found.append((name, entry.stat(follow_symlinks=False)))
            if entry.is_dir(follow_symlinks=False):
                visit(entry.path, name + "/")

    try:
        visit(str(root), "")
    except (_Link, OSError):
        return None
    return found


def _out_as_recorded(out: Path, recorded: dict[str, list[int]]) -> bool:
    """Whether ``out`` holds exactly the files of ``kiln.stamps``' record, each with the same size, mtime and
    inode (the check of ``stamps.untrusted``, done here on plain strings: it runs on every no-op build)."""
    seen = 0
    folders = [(str(out), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, name + "/"))
                    continue
                info = entry.stat(follow_symlinks=False)
                if recorded.get(name) != [info.st_size, info.st_mtime_ns, info.st_ino]:
                    return False
                seen += 1
    return seen == len(recorded)


def inputs(
    roots: Iterable[Path], files: Iterable[Path], environ: Mapping[str, str], racy_after: int | None = None
) -> tuple[str, list[str]] | None:
    """A digest of the ``stat`` of everything under ``roots``, of ``files`` and of the environment, and the files
    among them changed at ``racy_after`` (ns) or later (none without it); None when they cannot be trusted by
    their ``stat``."""
    racy_after = sys.maxsize if racy_after is None else racy_after
    digest = hashlib.sha256(f"quick v{VERSION}".encode())
    racy: list[str] = []
    for name, value in _environment(environ):
        digest.update(f"env {name}={value}\0".encode())
    for root in roots:
        digest.update(f"root {root}\0".encode())
        if not root.is_dir():
            digest.update(b"missing\0")
            continue
        entries = _walk(root)
        if entries is None:
            return None
        for name, info in entries:
            digest.update(
                f"{name} {info.st_mode} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\0".encode()
            )
            # a folder needs no hash: a file added to it or removed is a name more or less in the digest
            if stat.S_ISREG(info.st_mode) and max(info.st_mtime_ns, info.st_ctime_ns) >= racy_after:
                racy.append(os.path.join(root, name))
    for path in files:
        try:
            info = os.lstat(path)
        except OSError:
            digest.update(f"file {path} missing\0".encode())
            continue
        digest.update(f"file {path} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\0".encode())
        if max(info.st_mtime_ns, info.st_ctime_ns) >= racy_after:
            racy.append(str(path))
    return digest.hexdigest(), racy


def _hashes(paths: Iterable[str]) -> dict[str, str] | None:
    """The sha256 of each file's bytes; None when one cannot be read."""
    try:
        return {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in paths}
    except OSError:
        return None


def _what(
    settings: object, project: Path, environ: Mapping[str, str], racy_after: int | None = None
) -> tuple[str, list[str]] | None:
    content = Path(settings.CONTENT_DIR)  # type: ignore[attr-defined]
    # a Hugo or Zola project's static folders are published too, and its configuration says which
    roots = [content, project / "site", Path(settings.ASSETS_DIR), *hugo_zola.static_folders(content)]  # type: ignore[attr-defined]
    files = [project / "build.py", project / "package-lock.json", project / "requirements.txt"]
    files += hugo_zola.config_files(content)
    return inputs([root.resolve() for root in roots], files, environ, racy_after)


def _cache_state(cache: Path) -> str | None:
    """A digest of the cache folder as the build left it: a cache edited or removed by hand means a full build."""
    entries = _walk(cache) if cache.is_dir() else None
    if entries is None:
        return None
    digest = hashlib.sha256()
    for name, info in entries:
        if name not in (STAMP, LOCK) and not name.startswith(f".{STAMP}"):
            digest.update(f"{name} {info.st_size} {info.st_mtime_ns} {info.st_ino}\0".encode())
    return digest.hexdigest()


def _usable_database(environ: Mapping[str, str]) -> bool:
    """Whether the build's state is all in the cache folder: not with PostgreSQL or Elasticsearch, which
    another program may change."""
    return not any(environ.get(name) for name in ("DATABASE_URL", "KILN_ELASTICSEARCH_URL", "ELASTICSEARCH_URL"))


def look(
    settings: object, project: Path, shortcut: bool = True, environ: Mapping[str, str] | None = None
) -> tuple[Reported | None, Inputs | None]:
    """What a build asks before Django starts, from one walk of its inputs: with ``shortcut``, what the last
    build reported when this one would change nothing (then it stops); else what it reads, for the next
    build's stamp (None when a stamp cannot be trusted).

    The walk is taken before the build reads anything; files changed within
    ``RACY_NANOSECONDS`` of it are hashed.
    """
    environ = os.environ if environ is None else environ
    if not _usable_database(environ):
        return None, None
    found = _what(settings, project, environ, racy_after=time.time_ns() - RACY_NANOSECONDS)
    if found is None:
        return None, None
    if shortcut:
        reported = unchanged(settings, project, found[0], environ)
        if reported is not None:
            return reported, None
    if len(found[1]) > RACY_FILES:
        return None, None
    hashes = _hashes(found[1])
    return None, None if hashes is None else Inputs(found[0], hashes)


def record(
    settings: object,
    project: Path,
    start: Inputs | None,
    reported: Reported,
    valid_until: float | None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """After a build that published without a warning: remember what it read (``start``, from :func:`look`).

    Nothing is recorded when an input changed while the build ran.
    """
    environ = os.environ if environ is None else environ
    cache = Path(settings.CACHE_DIR)  # type: ignore[attr-defined]
    stamp = cache / STAMP
    stamp.unlink(missing_ok=True)
    found = _what(settings, project, environ) if start is not None else None
    if start is None or found is None or found[0] != start.digest:
        return
    state = _cache_state(cache)
    if state is None:
        return
    data = {
        "cache": state,
        "version": VERSION,
        "inputs": start.digest,
        "racy": start.racy,
        "out": str(Path(settings.OUT_DIR).resolve()),  # type: ignore[attr-defined]
        "valid_until": valid_until,
        "pages": reported.pages,
        "posts": reported.posts,
    }
    temporary = cache / f".{STAMP}.tmp{os.getpid()}"
    temporary.write_text(json.dumps(data, sort_keys=True))
    os.replace(temporary, stamp)


def unchanged(
    settings: object, project: Path, digest: str, environ: Mapping[str, str] | None = None
) -> Reported | None:
    """What the last build reported, when this one would change nothing; else None (build for real).

    ``digest`` is that of this build's inputs (:func:`inputs`), taken by :func:`look`.

    It looks while holding the cache folder's lock, as a build does; when
    another build holds it, the full build says so.
    """
    cache = Path(settings.CACHE_DIR)  # type: ignore[attr-defined]
    if not (cache / STAMP).is_file():
        return None
    try:
        with lock.held(cache):
            return _unchanged(settings, digest, os.environ if environ is None else environ)
    except SiteError:
        return None


def _unchanged(settings: object, digest: str, environ: Mapping[str, str]) -> Reported | None:
    cache = Path(settings.CACHE_DIR)  # type: ignore[attr-defined]
    out = Path(settings.OUT_DIR).resolve()  # type: ignore[attr-defined]
    try:
        data = json.loads((cache / STAMP).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("out") != str(out):
        return None
    until = data.get("valid_until")
    if until is not None and time.time() >= until:
        return None
    if not _usable_database(environ) or not out.is_dir() or lock.leftovers(out):
        return None  # (a full build removes what dead builds left beside out/)
    if digest != data.get("inputs") or _cache_state(cache) != data.get("cache"):
        return None
    racy = data.get("racy")
    if not isinstance(racy, dict) or _hashes(racy) != racy:
        return None
    try:
        recorded = json.loads((cache / stamps.STAMPS).read_text())
    except (OSError, ValueError):
        return None
    try:
        if not isinstance(recorded, dict) or not _out_as_recorded(out, recorded):
            return None
    except OSError:  # a folder of out/ that cannot be read: the full build says what is wrong
        return None
    return Reported(int(data["pages"]), int(data["posts"]))
