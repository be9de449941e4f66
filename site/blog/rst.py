"""reStructuredText posts, read with docutils as Pelican reads them.

Pelican takes a ``.rst`` post's title from its document title (the first
section title, promoted by docutils) and its fields from the bibliographic
field list under it (``:date:``, ``:tags:``, ``:category:``, ``:slug:``,
``:summary:``...). The body is docutils' HTML; it reaches the Markdown stage
as one raw HTML block with no blank line in it (a blank line, inside ``<pre>``
too, is written ``&#10;``), which Markdown leaves as it is.
"""

from __future__ import annotations

import io
import re
from typing import Any

from .frontmatter import Document, FrontMatterError

SETTINGS = {
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "report_level": 5,  # nothing printed: a post's problems are not the build's output
    "halt_level": 5,
    "doctitle_xform": True,
    "docinfo_xform": True,
    "embed_stylesheet": False,
    "syntax_highlight": "short",
    "file_insertion_enabled": False,  # `.. include:: /etc/passwd` reads nothing
    "raw_enabled": True,  # Pelican allows `.. raw:: html`; author HTML is trusted, as in Markdown
}
FIELD_LINE = re.compile(r"^:([A-Za-z][\w-]*):")


def parse(text: str) -> Document:
    """``text`` as a :class:`Document`: its title and docinfo fields as meta, its HTML as the body."""
    # docutils loads with the first .rst post, not with every build
    from docutils import nodes
    from docutils.core import publish_doctree, publish_parts
    from docutils.utils import SystemMessage

    try:
        tree = publish_doctree(text, settings_overrides={**SETTINGS, "warning_stream": io.StringIO()})
    except SystemMessage as exc:  # pragma: no cover - halt_level 5 stops nothing, kept for safety
        raise FrontMatterError(f"invalid reStructuredText: {exc}", None) from exc
    meta: dict[str, Any] = {}
    if tree.get("title"):
        meta["title"] = tree["title"]
    for info in tree.findall(nodes.docinfo):
        for item in info.children:
            if isinstance(item, nodes.field):
                name, body = item.children[0].astext(), item.children[1].astext()
            else:  # :date:, :author:, :authors: and the like have nodes of their own
                name, body = item.tagname, item.astext()
            meta[name.strip().lower()] = " ".join(body.split())
    parts = publish_parts(text, writer_name="html5", settings_overrides={**SETTINGS, "warning_stream": io.StringIO()})
    body = parts["body"].strip()
    while "\n\n" in body:
        body = body.replace("\n\n", "\n&#10;")
    field_lines = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = FIELD_LINE.match(line)
        if match:
            field_lines.setdefault(match.group(1).lower(), number)
    # one raw HTML block: Markdown keeps what is between the tags as it is, blank lines included
    return Document(meta, f'<div class="rst">\n{body}\n</div>\n', 1, field_lines, "rst")
