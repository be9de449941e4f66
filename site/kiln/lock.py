"""One build at a time on a cache folder, and no leftovers of builds that died.

Two builds on one cache would write the same database rows and files at
once; the second one is refused with a message instead. ``serve`` takes the
same lock for each sync of the content, waiting for a build to finish. The lock is an
``flock`` on a file in the cache folder: the kernel releases it when the
process ends, however it ends, so a killed build never leaves it taken.

A build killed after its swap leaves its staging (or old) folder beside
``out/``, a whole old site; the next build removes those of dead processes.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ConfigError, display_path

LOCK = "build.lock"


@contextmanager
def held(cache: Path, wait: bool = False) -> Iterator[None]:
    """Hold the cache folder's lock for the duration; raise ConfigError when another build holds it.

    ``wait``: wait for the other build to finish instead (``serve``'s syncs, which run in the
    background, so that a build and a preview on one cache folder never write it at once).
    """
    path = cache / LOCK
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "unknown"
            raise ConfigError(
                f"another build is running on the cache folder {display_path(cache)} (process {pid}); "
                "wait for it to finish, or give this one its own --cache"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user
    return True


def leftovers(out: Path) -> list[Path]:
    """The staging and old folders that dead builds left beside ``out``."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:staging|old)-(\d+)$")
    try:
        names = os.listdir(out.parent)
    except OSError:
        return []
    found = []
    for name in sorted(names):
        match = pattern.match(name)
        if match and int(match.group(1)) != os.getpid() and not alive(int(match.group(1))):
            found.append(out.parent / name)
    return found


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the staging and old folders that dead builds left beside ``out``; return them."""
    removed = leftovers(out)
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed
