"""Split a Markdown file into its front matter and its body.

Three formats are understood, so that content written for other generators
builds unchanged: YAML between ``---`` lines (Jekyll, Hugo, Eleventy), TOML
between ``+++`` lines (Hugo, Zola), and Pelican's ``Key: value`` lines at the
top of the file. Errors carry the line number in the *file*, not in the
front-matter block.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

FENCES = {"---": "yaml", "+++": "toml"}
PELICAN_LINE = re.compile(r"^([A-Za-z][A-Za-z_-]*):\s*(.*)$")
TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class FrontMatterError(ValueError):
    """Front matter that cannot be read; ``line`` is 1-based within the file."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # the file line the body starts on
    field_lines: dict[str, int]  # top-level key -> file line


def _yaml_loader() -> type:
    """A safe loader (the C one when PyYAML has it) that leaves dates as text.

    Dates are parsed by our own code so that a bad one is reported with its
    field and line, and a Jekyll ``2013-05-06 02:12:52 +0200`` means the same
    whether or not it is quoted.
    """
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[valid-type,misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


YAML_LOADER = _yaml_loader()


def _field_lines(lines: list[str], first_line: int) -> dict[str, int]:
    found: dict[str, int] = {}
    key = re.compile(r"^\s*\"?([A-Za-z_][\w-]*)\"?\s*[:=]")
    for offset, line in enumerate(lines):
        match = key.match(line)
        if match:
            found.setdefault(match.group(1).lower(), first_line + offset)
    return found


def parse(text: str) -> Document:
    """Parse ``text`` (already decoded, BOM and CRLF removed)."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence in FENCES:
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == fence)
        except StopIteration:
            raise FrontMatterError(
                f"front matter opened with `{fence}` is never closed; "
                f"add a line with only `{fence}` after the last field",
                1,
            ) from None
        block = lines[1:end]
        meta = _load(FENCES[fence], "\n".join(block))
        return Document(meta, "\n".join(lines[end + 1 :]), end + 2, _field_lines(block, 2))
    return _parse_pelican(lines)


def _load(kind: str, source: str) -> dict[str, Any]:
    if kind == "yaml":
        try:
            meta = yaml.load(source, Loader=YAML_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 2 if mark is not None else 1
            raise FrontMatterError(f"invalid YAML front matter: {exc.problem or exc}", line) from exc
        except yaml.YAMLError as exc:
            raise FrontMatterError(f"invalid YAML front matter: {exc}", 1) from exc
    else:
        try:
            meta = tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            position = TOML_POSITION.search(str(exc))
            line = int(position.group(1)) + 1 if position else 1
            message = TOML_POSITION.sub("", str(exc)).strip()
            raise FrontMatterError(f"invalid TOML front matter: {message}", line) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(
            f"front matter must be a mapping of fields (`title: ...`), not a {type(meta).__name__}", 2
        )
    return {str(key).lower(): value for key, value in meta.items()}


def _parse_pelican(lines: list[str]) -> Document:
    """Pelican's Markdown metadata: ``Key: value`` lines, then a blank line."""
    meta: dict[str, Any] = {}
    field_lines: dict[str, int] = {}
    end = 0
    for end, line in enumerate(lines):
        match = PELICAN_LINE.match(line)
        if not match:
            break
        key = match.group(1).lower()
        meta[key] = match.group(2).strip()
        field_lines.setdefault(key, end + 1)
    else:
        end = len(lines)
    if "title" not in meta or (end < len(lines) and lines[end].strip()):
        raise FrontMatterError(
            "no front matter found; start the file with a `---` line, the fields "
            "(`title: ...`, `date: ...`), and another `---` line",
            1,
        )
    return Document(meta, "\n".join(lines[end + 1 :]), end + 2, field_lines)
