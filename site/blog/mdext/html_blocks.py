"""An HTML block ends at a blank line, and Markdown goes on after it, as in CommonMark.

Python-Markdown keeps everything from ``<div>`` to its ``</div>`` as raw
HTML, so the images, links and fenced code that posts written for Hugo, Jekyll
or Eleventy put inside ``<div>`` or ``<figure>`` after a blank line stayed raw
text. This preprocessor, run before Python-Markdown's own HTML one, stores each
HTML block that opens with a block-level tag (CommonMark's HTML block type 6)
up to the next blank line as raw HTML and leaves the lines after it to Markdown.
Raw-text blocks (``<pre>``, ``<script>``, ``<style>``, ``<textarea>``,
comments) and tags with a ``markdown`` attribute (``md_in_html``) are left to
Python-Markdown as before.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# CommonMark's block-level tag names (HTML block type 6)
NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|"
    "dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|"
    "li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|"
    "tfoot|th|thead|title|tr|track|ul"
)
BLOCK_START = re.compile(rf"^ {{0,3}}</?(?:{NAMES})(?=[\s/>]|$)", re.I)
MARKDOWN_ATTRIBUTE = re.compile(r"^[^>]*\smarkdown\s*=", re.I)
# raw-text blocks (types 1 and 2) run to their end marker, blank lines and all
RAW_START = re.compile(r"^ {0,3}(?:<(pre|script|style|textarea)(?=[\s>]|$)|(<!--))", re.I)


class CommonMarkHtmlBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            raw = RAW_START.match(line)
            if raw:
                end = _raw_end(lines, i, f"</{raw[1]}>" if raw[1] else "-->")
                out.extend(lines[i:end])
                i = end
            elif BLOCK_START.match(line) and not MARKDOWN_ATTRIBUTE.match(line):
                end = i
                while end < len(lines) and lines[end].strip():
                    end += 1
                if out and out[-1].strip():
                    out.append("")  # it interrupts a paragraph
                out.extend([self.md.htmlStash.store("\n".join(lines[i:end])), ""])
                i = end
            else:
                out.append(line)
                i += 1
        return out


def _raw_end(lines: list[str], start: int, marker: str) -> int:
    """The index after the line holding ``marker`` (case-insensitive), or the end."""
    for index in range(start, len(lines)):
        if marker in lines[index].lower():
            return index + 1
    return len(lines)


class HtmlBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CommonMarkHtmlBlocks(md), "commonmark_html_blocks", 21)
