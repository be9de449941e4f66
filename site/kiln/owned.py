"""The record of what Kiln wrote in the output folder, so a build never deletes anything else.

A build replaces ``out/`` whole. The marker file ``.kiln-output`` says the
folder is Kiln's; since it also lists every file the build wrote, a file
someone added later (``CNAME``, ``.git/``, ``plog/notes.txt``) is found and
the build refuses, naming it, rather than deleting it with the old site.

Refusing, rather than carrying such files over into the new site, is on
purpose: ``out/`` is what gets deployed, and a ``.git/`` folder or notes
carried along would be published. A file that belongs on the site goes into
the content folder, which publishes it as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from core import files

from .errors import ConfigError, display_path, printable

MARKER = ".kiln-output"
HEADER = "This folder is written by Kiln (build.py); every build replaces it whole.\n"
LISTING = "Files Kiln wrote here, one JSON string a line (any other file stops the build, so it is never deleted):\n"
SHOWN = 10


def entries(folder: Path) -> set[str]:
    """Every file, link and folder under ``folder``, as relative paths with ``/`` (folders end with ``/``)."""
    return {f"{name}/" if entry.is_dir() else name for name, entry in files.tree(folder)}


def record(published: Iterable[str]) -> bytes:
    """The marker's bytes for a site of the files ``published``: the header, then every file, sorted."""
    names = sorted(set(published) - {MARKER})
    return (HEADER + LISTING + "".join(json.dumps(name) + "\n" for name in names)).encode()


def recorded(out: Path) -> set[str] | None:
    """The files the marker of ``out`` lists, or None when it lists none (a marker of an older Kiln)."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    _head, found, rest = text.partition(LISTING)
    if not found:
        return None
    try:
        return {json.loads(line) for line in rest.split("\n") if line} | {MARKER}
    except ValueError:
        return None


def foreign(out: Path) -> list[str]:
    """What ``out`` holds that its marker does not list (a folder is named once, not its files)."""
    written = recorded(out)
    if written is None:
        return []
    folders = {f"{folder}/" for name in written for folder in ancestors(name)}
    strays = sorted(entry for entry in entries(out) if entry not in written and entry not in folders)
    # a stray folder stands for everything in it
    return [entry for entry in strays if not any(a + "/" in strays for a in ancestors(entry.rstrip("/")))]


def ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def refuse_foreign(out: Path) -> None:
    """Raise, naming them, when ``out`` holds files a build did not write."""
    strays = foreign(out)
    if not strays:
        return
    shown = ", ".join(printable(name) for name in strays[:SHOWN])
    more = f" and {len(strays) - SHOWN} more" if len(strays) > SHOWN else ""
    raise ConfigError(
        f"the output folder {display_path(out)} holds files Kiln did not write: {shown}{more}; a build replaces "
        "the output folder whole, so move them away first (a file that belongs on the site goes into the content "
        "folder, which publishes it), or delete them"
    )
