"""File operations the build relies on: reuse by hard link, atomic writes, the swap.

The staging folder is filled with new files and with hard links to unchanged
files of the previous output, so an unchanged file keeps its bytes and its
mtime. Nothing ever writes into a file in place: a hard-linked file is shared
with the previous ``out/``, which must stay untouched until the swap.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def link_or_write(target: Path, data: bytes | None, source: Path | None) -> bool:
    """Put ``source`` (by hard link) or ``data`` at ``target``; True when new bytes were written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        try:
            os.link(source, target)
        except FileExistsError:
            target.unlink()
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        return False
    assert data is not None
    temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return True


def write_if_changed(target: Path, data: bytes, previous: Path | None) -> bool:
    """Write ``data`` to ``target``, or link ``previous`` when it holds the same bytes."""
    reuse = previous if previous is not None and same_bytes(previous, data) else None
    return link_or_write(target, None if reuse else data, reuse)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    # the C library the interpreter is linked with (find_library would run ldconfig in a subprocess: a fork of
    # the whole build process, 0.1 s and its memory again)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, out: Path) -> None:
    """Make ``staging`` the new ``out`` in one step; the old tree is removed after."""
    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old)
