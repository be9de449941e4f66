"""What each file of ``out/`` looked like when the build published it: size, mtime and inode.

"Up to date" must mean the bytes, not only the names: someone may edit a
file in ``out/`` by hand. Reading every file back on each build would cost
what the render manifest saves, so the build records each published file's
``stat`` and, next time, trusts only the files that still match. A file that
differs (or that the record lacks) is made again: a page is rendered, an
asset copied, and its bytes decide whether it changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

STAMPS = "out-stamps.json"  # in the cache folder


def _stat(path: Path) -> list[int] | None:
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ino]


def files(out: Path) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(out):
        base = Path(folder).relative_to(out).as_posix()
        found.extend(name if base == "." else f"{base}/{name}" for name in names)
    return found


def record(out: Path, cache: Path) -> None:
    """Remember how every file of ``out`` is now (after the publish)."""
    data = {name: _stat(out / name) for name in sorted(files(out))}
    temporary = cache / f".{STAMPS}.tmp{os.getpid()}"
    temporary.write_text(json.dumps(data, sort_keys=True))
    os.replace(temporary, cache / STAMPS)


def published(cache: Path) -> set[str] | None:
    """Every file the last build published (whatever happened to ``out`` since); None when unknown."""
    try:
        known = json.loads((cache / STAMPS).read_text())
    except (OSError, ValueError):
        return None
    return set(known) if isinstance(known, dict) else None


def forget(cache: Path) -> None:
    """Drop the record while ``out`` changes: a build killed then trusts nothing next time."""
    (cache / STAMPS).unlink(missing_ok=True)


def untrusted(out: Path, cache: Path, names: Iterable[str]) -> set[str]:
    """The files among ``names`` that are not as the last build left them in ``out``."""
    try:
        known = json.loads((cache / STAMPS).read_text())
    except (OSError, ValueError):
        known = {}
    return {name for name in names if known.get(name) is None or known[name] != _stat(out / name)}
