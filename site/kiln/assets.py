"""Assets stage: ``collectstatic`` (django-pipeline bundles and compresses), then
only the fingerprinted files are copied into the staging folder.

collectstatic runs only when the asset sources or the settings that shape
them changed since the last run, so an unchanged build never starts csso or
terser. Its output lives in the cache folder (``STATIC_ROOT``); the staging
folder gets the hashed names listed in the manifest, by hard link, so a CDN
can cache them forever and no unhashed duplicate is shipped.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from .files import link_or_write

STAMP = "assets-stamp.txt"


def sources_hash() -> str:
    """A hash of every static source file and of the settings that shape the output."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            digest.update(path.encode())
            with storage.open(path) as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    shaping = {
        "STATIC_URL": settings.STATIC_URL,
        "STORAGES": settings.STORAGES,
        "PIPELINE": getattr(settings, "PIPELINE", None),
    }
    digest.update(json.dumps(shaping, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def collect(staging: Path, previous: Path | None, force: bool = False) -> str:
    """Run collectstatic if needed and put the shipped files under ``staging``.

    Returns a hash of the asset manifest, which every page's fingerprint includes.
    """
    root = Path(settings.STATIC_ROOT)
    stamp = Path(settings.KILN["CACHE_DIR"]) / STAMP
    current = sources_hash()
    manifest_file = root / "staticfiles.json"
    if force or not stamp.is_file() or stamp.read_text() != current or not root.is_dir():
        call_command("collectstatic", interactive=False, clear=True, verbosity=0, stdout=io.StringIO())
        stamp.write_text(current)
    shipped = shipped_files(root)
    prefix = settings.STATIC_URL.strip("/")
    for name in shipped:
        target = staging / prefix / name
        link_or_write(target, None, root / name)
    return hashlib.sha256(manifest_file.read_bytes() if manifest_file.is_file() else current.encode()).hexdigest()


def shipped_files(root: Path) -> list[str]:
    """The hashed names from the manifest, or every file when there is no manifest."""
    manifest_file = root / "staticfiles.json"
    if manifest_file.is_file():
        return sorted(set(json.loads(manifest_file.read_text())["paths"].values()))
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
