"""Fixture sites built once per test module (the `site` fixtures build once per test)."""

from __future__ import annotations

import shutil

from conftest import SITES, Site


def build_copy(tmp_path_factory, name: str, env: dict[str, str] | None = None) -> Site:
    """A fresh copy of tests/sites/<name>/, built with ``env`` added to the environment."""
    site = Site(tmp_path_factory.mktemp(name))
    shutil.copytree(SITES / name, site.content)
    site.build(env=env)
    return site


def build_posts(tmp_path_factory, name: str, posts: dict[str, str], env: dict[str, str] | None = None) -> Site:
    """A fresh site holding ``posts`` (file name -> its text), built with ``env`` added to the environment."""
    site = Site(tmp_path_factory.mktemp(name))
    for file, text in posts.items():
        site.write(file, text)
    site.build(env=env)
    return site
