"""One exception family for everything a build can refuse.

Only ``build.py`` turns a :class:`SiteError` into a message and exit code 1;
everything else raises. A problem that belongs to a source file carries the
file and, where the parser knows it, the line, so the message reads like a
compiler's: ``content/post.md:3: ...``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# a big broken site (a migrated blog) must still give a report one can read
SHOWN_PER_KIND = 10  # problems of one kind listed; the rest are counted
MAX_MESSAGE = 400  # characters of one message shown
TALLY_FROM = 6  # problems from which the report ends with a count per kind
# what differs between two problems of one kind: quoted names, paths, numbers
PARTICULAR = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*/\S*|\d+(?:[.:,-]\d+)*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is and how to fix it."""

    path: str
    line: int | None
    message: str

    @property
    def where(self) -> str:
        """``path:line``, or the path alone when the line is unknown."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{printable(self.where)}: {printable(self.message)}"

    @property
    def kind(self) -> str:
        """What the problem is, without its particulars: ``invalid date …``, ``slug … is also used by …``."""
        first = self.message.split(";")[0]
        general = re.sub(r"…(?:[\s,]*(?:and\s+)?…)+", "…", PARTICULAR.sub("…", first))
        return " ".join(general.split())[:80]

    def shown(self) -> str:
        """:meth:`__str__`, with a very long message cut (a list of 656 files)."""
        text = str(self)
        if len(text) <= MAX_MESSAGE:
            return text
        return f"{text[:MAX_MESSAGE]}… ({len(text) - MAX_MESSAGE:,} more characters)"


def printable(text: str) -> str:
    """``text`` on one line: a newline or other control character (in a file name, a title) is escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without repeats, by file, then line (a problem with no line first), then message."""
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def capped(problems: list[Problem]) -> tuple[list[Problem], dict[str, int]]:
    """The first :data:`SHOWN_PER_KIND` of ``problems`` of each kind, and how many more each kind has."""
    kinds = Counter(problem.kind for problem in problems)
    listed: Counter[str] = Counter()
    shown = []
    for problem in problems:
        listed[problem.kind] += 1
        if listed[problem.kind] <= SHOWN_PER_KIND:
            shown.append(problem)
    return shown, {kind: count - SHOWN_PER_KIND for kind, count in sorted(kinds.items()) if count > SHOWN_PER_KIND}


def report_lines(problems: list[Problem]) -> list[str]:
    """``problems`` (in order) as the lines a build prints: at most :data:`SHOWN_PER_KIND` of each kind,
    each cut to :data:`MAX_MESSAGE` characters, and, for many problems, a count per kind at the end."""
    shown, more = capped(problems)
    lines = [f"  {problem.shown()}" for problem in shown]
    lines += [f"  ... and {count} more: {kind}" for kind, count in more.items()]
    kinds = Counter(problem.kind for problem in problems)
    if len(problems) >= TALLY_FROM:
        lines.append("problems by kind:")
        by_count = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        lines += [f"  {count:>6}  {kind}" for kind, count in by_count]
    return lines


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
        super().__init__("\n".join([head, *report_lines(self.problems)]))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:  # pickled by its problems (kiln: stages in a child)
        return type(self), (self.problems,)


class OutputError(ContentError):
    """The rendered site is inconsistent (broken link, two URLs on one file)."""

    where = "the rendered site"


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
