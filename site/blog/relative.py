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
written for the published site. A link to a file that climbs out of the
content folder from the post's file (``../../../../2024/05/07/x/a.svg``) was
written for the published site too, as a browser resolves it from the page's
URL: it is left as written, and the sync stage accepts it when that URL names
a published file (see :func:`from_page`).

Whether the target exists is not decided here (the rendered HTML is cached
by its text): each rewritten link is also returned as a :class:`Relative`,
which the sync stage checks on every build, naming the file and line.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
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
# the same in two parts that the regex engine finds fast (a pattern led by `\b` is tried at every character:
# a third of the load stage on 4,000 posts); an attribute's match counts where a word does not go on before it
_MARKDOWN_RELATIVE = re.compile(r"""\](?:\(\s*<?|:[ \t]*<?)(?![a-zA-Z][\w+.-]*:|/|#|\?|\))""")
_ATTRIBUTE_RELATIVE = re.compile(r"""(?:href|src)\s*=\s*["']?(?![a-zA-Z][\w+.-]*:|/|#|\?|\))""")
_WORD = re.compile(r"\w")
MARK = "\0"  # starts an entry of a post's links that is a relative link (post keys never hold it)
# the other links by file name: Zola's `@/x.md` (in a link), Jekyll's `link` and `post_url` tags, Hugo's refs
BY_FILE_NAME = re.compile(r"\]\(\s*<?@/|\{%-?\s*(?:post_url|link)\s|\{\{[<%]\s*(?:rel)?ref\s")
OWN_URL_FIELD = re.compile(rb"^[ \t]*(?:slug|url|path|permalink)[ \t]*[:=]", re.M | re.I)
DATE_FIELD = re.compile(rb"^[ \t]*date[ \t]*[:=]", re.M | re.I)

# posts at another key than their file name gives (see :func:`moved_keys`): the sync stage sets it before
# rendering, and links by file name to those posts go to their real URL
moved: dict[str, str] = {}


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


def climbs_out(path: str) -> bool:
    """Whether ``path``, resolved from a post's file, lies above the content folder."""
    return path == ".." or path.startswith("../")


def from_page(written: str, page_url: str) -> str:
    """The site path the relative link ``written`` names on the page at ``page_url``, as a browser reads it
    (``../b/x.svg`` on ``/2024/a/`` is ``/2024/b/x.svg``; nothing climbs above the root)."""
    return posixpath.normpath(posixpath.join(page_url, unquote(urlsplit(written).path)))


def has_relative_links(body: str) -> bool:
    """Whether ``MAYBE_RELATIVE`` matches somewhere in ``body``."""
    if _MARKDOWN_RELATIVE.search(body) is not None:
        return True
    return any(
        not found.start() or not _WORD.match(body, found.start() - 1) for found in _ATTRIBUTE_RELATIVE.finditer(body)
    )


def links_by_file_name(text: str) -> bool:
    """Whether the Markdown ``text`` may link to a post by its file name (``./x.md``, ``@/x.md``, tags)."""
    return has_relative_links(text) or BY_FILE_NAME.search(text) is not None


def move_marks(raw: bytes, rel: str) -> tuple[bool, bool]:
    """Whether the post file ``raw`` at ``rel`` names its own URL or slug (or is Pelican's, a slug from its
    title), and whether it names its date: it may be at another key than its file name gives when it does the
    first, or the second under a permalink pattern with a date."""
    head = raw[:8192]
    pelican = rel.lower().endswith(".rst") or not head.lstrip().startswith((b"---", b"+++"))
    return pelican or OWN_URL_FIELD.search(head) is not None, DATE_FIELD.search(head) is not None


def link_salt(movers: Iterable[tuple[str, str]], *context: str) -> bytes:
    """What a post's links by file name depend on besides its own text: the files that may move (path, hash
    each) and ``context`` (the permalink, the main section), folded into the hash of each post with such links."""
    digest = hashlib.sha256("\0".join(context).encode())
    for rel, file_hash in sorted(movers):
        digest.update(f"\0{rel}\0{file_hash}".encode())
    return b"\0links by file name " + digest.hexdigest().encode()


def moved_keys(keys: Mapping[str, str], file_key: Callable[[str], str]) -> dict[str, str]:
    """``keys`` (post file -> its key) where the key is not the one ``file_key`` gives its file name: a post
    with its own ``slug:``/``url:``/``permalink:``, or dated otherwise than its name. Each is found by its
    path, and by its path without the extension, from its ``_posts`` folder too (as ``post_url`` names it)."""
    found: dict[str, str] = {}
    for rel, key in keys.items():
        if file_key(rel) != key:
            found[rel] = key
            stem = rel.rsplit(".", 1)[0]
            found.setdefault(stem, key)
            if "_posts/" in stem:  # post_url names a file from the _posts folder
                found.setdefault(stem.split("_posts/", 1)[1], key)
    return found


def moved_digest() -> str:
    """A digest of :data:`moved`, for the cache key of HTML that links by file name."""
    return hashlib.sha256(json.dumps(moved, sort_keys=True).encode()).hexdigest() if moved else ""


def published_url(path: str, post_link: Callable[[str], str]) -> str:
    """Where a relative link to the content file ``path`` is made to lead: a post's URL, or the file's."""
    return post_link(path) if is_markdown(path) else "/" + quote(path)


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
        if climbs_out(path) and not is_markdown(path):  # written for the published site: a browser resolves it
            return match[0]
        url = published_url(path, post_link)
        url += (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return f"{match['before']}{match['q']}{html.escape(url)}{match['q']}"

    return ATTRIBUTE.sub(replace, body_html), found
