"""Walk the content folder, keeping only what is safe to read and publish.

Only regular files inside the content folder are read. Everything else is
left out, and said: a symbolic link that resolves outside the content folder
(to ``/etc/passwd``, to ``/dev/zero``) is skipped with a warning (``--strict``
makes it an error); a FIFO, socket or device, a dangling link, a link loop,
and a file or folder that cannot be read are errors naming the file, so that
a post is never silently dropped and nothing can hang the build.

Links to folders are not followed (as before), and say so when they lead out.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import Problem

KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
         stat.S_IFBLK: "a device"}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """A visible path under the content folder; ``refused`` says why it is not read (None: it is)."""

    path: Path
    refused: str | None = None
    warning: bool = False  # a skipped link outside the folder: a warning, not an error


def hidden(name: str) -> bool:
    """Hidden files and folders and editor backups (``name~``) are not content."""
    return name.startswith(".") or name.endswith("~")


def entries(root: Path) -> Iterator[Entry]:
    """Every visible file under ``root``, sorted, each with why it is refused (if it is)."""
    top = os.path.realpath(root)
    yield from _walk(Path(root), top)


def _walk(folder: Path, top: str) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as it:
            found = sorted((entry.name, entry) for entry in it if not hidden(entry.name))
    except OSError as exc:
        yield Entry(folder, f"the folder cannot be read ({exc.strerror}); its posts would be left out")
        return
    for _name, entry in found:
        path = folder / entry.name
        try:
            if entry.is_symlink():
                yield from _link(path, top)
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(path, top)
            elif entry.is_file(follow_symlinks=False):  # the folder's listing says so: no lstat needed
                yield _file(path, stat.S_IFREG)
            else:
                yield _file(path, os.lstat(path).st_mode)
        except OSError as exc:
            yield Entry(path, f"cannot be read ({exc.strerror})")


def _link(path: Path, top: str) -> Iterator[Entry]:
    target = os.path.realpath(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield Entry(path, "is a symbolic link that loops back on itself; remove it")
        elif exc.errno == errno.ENOENT:
            yield Entry(path, f"is a symbolic link to {target}, which does not exist; remove it or fix its target")
        else:
            yield Entry(path, f"is a symbolic link that cannot be followed ({exc.strerror})")
        return
    if os.path.commonpath([top, target]) != top:
        yield Entry(
            path,
            f"is a symbolic link to {target}, outside the content folder: not published; "
            "copy the file into the content folder to publish it",
            warning=True,
        )
    elif not stat.S_ISDIR(mode):  # a link to a folder inside is not followed
        yield _file(path, mode)


def _file(path: Path, mode: int) -> Entry:
    if not stat.S_ISREG(mode):
        kind = KINDS.get(stat.S_IFMT(mode), "not a regular file")
        return Entry(path, f"is {kind}, not a regular file; remove it from the content folder")
    if not os.access(path, os.R_OK):
        return Entry(path, "cannot be read (permission denied); make it readable or remove it")
    return Entry(path)


def rel_path(root: Path, path: Path) -> str:
    """``path.relative_to(root).as_posix()`` for a ``path`` under ``root``, without pathlib's parsing (the load
    stage takes it of every file of the folder, a few times)."""
    text, top = str(path), str(root)
    if text.startswith(top) and text[len(top) : len(top) + 1] == os.sep:
        return text[len(top) + 1 :].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def readable_files(root: Path, found: Iterable[Entry] | None = None) -> Iterator[Path]:
    """The files of :func:`entries` that are read and published (``found``: those entries, when walked already)."""
    return (entry.path for entry in (entries(root) if found is None else found) if entry.refused is None)


def report(
    root: Path, shown_root: str, found: Iterable[Entry] | None = None
) -> tuple[list[Problem], dict[str, list[Problem]]]:
    """What :func:`entries` refused (``found``: those entries, when walked already): errors, and warnings by
    relative path (for ``--strict``)."""
    errors: list[Problem] = []
    warnings: dict[str, list[Problem]] = {}
    shown_root = shown_root.rstrip("/")
    for entry in entries(root) if found is None else found:
        if entry.refused is None:
            continue
        rel = rel_path(root, entry.path)
        problem = Problem(shown_root if rel == "." else f"{shown_root}/{rel}", None, entry.refused)
        if entry.warning:
            warnings.setdefault(rel, []).append(problem)
        else:
            errors.append(problem)
    return errors, warnings


def too_large(path: Path, limit: int, what: str, setting: str) -> str | None:
    """Why ``path`` is too large to read (over ``limit`` bytes), or None."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if size <= limit:
        return None
    return (
        f"is {size:,} bytes, more than the {limit:,} allowed for {what}; split it, or raise {setting} "
        "(a size such as 20MB)"
    )
