"""File operations the build relies on: atomic writes, the swap, the update in place.

A first (or ``--clean``) build fills a staging folder with the whole site and
swaps it for ``out/`` (:func:`publish`). A build over a previous output stages
only the files whose bytes changed, and :func:`update` then moves them into
``out/`` and removes the files gone: an unchanged file is never touched, so it
keeps its bytes and its mtime, and an edit costs what changed, not the whole
tree. Nothing ever writes into a file in place: until the publish, ``out/``
stays as the previous build left it.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Iterable, Iterator
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


def write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (through a temporary file beside it), making its folders."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def stage_if_changed(target: Path, data: bytes, previous: Path | None) -> bool:
    """Write ``data`` to ``target`` unless ``previous`` already holds those bytes; True when written."""
    if previous is not None and same_bytes(previous, data):
        return False
    write(target, data)
    return True


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


def tree(folder: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under ``folder`` with its path inside (with ``/``), a folder's before what it holds.

    One ``scandir`` per folder on plain strings (the output folder is walked on
    every build, every page's folder); a link to a folder is not followed, as in
    ``os.walk``.
    """
    folders = [(str(folder), "")]
    while folders:
        parent, prefix = folders.pop()
        try:
            listing = os.scandir(parent)
        except FileNotFoundError:
            continue
        with listing:
            for entry in listing:
                name = prefix + entry.name
                yield name, entry
                if entry.is_dir() and not entry.is_symlink():
                    folders.append((entry.path, name + "/"))


def staged_files(staging: Path) -> list[str]:
    """Every file under ``staging``, as relative paths with ``/``."""
    return sorted(name for name, entry in tree(staging) if not entry.is_dir())


def update(staging: Path, out: Path, removed: Iterable[str], last: str) -> list[str]:
    """Bring ``out`` to the new site: remove the files ``removed``, then move in every file of ``staging``.

    Each file is replaced atomically; a folder left empty by a removal goes
    too. ``last`` (the output's marker, when staged) is moved in after the others.
    Returns the files moved in.
    """
    for name in sorted(removed, reverse=True):
        path = out / name
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != out:  # the folders it leaves empty
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    staged = staged_files(staging)
    for name in sorted(staged, key=lambda name: name == last):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    return staged
