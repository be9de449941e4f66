"""One exception family for everything a build can refuse.

Only ``build.py`` turns a :class:`SiteError` into a message and exit code 1;
everything else raises. A problem that belongs to a source file carries the
file and, where the parser knows it, the line, so the message reads like a
compiler's: ``content/post.md:3: ...``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is and how to fix it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without repeats, by file, then line (a problem with no line first), then message."""
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


class SiteError(Exception):
    """Root of every error a build reports to the user without a traceback."""


class ConfigError(SiteError):
    """A setting or a command-line option is wrong."""


class ToolError(SiteError):
    """An external tool (csso, terser, the search engine) failed."""


class ContentError(SiteError):
    """One or more source files are invalid; all of them are listed."""

    where = "the content"

    def __init__(self, problems: Iterable[Problem]):
        self.problems = in_order(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {self.where}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class OutputError(ContentError):
    """The rendered site is inconsistent (broken link, two URLs on one file)."""

    where = "the rendered site"


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
