"""Dates for posts whose front matter has none, and dates written with more than a date in them.

Zola does not require a date, and keeps one (if anywhere) in a ``path =``
key; Jekyll reads ``2023-01-29 18:30:22 2023 -0800`` as Ruby's ``Time.parse``
does, skipping what it does not understand. A migrated post must still
build, so a dateless one is dated, in this order, from:

1. a date inside Zola's ``path`` (``2014/12/12/name.html``, ``2014-12-12-name``);
2. the file's first commit in git (the commit that added it, following
   renames), which every checkout agrees on;
3. the file's modification time, which changes with each checkout.

Each says which source it used in a warning, so the author can write the
date down.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

PATH_DATE = re.compile(r"(?:^|[/_-])(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?=$|[/_.-])")
# the date and time Kiln reads, then whatever else the field holds
LEADING_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}(?!\d))?"
)
OFFSET = re.compile(r"(?:^|\s)(Z|UTC|GMT|[+-]\d{2}:?\d{2})(?=\s|$)")


def split_date_text(text: str) -> tuple[str, str]:
    """``text`` as the date Kiln reads and the rest it ignores, as Jekyll (Ruby's ``Time.parse``) does.

    ``2023-01-29 18:30:22 2023 -0800`` -> (``2023-01-29 18:30:22 -0800``, ``2023``):
    the date and time at the start, and an offset found later in the text.
    Text that does not start with a date is returned whole, with no rest.
    """
    text = text.strip()
    match = LEADING_DATE.match(text)
    if match is None or match.end() == len(text):
        return text, ""
    head, rest = text[: match.end()].rstrip(), text[match.end() :].strip()
    if match.group(8) is None:
        offset = OFFSET.search(rest)
        if offset is not None:
            head = f"{head} {'+00:00' if offset.group(1) in ('UTC', 'GMT') else offset.group(1)}"
            rest = (rest[: offset.start()] + " " + rest[offset.end() :]).strip()
    return head, " ".join(rest.split())


def from_path(value: object) -> dt.date | None:
    """The date in Zola's ``path`` (``2014/12/12/1.0-Timeline.html``), or None."""
    if not isinstance(value, str):
        return None
    match = PATH_DATE.search(value)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class FileDates:
    """What dates a file of the content folder besides its text: its first commit, its mtime.

    Git is asked once, for every file, when the first dateless post needs it.
    """

    def __init__(self, root: Path):
        self.root = root
        self._commits: dict[str, dt.datetime] | None = None

    def first_commit(self, rel: str) -> dt.datetime | None:
        """When the file at ``rel`` (relative to the folder) was first committed, or None."""
        if self._commits is None:
            self._commits = _first_commits(self.root)
        return self._commits.get(rel)

    def mtime(self, rel: str) -> float | None:
        try:
            return (self.root / rel).stat().st_mtime
        except OSError:
            return None


def _git(root: Path, *args: str) -> str | None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    except OSError:  # no git on this machine
        return None
    return done.stdout if done.returncode == 0 else None


def _first_commits(root: Path) -> dict[str, dt.datetime]:
    """Relative path -> author date of the commit that added the file, following renames."""
    prefix = _git(root, "rev-parse", "--show-prefix")
    if prefix is None:
        return {}
    prefix = prefix.strip()
    log = _git(root, "log", "-M", "--format=%x01%aI", "--name-status", "--", ".")
    if log is None:
        return {}
    # newest commit first: a later (older) commit's date replaces the newer one
    current: dict[str, str] = {}  # a name in history -> the file's name today
    first: dict[str, dt.datetime] = {}
    date = None
    for line in log.split("\n"):
        if line.startswith("\x01"):
            date = dt.datetime.fromisoformat(line[1:])
            continue
        parts = line.split("\t")
        if date is None or len(parts) < 2:
            continue
        status = parts[0][:1]
        if status == "R" and len(parts) == 3:
            now = current.pop(parts[2], parts[2])
            current[parts[1]] = now
            first[now] = date
        elif status in "AC":
            name = parts[-1]
            first[current.get(name, name)] = date
    return {name[len(prefix) :]: moment for name, moment in first.items() if name.startswith(prefix)}
