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
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown, util
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor


class QuickInlineProcessor(InlineProcessor):
    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # the registry, sorted once per run; a legacy pattern (no `handleMatch(m, data)`) is always tried
        self._patterns = [
            (p, p.getCompiledRegExp() if isinstance(p, InlinePattern) else None) for p in self.inlinePatterns
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
            pattern, regex = patterns[patternIndex]
            if regex is not None and regex.search(data, start) is None:
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
