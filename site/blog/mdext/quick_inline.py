"""Python-Markdown's inline processors, without the cost of patterns that cannot match.

Python-Markdown tries every inline pattern (about thirty, with smarty's and
pymdown-extensions') on every piece of text, and each try is a Python call
that looks the pattern up in its registry, checks its excluded ancestors and
opens a regex iterator, even when the pattern's regex finds nothing: that was
a third of all Markdown time. A try whose regex finds nothing from where it
starts changes nothing (``__applyPattern`` returns the text as it was,
unmatched, and the next pattern starts from the beginning), so this one
searches first, in C, and calls Python-Markdown only on a hit. Same patterns,
same order, same HTML.

Before the search, a quicker test still: most patterns cannot match without
one of a few characters (``$`` or ``\\`` for math, a backtick for code, ``@``
for a mail address, a quote for smarty), read off the regex by
:func:`required_characters`; when none of them is in the rest of the text,
the regex cannot match there.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre  # the stdlib's own regex parser: what a pattern cannot match without
import re._parser
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown, util
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor

MOST_REQUIRED = 8  # a pattern that needs one of more characters than this is just searched


def _required(items: list, ignore_case: bool) -> set[str] | None:
    """Characters of which every match of the parsed sequence ``items`` holds at least one, or None when
    there is no such set (the part can match anything, or nothing)."""
    best: set[str] | None = None
    for op, arg in items:
        found = _required_one(op, arg, ignore_case)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _literal(code: int, ignore_case: bool) -> set[str] | None:
    char = chr(code)
    # without case, only a character that has no other case is itself (ASCII letters do; so do some symbols)
    return None if ignore_case and not (char.isascii() and not char.isalpha()) else {char}


def _required_one(op: object, arg: object, ignore_case: bool) -> set[str] | None:
    if op is sre.LITERAL:
        return _literal(arg, ignore_case)
    if op is sre.IN:
        chars: set[str] = set()
        for kind, code in arg:
            char = _literal(code, ignore_case) if kind is sre.LITERAL else None  # a range, a class, a negation
            if char is None:
                return None
            chars |= char
        return chars
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        return _required(inner, (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE)
    if op is sre.ATOMIC_GROUP:
        return _required(arg, ignore_case)
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            found = _required(alternative, ignore_case)
            if found is None:
                return None
            union |= found
        return union
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, inner = arg
        return _required(inner, ignore_case) if low >= 1 else None
    return None  # consumes nothing (an anchor, a look-around), any character, a category, a back reference


@functools.cache
def required_characters(regex: re.Pattern[str]) -> str | None:
    """Characters of which every match of ``regex`` holds one, or None when they are too many to be worth
    testing (or there are none)."""
    parsed = re._parser.parse(regex.pattern, regex.flags)
    chars = _required(list(parsed), bool(regex.flags & re.IGNORECASE))
    return None if chars is None or len(chars) > MOST_REQUIRED else "".join(sorted(chars))


def can_match(regex: re.Pattern[str], required: str | None, data: str, start: int) -> bool:
    """Whether ``regex`` finds a match in ``data`` at or after ``start``."""
    if required is not None and all(data.find(char, start) < 0 for char in required):
        return False
    return regex.search(data, start) is not None


class QuickInlineProcessor(InlineProcessor):
    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # the registry, sorted once per run; a legacy pattern (no `handleMatch(m, data)`) is always tried
        self._patterns = [
            (p, p.getCompiledRegExp(), required_characters(p.getCompiledRegExp()))
            if isinstance(p, InlinePattern)
            else (p, None, None)
            for p in self.inlinePatterns
        ]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        patterns = self._patterns
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        count = len(patterns)
        while patternIndex < count:
            pattern, regex, required = patterns[patternIndex]
            if regex is not None:  # can_match, written out: this loop runs for every pattern and piece of text
                if required is not None:
                    for char in required:
                        if data.find(char, start) >= 0:
                            break
                    else:
                        patternIndex += 1
                        start = 0
                        continue
                if regex.search(data, start) is None:
                    patternIndex += 1
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class QuickInlineExtension(Extension):
    """Put last: every inline tree processor registered before it (Python-Markdown's, smarty's) gets quicker."""

    def extendMarkdown(self, md: Markdown) -> None:
        for processor in md.treeprocessors:
            if type(processor) is InlineProcessor:
                processor.__class__ = QuickInlineProcessor
