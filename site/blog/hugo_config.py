"""The URLs a Hugo project gave its posts, read from its configuration: ``[permalinks]`` and ``uglyURLs``.

Hugo reads its configuration from ``hugo.toml`` (or ``.yaml``, ``.json``,
or the older ``config.*``) in the project's root, or from ``config/_default/``,
where a file may also hold one key alone (``permalinks.toml``). The project's
root is the content folder or one of the two above it (``content/en``), as
:func:`blog.layout.hugo_site` finds it. Keys are read without case, as Hugo
reads them.

``[permalinks] post = "/:year/:month/:day/:slug/"`` gives the posts of the
section ``post`` that URL (``[permalinks.page]``, Hugo's newer spelling, too);
``uglyURLs = true`` (or ``[uglyURLs] post = true``, per section) publishes
each post as a file, ``/2025/12/02/hello.html``, instead of a folder. Kiln
publishes every post as a folder, at the URL ``KILN_PERMALINK`` gives it; the
URL Hugo gave a post, when it is another, becomes a redirect to it (an alias):
links to the old URL, and the old URL itself, keep working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .project import read_config

NAMES = ("hugo", "config")
SUFFIXES = (".toml", ".yaml", ".yml", ".json")
DEFAULT_FOLDER = ("config", "_default")
TOKEN = re.compile(r":(\w+)")


@dataclass(frozen=True)
class HugoUrls:
    """What decides a Hugo post's URL: the permalink pattern of each section, and which sections are ugly."""

    permalinks: dict[str, str] = field(default_factory=dict)  # section -> pattern
    ugly: bool = False  # uglyURLs for every section
    ugly_sections: frozenset[str] = frozenset()

    def digest(self) -> str:
        """What the posts' URLs depend on, for their hashes: a change redirects them from elsewhere."""
        text = json.dumps([self.permalinks, self.ugly, sorted(self.ugly_sections)], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def is_ugly(self, section: str) -> bool:
        return self.ugly or section in self.ugly_sections

    def url(self, rel: str, date: dt.datetime, slug: str, stem: str, own_slug: bool) -> str | None:
        """The URL Hugo gave the post at ``rel`` (its top folder is its section; a section without a pattern
        has Hugo's path URL, ``/docs/faq/``), or None when it is in no section or the pattern holds a token
        Kiln cannot fill. ``slug`` is the post's slug, ``stem`` its file's (or leaf bundle's) name, ``own_slug``
        whether its front matter gives ``slug:``."""
        folder, _, _ = rel.rpartition("/")
        section = folder.split("/")[0].lower()  # the configuration's keys are read without case
        if not section:
            return None
        values = {
            "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
            "slug": slug, "title": slug, "filename": stem, "contentbasename": stem,
            "slugorfilename": slug if own_slug else stem, "slugorcontentbasename": slug if own_slug else stem,
            "section": folder.split("/")[0], "sections": folder,
        }  # fmt: skip
        pattern = self.permalinks.get(section, f"/{folder}/:slugorfilename/")
        if any(token not in values for token in TOKEN.findall(pattern)):
            return None
        url = "/" + re.sub(r"/{2,}", "/", TOKEN.sub(lambda m: values[m[1]], pattern)).strip("/")
        return url + ".html" if self.is_ugly(section) else url + "/"


def config_files(root: Path) -> list[Path]:
    """The Hugo configuration files of the project whose content folder is ``root``, the first found
    (nearest folder first) then the files of its ``config/_default/``."""
    for folder in (root, *root.parents[:2]):
        found = [folder / f"{name}{suffix}" for name in NAMES for suffix in SUFFIXES]
        found = [path for path in found if path.is_file()][:1]
        default = folder.joinpath(*DEFAULT_FOLDER)
        if default.is_dir():
            found += sorted(path for path in default.iterdir() if path.suffix in SUFFIXES and path.is_file())
        if found:
            return found
    return []


def parse(path: Path) -> dict:
    """One configuration file, its keys in lower case; ``{}`` when it cannot be read (Hugo would say why)."""
    return lowered(read_config(path) or {})


def lowered(data: dict) -> dict:
    return {str(key).lower(): lowered(value) if isinstance(value, dict) else value for key, value in data.items()}


def read(root: Path) -> HugoUrls | None:
    """The URL configuration of the Hugo project around ``root``, or None when it has none to apply."""
    merged: dict = {}
    for path in config_files(root):
        data = parse(path)
        stem = path.stem.lower()
        if stem not in NAMES and not stem.startswith("languages."):  # config/_default/permalinks.toml
            data = {stem: data}
        for key in ("permalinks", "uglyurls"):
            if key in data:
                merged.setdefault(key, data[key])
    permalinks = merged.get("permalinks")
    if isinstance(permalinks, dict) and isinstance(permalinks.get("page"), dict):
        permalinks = permalinks["page"]  # Hugo 0.120's per-kind table
    patterns = {
        section: pattern
        for section, pattern in (permalinks or {}).items()
        if isinstance(pattern, str) and pattern.strip()
    }
    ugly = merged.get("uglyurls", False)
    sections = frozenset(name for name, on in ugly.items() if on is True) if isinstance(ugly, dict) else frozenset()
    config = HugoUrls(patterns, ugly is True, sections)
    return config if patterns or config.ugly or sections else None
