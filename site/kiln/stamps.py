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
from collections.abc import Iterable, Mapping
from pathlib import Path

from core import files

STAMPS = "out-stamps.json"  # in the cache folder


def tree(out: Path) -> dict[str, list[int]]:
    """Every file under ``out`` (its path inside, with ``/``) -> its size, mtime and inode, as ``lstat`` says."""
    found: dict[str, list[int]] = {}
    for name, entry in files.tree(out):
        if not entry.is_dir():  # a link to a folder is neither followed nor a file, as in os.walk
            info = entry.stat(follow_symlinks=False)
            found[name] = [info.st_size, info.st_mtime_ns, info.st_ino]
    return found


def record(
    out: Path,
    cache: Path,
    now: Mapping[str, list[int]] | None = None,
    published: Iterable[str] = (),
    changed: Iterable[str] = (),
) -> None:
    """Remember how every file of ``out`` is now (after the publish).

    With ``now`` (a :func:`tree` of ``out`` taken before the publish), the
    files ``published`` are recorded without walking ``out`` again: those
    ``changed`` by the publish (and any ``now`` lacks) as they are now, the
    others as ``now`` found them. A file changed by hand meanwhile keeps its
    stamp from ``now``, so it is not trusted next time.
    """
    if now is None:
        data = tree(out)
    else:
        fresh = set(changed)
        data = {}
        for name in published:
            if name in fresh or name not in now:
                info = (out / name).lstat()
                data[name] = [info.st_size, info.st_mtime_ns, info.st_ino]
            else:
                data[name] = now[name]
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


def untrusted(now: Mapping[str, list[int]], cache: Path, names: Iterable[str]) -> set[str]:
    """The files among ``names`` that are not as the last build left them in the output folder (``now``, its
    :func:`tree`)."""
    try:
        known = json.loads((cache / STAMPS).read_text())
    except (OSError, ValueError):
        known = {}
    return {name for name in names if known.get(name) is None or known[name] != now.get(name)}
