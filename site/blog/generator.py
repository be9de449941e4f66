"""Which generator a post was written for, read from its file: it decides how its URLs are read.

A relative alias (``2018-03-15/``) is relative to the site root in Zola,
Jekyll and Pelican, and to the post's section (its folder) in Hugo. Nothing
else tells them apart, so the front matter does: Pelican's ``Key: value``
lines; TOML (``+++``) is Zola's unless it holds a field only Hugo reads at
the top level (Zola keeps tags under ``[taxonomies]`` and refuses unknown
top-level fields); YAML (``---``) is Jekyll's (or Eleventy's, which reads
URLs the same way) under ``_posts``/``_drafts`` or with Jekyll's fields,
else Hugo's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from .frontmatter import Document
from .layout import DRAFTS, bundle_folder, ignored, is_markdown

Generator = Literal["zola", "hugo", "jekyll", "pelican"]

HUGO_TOML = frozenset(("url", "lastmod", "tags", "categories", "publishDate", "expiryDate"))
JEKYLL_YAML = frozenset(("permalink", "redirect_from", "layout", "published"))


def source_generator(rel: str, doc: Document) -> Generator:
    """The generator the post at ``rel`` (relative to the content folder) was written for."""
    if doc.kind == "pelican":
        return "pelican"
    if doc.kind == "toml":
        return "hugo" if HUGO_TOML.intersection(doc.meta) else "zola"
    folders = rel.split("/")[:-1]
    if "_posts" in folders or DRAFTS in folders or JEKYLL_YAML.intersection(doc.meta):
        return "jekyll"
    return "hugo"


def section(rel: str) -> str:
    """The folder holding the post at ``rel`` (a leaf bundle's ``posts/my-trip/index.md``: ``posts``), or ``""``;
    Jekyll's ``_posts`` and ``_drafts`` folders are no part of it (``news/_posts/x.md``: ``news``)."""
    folder = (bundle_folder(rel) or rel).rpartition("/")[0]
    return "/".join(part for part in folder.split("/") if part not in ("_posts", DRAFTS))


def main_section(root: Path, leave_out: Sequence[str] = ()) -> str:
    """Hugo's main section (its ``mainSections`` default): the top-level folder of ``root`` holding the most
    Markdown files that ``leave_out`` (``KILN_IGNORE`` and ``KILN_PAGES`` patterns) does not match, the first
    by name on a tie; ``""`` when no folder holds one."""
    counts: dict[str, int] = {}
    for entry in sorted(os.scandir(root), key=lambda entry: entry.name):
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith((".", "_")):
            counts[entry.name] = sum(
                is_markdown(name) and not ignored(f"{os.path.relpath(folder, root)}/{name}", leave_out)
                for folder, _, names in os.walk(entry.path)
                for name in names
                if not name.startswith(".")
            )
    best = max(counts.values(), default=0)
    return next((name for name, count in counts.items() if count == best), "") if best else ""


def absolute_alias(alias: str, generator: Generator, rel: str) -> str:
    """``alias`` as a path from the site root: Hugo's relative ones from the post's section, the others' from
    the root (``2014/12/12/x.html`` -> ``/2014/12/12/x.html``). Absolute ones and full URLs are kept."""
    if alias.startswith("/") or "://" in alias:
        return alias
    while alias.startswith("./"):
        alias = alias[2:]
    folder = section(rel) if generator == "hugo" else ""
    return f"/{folder}/{alias}" if folder else f"/{alias}"
