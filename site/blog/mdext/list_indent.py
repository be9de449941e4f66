"""Nested lists indented as CommonMark reads them: by the parent item's text, not by 4 spaces.

In CommonMark (Hugo, Zola, Eleventy, GitHub) what belongs to a list item is
indented to the column where the item's text starts: 2 spaces under ``- a``,
3 under ``1. a``. Python-Markdown wants 4 spaces a level, so lists nested by 2
or 3 spaces came out flat. This preprocessor re-indents the lines inside list
items to Python-Markdown's 4 spaces a level, following CommonMark's rule, and
leaves every other line alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# a list item: its indent, marker and the spaces before its text (CommonMark: 1 to 4, else 1)
ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[*+-]|\d{1,9}[.)])(?P<gap> +|$)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
THEMATIC_BREAK = re.compile(r" {0,3}([*_-])(?: *\1){2,} *$")
TAB = 4


@dataclass
class Item:
    content: int  # the column its text starts at, in the source
    target: int  # the column it starts at once re-indented


class ListIndent(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        items: list[Item] = []  # the list items the line is in, outermost first
        fence = ""  # the fence of the code block the lines are in, if any
        lazy = False  # the line before is paragraph text, which an unindented line may go on
        for line in lines:
            if "\t" in line[: len(line) - len(line.lstrip())]:
                line = line.expandtabs(TAB)
            indent = len(line) - len(line.lstrip(" "))
            if indent == len(line):  # blank
                out.append(line)
                lazy = False
                continue
            if fence:
                out.append(_moved(items, indent, line))
                closing = out[-1].strip()
                fence = "" if closing.startswith(fence) and not closing.strip(fence[0]) else fence
                continue
            item = ITEM.match(line)
            if not item and lazy:
                out.append(line)  # a paragraph's lazy continuation line stays in its item
                continue
            while items and indent < items[-1].content:
                items.pop()
            if item and indent - (items[-1].content if items else 0) < TAB and not THEMATIC_BREAK.match(line):
                target = items[-1].target if items else 0
                text = line[item.end() :]
                gap = len(item["gap"]) if 0 < len(item["gap"]) <= TAB and text.strip() else 1
                items.append(Item(indent + len(item["marker"]) + gap, target + TAB))
                out.append(" " * target + item["marker"] + " " + text.lstrip(" "))
                lazy = bool(text.strip())
                continue
            out.append(_moved(items, indent, line))
            opened = FENCE.match(out[-1][items[-1].target :]) if items else None
            fence = opened[1] if opened else ""
            lazy = not opened and bool(items)
        return out


def _moved(items: list[Item], indent: int, line: str) -> str:
    """``line`` moved from under its item's text in the source to under it in the output."""
    for item in reversed(items):
        if indent >= item.content:
            return " " * item.target + line[item.content :]
    return line


class ListIndentExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(ListIndent(md), "commonmark_list_indent", 22)
