"""Pygments' per-block set-up, done once per language and style instead of once per code block.

For every code block pymdown-extensions' highlighter looks its lexer up by
name (a scan of Pygments' whole table of lexers) and makes an HTML formatter,
which builds a stylesheet of every token type of the style (about 80):
together 1 ms a block, an eighth of Markdown's time on posts with code. Both
are pure functions of what they are given (the language; the style and class
prefix), so they are computed once per process, and each block still gets a
lexer and a formatter of its own. Same lexers, same classes, same HTML.
"""

from __future__ import annotations

import functools

import pymdownx.highlight
from pygments.formatters.html import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name


@functools.cache
def _lexer_class(alias: str) -> type[Lexer]:
    return find_lexer_class_by_name(alias)


def get_lexer_by_name(alias: str, **options: object) -> Lexer:
    """Pygments' ``get_lexer_by_name``, its table scanned once per name."""
    return _lexer_class(alias.lower())(**options)


@functools.cache
def _stylesheet(style: type, classprefix: str) -> tuple[dict, dict]:
    formatter = HtmlFormatter(style=style, classprefix=classprefix)  # Pygments' own, left as it is
    return formatter.ttype2class, formatter.class2style


def _create_stylesheet(self: pymdownx.highlight.BlockHtmlFormatter) -> None:
    ttype2class, class2style = _stylesheet(self.style, self.classprefix)
    self.ttype2class, self.class2style = dict(ttype2class), dict(class2style)


def install() -> None:
    """Make pymdown-extensions' highlighter use the lookups above (idempotent)."""
    pymdownx.highlight.get_lexer_by_name = get_lexer_by_name
    for formatter in (pymdownx.highlight.BlockHtmlFormatter, pymdownx.highlight.InlineHtmlFormatter):
        formatter._create_stylesheet = _create_stylesheet
