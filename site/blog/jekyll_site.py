"""What a Jekyll site's Liquid reads besides the post, and what Liquid and the Markdown renderer share.

The Liquid renderer itself (:mod:`blog.jekyll`) imports python-liquid, a
quarter of a second at every process start; the Markdown renderer loads it
only for a post that holds Liquid, while every post's cache key needs
:func:`digest`, which is here.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import NamedTuple

import yaml
from django.conf import settings

INCLUDES = "_includes"
DATA = "_data"
DATA_FORMATS = (".yml", ".yaml", ".json", ".csv")
CONFIG = "_config.yml"


class SyntaxProblem(Exception):
    """Liquid that python-liquid cannot read or render (an unknown tag, a missing include)."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line


class Helpers(NamedTuple):
    """What Liquid needs of the Markdown renderer: Jekyll's ``markdownify``, and the URLs of posts and files."""

    markdownify: Callable[[str], str]
    post_url: Callable[[str], str]
    link: Callable[[str], str]


def content_folder() -> Path:
    return Path(settings.KILN.CONTENT_DIR)


def includes_folder() -> Path:
    return content_folder() / INCLUDES


@functools.cache
def site_config() -> dict:
    """``_config.yml`` of the content folder (empty when there is none), with ``url`` and ``baseurl`` empty."""
    path = content_folder() / CONFIG
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, yaml.YAMLError):
        loaded = {}
    return {**(loaded if isinstance(loaded, dict) else {}), "url": "", "baseurl": "", "data": site_data()}


def site_data() -> dict:
    """Jekyll's ``site.data``: each ``_data/name.yml`` (``.yaml``, ``.json``, ``.csv``) as ``site.data.name``,
    sub-folders as nested tables; a file that cannot be read is left out."""
    found: dict = {}
    folder = content_folder() / DATA
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if not path.is_file() or path.suffix.lower() not in DATA_FORMATS:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            if path.suffix.lower() == ".csv":
                value: object = list(csv.DictReader(StringIO(text)))
            elif path.suffix.lower() == ".json":
                value = json.loads(text)
            else:
                value = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
            continue
        table = found
        for part in path.relative_to(folder).parent.parts:
            table = table.setdefault(part, {})
        table[path.stem] = value
    return found


@functools.cache
def digest() -> str:
    """A hash of what Liquid reads besides the post: ``_config.yml``, ``_includes/`` and ``_data/``."""
    found = hashlib.sha256()
    data = (content_folder() / DATA).rglob("*")
    for path in sorted([content_folder() / CONFIG, *includes_folder().rglob("*"), *data]):
        if path.is_file():
            found.update(f"{path.relative_to(content_folder())}\0".encode() + path.read_bytes())
    return found.hexdigest()[:16]
