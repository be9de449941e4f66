"""The Hugo or Zola project around a content folder, and the ``static/`` folders it publishes.

Hugo and Zola copy the files of their project's ``static/`` folder, as they
are, to the site's root: ``static/scripts/plot.js`` is ``/scripts/plot.js``.
A migrated site's posts link to those files, so Kiln publishes them too,
when the content folder is a project's (detected conservatively, by the
project's configuration file beside the content folder):

* Zola: a ``config.toml`` or ``zola.toml`` with a top-level ``base_url``, in the folder holding the content
  folder; its ``static/`` folder;
* Hugo: a ``hugo.toml``/``.yaml``/``.yml``/``.json`` or ``config.*`` file (or ``config/_default/``) in the
  folder holding the content folder (or the one above, for a language's ``content/en``); its ``staticDir``
  (a folder or a list of them, relative to the project), by default ``static/``.

A content folder that is itself the project's folder has no such folder
apart: its files are published as content files. This module imports no
Django: the no-op build (``kiln.quick``) watches these folders too.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import yaml

ZOLA_CONFIGS = ("zola.toml", "config.toml")
HUGO_FILES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
              "config.json")  # fmt: skip
HUGO_DEFAULT = "config/_default"  # Hugo's configuration folder: the same names inside
STATIC = "static"


def read_config(path: Path) -> dict[str, Any] | None:
    """The top-level table of a TOML, YAML or JSON configuration file; None when it cannot be read as one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def zola_project(content: Path) -> Path | None:
    """The Zola project folder holding ``content`` (its ``config.toml`` sets ``base_url``), or None."""
    folder = content.resolve().parent
    for name in ZOLA_CONFIGS:
        config = read_config(folder / name) if (folder / name).is_file() else None
        if config is not None and "base_url" in config:
            return folder
    return None


def hugo_config(content: Path) -> tuple[Path, dict[str, Any]] | None:
    """The Hugo project folder holding ``content`` and its configuration (merged from its files), or None."""
    resolved = content.resolve()
    for folder in resolved.parents[:2]:
        found = [folder / name for name in HUGO_FILES] + [folder / HUGO_DEFAULT / name for name in HUGO_FILES]
        configs = [config for path in found if path.is_file() and (config := read_config(path)) is not None]
        if configs and not any("base_url" in config for config in configs):  # base_url is Zola's
            merged: dict[str, Any] = {}
            for config in reversed(configs):  # the project's own files win over config/_default/
                merged.update({str(key).casefold(): value for key, value in config.items()})
            return folder, merged
    return None


def static_folders(content: Path) -> list[Path]:
    """The folders whose files the project of ``content`` publishes at the site's root, in order; none but
    those that exist and lie outside the content folder."""
    zola = zola_project(content)
    if zola is not None:
        names: list[object] = [STATIC]
        project = zola
    else:
        hugo = hugo_config(content)
        if hugo is None:
            return []
        project, config = hugo
        given = config.get("staticdir", STATIC)
        names = given if isinstance(given, list) else [given]
    resolved = content.resolve()
    folders = []
    for name in names:
        if not isinstance(name, str) or not name.strip():
            continue
        folder = (project / name.strip()).resolve()
        inside = folder == resolved or resolved in folder.parents or folder in resolved.parents
        if folder.is_dir() and not inside and folder not in folders:
            folders.append(folder)
    return folders


def config_files(content: Path) -> list[Path]:
    """The configuration files that decide :func:`static_folders`, for the no-op build to watch."""
    resolved = content.resolve()
    return [
        folder / sub / name
        for folder in resolved.parents[:2]
        for sub in ("", HUGO_DEFAULT)
        for name in sorted({*HUGO_FILES, *ZOLA_CONFIGS})
    ]
