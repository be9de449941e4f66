"""The content, output and cache folders must be three separate trees.

Checked with the other settings, before anything is created: the cache inside
the content folder would publish the database (drafts included), the output
inside the cache or the content would be replaced whole or published, and so
on in every direction. Paths are compared resolved, so a symbolic link does
not hide a nesting.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import permutations
from pathlib import Path
from typing import Any

# setting name -> (what it is, its option)
FOLDERS = {
    "CONTENT_DIR": ("content folder", "--content"),
    "OUT_DIR": ("output folder", "--out"),
    "CACHE_DIR": ("cache folder", "--cache"),
}
WHY = {
    ("CACHE_DIR", "CONTENT_DIR"): "its database (drafts included) would be published",
    ("CACHE_DIR", "OUT_DIR"): "the output folder is replaced whole by every build",
    ("OUT_DIR", "CONTENT_DIR"): "the site would be published again as content",
    ("OUT_DIR", "CACHE_DIR"): "the cache would be published",
    ("CONTENT_DIR", "OUT_DIR"): "the output folder is replaced whole by every build",
    ("CONTENT_DIR", "CACHE_DIR"): "the cache is not a place for posts",
}


def refuse(values: Mapping[str, Any]) -> None:
    """Raise a ValueError listing :func:`problems`, if there are any."""
    found = problems(values)
    if found:
        raise ValueError("\n  ".join(["invalid settings:", *found]))


def inside(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def problems(values: Mapping[str, Any]) -> list[str]:
    """What is wrong with the three folders of ``values`` (setting name -> path), one line each."""
    found = []
    paths = {name: Path(values[name]).expanduser().resolve() for name in FOLDERS}
    for inner, outer in permutations(FOLDERS, 2):
        if inside(paths[inner], paths[outer]) and not (paths[inner] == paths[outer] and inner > outer):
            what, option = FOLDERS[inner]
            relation = "is" if paths[inner] == paths[outer] else "is inside"
            found.append(
                f"KILN_{inner} ({option}): the {what} {paths[inner]} {relation} the {FOLDERS[outer][0]} "
                f"{paths[outer]}, and {WHY[inner, outer]}; keep the three folders apart, such as content/, "
                "out/ and .kiln-cache/"
            )
    for name, (what, option) in FOLDERS.items():
        if paths[name].exists() and not paths[name].is_dir():
            found.append(f"KILN_{name} ({option}): the {what} {paths[name]} is a file; choose a folder")
    return found
