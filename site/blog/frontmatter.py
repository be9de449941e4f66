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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from . import bounds

FENCES = {"---": "yaml", "+++": "toml"}
PELICAN_LINE = re.compile(r"^([A-Za-z][A-Za-z_-]*):\s*(.*)$")
TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
TOML_AT_END = "(at end of document)"
MERGE_TAG = "tag:yaml.org,2002:merge"


class FrontMatterError(ValueError):
    """Front matter that cannot be read; ``line`` is 1-based within the file.

    ``more`` holds further (line, message) problems of the same file, so that
    every one of them is reported at once (each duplicate key, for example).
    """

    def __init__(self, message: str, line: int | None, more: Sequence[tuple[int | None, str]] = ()):
        super().__init__(message)
        self.line = line
        self.more = list(more)


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # the file line the body starts on
    field_lines: dict[str, int]  # top-level key -> file line
    kind: str = "pelican"  # "yaml", "toml" or "pelican": how the front matter was written
    blank_lines: int = 0  # blank lines before the opening fence (Hugo and Zola read past them)


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
    """Parse ``text`` (already decoded, BOM and CRLF removed).

    Blank lines before a ``---`` or ``+++`` fence are skipped, as Hugo and
    Zola skip them; ``blank_lines`` says how many there were, and every line
    number still counts them.
    """
    lines = text.split("\n")
    blank = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if blank and lines[blank].strip() in FENCES:
        try:
            doc = _parse("\n".join(lines[blank:]))
        except FrontMatterError as exc:

            def shift(line: int | None) -> int | None:
                return None if line is None else line + blank

            raise FrontMatterError(str(exc), shift(exc.line), [(shift(n), m) for n, m in exc.more]) from exc
        doc.body_line += blank
        doc.field_lines = {key: line + blank for key, line in doc.field_lines.items()}
        doc.blank_lines = blank
        return doc
    return _parse(text)


def _parse(text: str) -> Document:
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
        kind = FENCES[fence]
        size = sum(len(line.encode()) + 1 for line in block)
        if size > bounds.MAX_BYTES:
            raise FrontMatterError(
                f"the front matter is {size:,} bytes, more than the {bounds.MAX_BYTES:,} allowed; "
                "put long text in the body",
                1,
            )
        meta = _load(kind, "\n".join(block), last_line=max(end, 1))
        return Document(meta, "\n".join(lines[end + 1 :]), end + 2, _field_lines(block, 2), kind)
    return _parse_pelican(lines)


def _load(kind: str, source: str, last_line: int) -> dict[str, Any]:
    """Parse the block between the fences; it starts on file line 2 and ends on ``last_line``."""
    meta = _load_yaml(source) if kind == "yaml" else _load_toml(source, last_line)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(
            f"front matter must be a mapping of fields (`title: ...`), not a {type(meta).__name__}", 2
        )
    if kind == "toml":
        _refuse_case_twins(meta, source)
    return {str(key).lower(): value for key, value in meta.items()}


def _load_yaml(source: str) -> Any:
    loader = YAML_LOADER(source)
    try:
        node = loader.get_single_node()
        duplicates = _duplicate_keys(node)
        if duplicates:
            problems = [
                (second, f"duplicate key `{key}` on lines {first} and {second}; keep one of them "
                 "(YAML would silently use the last)")
                for key, first, second in duplicates
            ]  # fmt: skip
            raise FrontMatterError(problems[0][1], problems[0][0], problems[1:])
        too_big = bounds.yaml_problem(node) if node is not None else None
        if too_big is not None:
            raise FrontMatterError(too_big[1], too_big[0])
        return loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        raise FrontMatterError(f"invalid YAML front matter: {exc.problem or exc}", line) from exc
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML front matter: {exc}", 1) from exc
    except RecursionError as exc:
        raise FrontMatterError(f"front matter nests lists or mappings more than {bounds.MAX_DEPTH} deep", 1) from exc
    finally:
        loader.dispose()


def _duplicate_keys(root: yaml.Node | None) -> list[tuple[str, int, int]]:
    """(key, first line, second line) for every key a YAML mapping holds twice.

    PyYAML keeps the last value without a word. Top-level keys are compared
    without case, as fields are (``Title`` and ``title`` are one field).
    Merge keys (``<<: *base``) are YAML's own way of repeating keys and pass.
    """
    found = []
    visited: set[int] = set()
    stack: list[tuple[yaml.Node | None, bool]] = [(root, True)]
    while stack:
        node, top = stack.pop()
        if node is None or id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key, value in node.value:
                stack.append((value, False))
                if not isinstance(key, yaml.ScalarNode) or key.tag == MERGE_TAG:
                    stack.append((key, False))
                    continue
                name = key.value.lower() if top else (key.tag, key.value)
                line = key.start_mark.line + 2
                if name in first:
                    found.append((key.value, first[name], line))
                else:
                    first[name] = line
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, False) for item in node.value)
    return sorted(found, key=lambda item: item[2])


def _load_toml(source: str, last_line: int) -> dict[str, Any]:
    try:
        meta = tomllib.loads(source)
    except RecursionError as exc:
        raise FrontMatterError(f"front matter nests lists or tables more than {bounds.MAX_DEPTH} deep", 1) from exc
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        position = TOML_POSITION.search(text)
        message = TOML_POSITION.sub("", text).replace(TOML_AT_END, "").strip()
        if "overwrite" in message or "twice" in message:
            message += "; a key or table is set twice, keep one of them"
        elif position is None:
            message += "; the front matter ended too early: check for an unclosed bracket or quote"
        # tomllib says "at end of document" for what runs to the closing `+++`:
        # the last line of the front matter is the nearest place to look
        line = int(position.group(1)) + 1 if position else last_line
        raise FrontMatterError(f"invalid TOML front matter: {message}", line) from exc
    if bounds.depth(meta) > bounds.MAX_DEPTH:
        raise FrontMatterError(f"front matter nests lists or tables more than {bounds.MAX_DEPTH} deep", 1)
    return meta


def _refuse_case_twins(meta: dict[str, Any], source: str) -> None:
    """TOML keys that differ only in case (``title`` and ``Title``) would be one field."""
    by_name: dict[str, list[str]] = {}
    for key in meta:
        by_name.setdefault(str(key).lower(), []).append(str(key))
    twins = [names for names in by_name.values() if len(names) > 1]
    if not twins:
        return
    lines = source.split("\n")

    def line_of(key: str) -> int | None:
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        return next((number + 2 for number, text in enumerate(lines) if pattern.match(text)), None)

    problems = [
        (line_of(names[-1]), f"fields {' and '.join(f'`{n}`' for n in names)} are one field "
         "(names are not case-sensitive); keep one of them")
        for names in twins
    ]  # fmt: skip
    raise FrontMatterError(problems[0][1], problems[0][0], problems[1:])


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
