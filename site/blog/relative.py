"""Relative links and images of a post, resolved from its source file as the generators (and GitHub) do.

``![x](../images/a.png)`` in ``posts/trip.md`` means ``content/images/a.png``,
published at ``/images/a.png``; ``[next](./other-post.md)`` means that post's
URL, and so does Zola's ``[next](@/posts/other-post.md)``, from the content
folder. Written as they are, a browser would resolve them against the
post's URL (``/plog/trip/``) and miss. So the rendered HTML's relative ``href`` and
``src`` that name a file (a name with an extension) are rewritten: a Markdown
file to its post's URL, any other file to its path from the site root. A
leaf bundle's own files need nothing: they are published beside its post
(``posts/my-trip/cover.jpg`` at ``/plog/my-trip/cover.jpg``), so a link into
the bundle is left as written, and so is a link to a folder (``../other/``),
written for the published site.

Whether the target exists is not decided here (the rendered HTML is cached
by its text): each rewritten link is also returned as a :class:`Relative`,
which the sync stage checks on every build, naming the file and line.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from .layout import bundle_folder, is_markdown

# an element's attribute (text in code has its `<` escaped, so it never matches)
ATTRIBUTE = re.compile(r"""(?P<before><[a-zA-Z][^<>]*?\s(?:href|src)=)(?P<q>["'])(?P<value>[^"'<>]*)(?P=q)""")
# a link that is not relative: scheme (`https:`, `mailto:`, `data:`), root or protocol-relative,
# a part of the page itself (`#notes`, `?x`), a placeholder of the renderer, or a template tag left as text
NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|/|#|\?|$|KILN)|[\s{}]")
# what in a post's Markdown may be a relative link: decides whether its HTML depends on its folder
MAYBE_RELATIVE = re.compile(r"""(?:\]\(\s*<?|\]:[ \t]*<?|\b(?:href|src)\s*=\s*["']?)(?![a-zA-Z][\w+.-]*:|/|#|\?|\))""")
MARK = "\0"  # starts an entry of a post's links that is a relative link (post keys never hold it)


@dataclass(frozen=True)
class Relative:
    """A relative link as written in the post, and the content file it names (``..`` left in: out of the
    content folder)."""

    written: str
    path: str

    def entry(self) -> str:
        return f"{MARK}{self.written}{MARK}{self.path}"

    @classmethod
    def from_entry(cls, entry: str) -> Relative:
        _, written, path = entry.split(MARK)
        return cls(written, path)


def has_relative_links(body: str) -> bool:
    return MAYBE_RELATIVE.search(body) is not None


def rewrite(body_html: str, rel: str, post_link: Callable[[str], str]) -> tuple[str, list[Relative]]:
    """``body_html`` of the post at ``rel`` with its relative links made absolute, and those links."""
    folder = rel.rpartition("/")[0]
    bundle = bundle_folder(rel)
    found: list[Relative] = []

    def replace(match: re.Match[str]) -> str:
        written = html.unescape(match["value"])
        if NOT_RELATIVE.search(written):
            return match[0]
        parts = urlsplit(written)
        if "." not in parts.path.rpartition("/")[2].strip("."):  # a folder or a page, not a file
            return match[0]
        if parts.path.startswith("@/"):  # Zola's internal link: a content file from the content folder
            path = posixpath.normpath(unquote(parts.path[2:]))
        else:
            path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        inside = bundle is not None and (path + "/").startswith(bundle + "/") and not is_markdown(path)
        if inside or path == rel:
            return match[0]
        found.append(Relative(written, path))
        url = post_link(path) if is_markdown(path) else "/" + quote(path)
        url += (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return f"{match['before']}{match['q']}{html.escape(url)}{match['q']}"

    return ATTRIBUTE.sub(replace, body_html), found
