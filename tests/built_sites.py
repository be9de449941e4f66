"""Fixture sites built once per test module (the `site` fixtures build once per test).

A module whose tests share such a site marks itself
``pytestmark = pytest.mark.xdist_group(__name__)``: pytest-xdist
(``--dist loadgroup``) then runs all of them on one worker, which builds the
site once, instead of once on every worker that runs one of them.
"""

from __future__ import annotations

import shutil

from conftest import SITES, Site


def build_copy(
    tmp_path_factory, name: str, env: dict[str, str] | None = None, beside: dict[str, str] | None = None
) -> Site:
    """A fresh copy of tests/sites/<name>/, built with ``env`` added to the environment; ``beside``: files
    (name -> text) of the source project around its content folder, such as Hugo's ``hugo.toml``."""
    site = Site(tmp_path_factory.mktemp(name))
    shutil.copytree(SITES / name, site.content)
    for file, text in (beside or {}).items():
        (site.root / file).write_text(text, encoding="utf-8")
    site.build(env=env)
    return site


def build_posts(tmp_path_factory, name: str, posts: dict[str, str], env: dict[str, str] | None = None) -> Site:
    """A fresh site holding ``posts`` (file name -> its text), built with ``env`` added to the environment."""
    site = Site(tmp_path_factory.mktemp(name))
    for file, text in posts.items():
        site.write(file, text)
    site.build(env=env)
    return site
