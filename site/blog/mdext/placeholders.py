"""No Python-Markdown placeholder is left in an attribute.

Python-Markdown stores code spans, escapes and links as numbered
placeholders (``\\x02klzzwxh:0001\\x03``) while it reads a paragraph, and puts
them back afterwards. An image's alt text is taken while they are still
stored, and it resolves only one level of them: ``![[a `b`](/c)](/i.png)``
left ``\\x02klzzwxh:0000\\x03`` in ``alt``, a control character that breaks the
XML of feeds. This tree processor, run after the inline one, replaces what is
left in attributes by the text those placeholders stand for.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown, util
from markdown.treeprocessors import Treeprocessor

DEPTH = 10  # placeholders inside placeholders, at most this deep
ESCAPED = re.compile(f"{util.STX}([0-9]+){util.ETX}")  # a backslash-escaped character, by its code


class AttributePlaceholders(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        stash = self.md.treeprocessors["inline"].stashed_nodes  # type: ignore[attr-defined]

        def text_of(match: object) -> str:
            value = stash.get(match.group(1))  # type: ignore[attr-defined]
            if value is None:
                return ""
            return value if isinstance(value, str) else "".join(value.itertext())

        for element in root.iter():
            for name, value in element.attrib.items():
                if util.INLINE_PLACEHOLDER_PREFIX not in value:
                    continue
                for _ in range(DEPTH):
                    if util.INLINE_PLACEHOLDER_PREFIX not in value:
                        break
                    value = util.INLINE_PLACEHOLDER_RE.sub(text_of, value)
                value = util.INLINE_PLACEHOLDER_RE.sub("", value)
                element.set(name, ESCAPED.sub(lambda m: chr(int(m.group(1))), value))


class PlaceholdersExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(AttributePlaceholders(md), "attribute_placeholders", 19)
