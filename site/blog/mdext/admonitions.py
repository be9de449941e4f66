"""Admonitions written the ways other generators read them, as one element.

``::: note Title`` … ``:::`` containers (markdown-it, VuePress, Docusaurus,
Eleventy) and GitHub's ``> [!NOTE]`` alerts become pymdown-extensions'
admonition block (``/// admonition``), so every admonition is one
``<div class="admonition TYPE">`` with a ``<p class="admonition-title">``,
styled once in ``assets/css/blog.css``; Hugo's ``note``, ``alert`` and
``notice`` shortcodes are templates that write the same element.
``::: details Title`` is a ``<details>`` block. Code blocks are left alone.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CONTAINER = re.compile(r"^ {0,3}(?P<colons>:{3,})\s*(?P<type>[A-Za-z][\w-]*)?\s*(?P<title>.*?)\s*$")
ALERT = re.compile(r"^ {0,3}> ?\[!(?P<type>NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$", re.I)
QUOTED = re.compile(r"^ {0,3}> ?")


def header(kind: str, title: str, slashes: str) -> list[str]:
    """The lines that open a pymdown-extensions block for an admonition of ``kind``."""
    kind = kind.lower()
    if kind == "details":
        return ["", f"{slashes} details | {title or 'Details'}", ""]
    name = re.sub(r"[^a-z0-9_-]", "", kind) or "note"
    return ["", f"{slashes} admonition" + (f" | {title}" if title else ""), f"    type: {name}", ""]


class Admonitions(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        open_blocks: list[str] = []  # the colons of each open container
        fence = ""
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            opened = FENCE.match(line)
            if fence:
                closes = opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence)
                if closes and not line.strip(fence[0] + " "):
                    fence = ""
                out.append(line)
                continue
            if opened:
                fence = opened[1]
                out.append(line)
                continue
            container = CONTAINER.match(line)
            if container and container["type"]:
                open_blocks.append(container["colons"])
                out.extend(header(container["type"], container["title"], "/" * len(container["colons"])))
                continue
            if container and open_blocks and len(container["colons"]) >= len(open_blocks[-1]):
                out.extend(["", "/" * len(open_blocks.pop()), ""])
                continue
            alert = ALERT.match(line)
            if alert:
                body = []
                while i < len(lines) and QUOTED.match(lines[i]):
                    body.append(QUOTED.sub("", lines[i], count=1))
                    i += 1
                out.extend([*header(alert["type"], "", "///"), *body, "", "///", ""])
                continue
            out.append(line)
        for colons in reversed(open_blocks):  # a container never closed ends with the post
            out.extend(["", "/" * len(colons), ""])
        return out


class AdmonitionsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(Admonitions(md), "admonition_syntaxes", 28)
