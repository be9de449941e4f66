"""Check stage: every internal link and asset reference in the staged site resolves.

Links were collected while rendering (and kept in the render manifest for
pages that were reused), so this stage only looks files up; it parses no HTML.
A broken link names the page and, for a post, the Markdown file it came from.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError, Problem
from .render import Page, RenderReport


def resolves(staging: Path, path: str) -> bool:
    relative = path.lstrip("/")
    target = staging / relative
    if path.endswith("/") or not relative:
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file()


def links(staging: Path, pages: list[Page], report: RenderReport) -> None:
    problems = []
    cache: dict[str, bool] = {}
    for page in pages:
        for path in report.pages[page.uri].links:
            if path not in cache:
                cache[path] = resolves(staging, path)
            if not cache[path]:
                where = page.source or page.file
                problems.append(Problem(where, None, f"page {page.uri} links to {path}, which the site does not have"))
    if problems:
        raise OutputError(problems)
