"""Markdown to HTML, the way every post is rendered.

Python-Markdown with fenced code highlighted by Pygments (an unknown
language falls back to plain text), tables, footnotes, heading ids with
anchors and a table of contents. The result is a :class:`Rendered`, which
the sync stage caches by a hash of the Markdown and of this renderer's
version, so a warm build never renders unchanged Markdown again.

Before Python-Markdown sees it, :func:`migrate` turns the template syntax
that posts written for Jekyll (Liquid) and Hugo (shortcodes) commonly hold
into the Markdown it stands for: links to other posts, code blocks, the site's
URL. Code (fenced blocks, indented blocks, inline spans) is left as written,
and so is every tag it does not know.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import asdict, dataclass
from urllib.parse import unquote

import markdown
import pygments
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from .content import path_slug
from .layout import is_markdown

# bump when the configuration below, or `migrate`, changes what HTML comes out
CONFIG_VERSION = "2"
VERSION = f"{CONFIG_VERSION}-markdown{markdown.__version__}-pygments{pygments.__version__}"

EXTENSIONS = ["fenced_code", "codehilite", "tables", "footnotes", "toc", "sane_lists", "attr_list"]
EXTENSION_CONFIGS = {
    "codehilite": {"guess_lang": False, "css_class": "highlight"},
    "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-4"},
    # footnote ids must be unique per page, and posts are shown alone
    "footnotes": {"UNIQUE_IDS": False},
}
INTERNAL_LINK = re.compile(r'href="/plog/([^/"#?]+)')
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
SUMMARY_LENGTH = 300

_converter: markdown.Markdown | None = None


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    word_count: int
    first_paragraph: str  # plain text, for a summary when the post has none
    links: tuple[str, ...]  # slugs of /plog/ pages the HTML links to

    def as_dict(self) -> dict:
        return asdict(self)


def cache_key(body: str) -> str:
    return hashlib.sha256(f"{VERSION}\0{body}".encode()).hexdigest()


def render(body: str) -> Rendered:
    global _converter
    if _converter is None:
        _converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    converter = _converter.reset()
    body_html = converter.convert(migrate(body))
    toc_html = converter.toc if converter.toc_tokens else ""  # type: ignore[attr-defined]
    return Rendered(
        html=body_html,
        toc_html=toc_html,
        word_count=len(WORD.findall(TAG.sub(" ", body_html))),
        first_paragraph=first_paragraph(body_html),
        links=tuple(dict.fromkeys(unquote(html.unescape(s)) for s in INTERNAL_LINK.findall(body_html))),
    )


def first_paragraph(body_html: str) -> str:
    """The first paragraph as plain text, cut at a word near SUMMARY_LENGTH."""
    match = PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = " ".join(html.unescape(TAG.sub("", match.group(1))).split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- template syntax of other generators -------------------------------------------------------

# what Python-Markdown itself takes for a fenced code block (at the start of a line)
FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
# where something may start: a fence, a code span's backticks, an indented line, a tag
NEXT = re.compile(r"^(?:~{3,}|`{3,})|(?<!\\)`+|^(?: {4}|\t)(?=[^\n]*\S)|\{[{%]", re.M)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])[ \t]")
UNINDENTED_LINE = re.compile(r"^ {0,3}\S", re.M)
CODE_LANGUAGE = re.compile(r"^[\w#.+-]+$")


def liquid(name: str, argument: str = "") -> re.Pattern[str]:
    """A Liquid tag ``{% name argument %}``, with or without ``-`` whitespace control."""
    return re.compile(r"\{%-?\s*" + name + (r"\s+" + argument if argument else "") + r"\s*-?%\}")


def shortcode(name: str, argument: str = "") -> re.Pattern[str]:
    """A Hugo shortcode ``{{< name argument >}}`` or ``{{% name argument %}}``."""
    return re.compile(r"\{\{(?:(?P<angle><)|%)\s*" + name + argument + r"\s*(?(angle)>|%)\}\}")


# a shortcode's argument may be quoted with "", '' or ``, or bare
HUGO_ARGUMENT = r"""\s+(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|`(?P<bq>[^`\n]*)`|(?P<bare>[^\s"'`<>%{}]+))"""
HUGO_REF = shortcode("(?:rel)?ref", HUGO_ARGUMENT)
HUGO_HIGHLIGHT = shortcode("highlight", r"""\s+["'`]?(?P<lang>[^\s"'`<>%]+)["'`]?[^\n]*?""")
HUGO_END_HIGHLIGHT = shortcode(r"/\s*highlight")
JEKYLL_POST_URL = liquid("post_url", r"(?P<target>[^\s%]+)")
JEKYLL_LINK = liquid("link", r"(?P<target>[^\s%{}]+)")
JEKYLL_SITE_URL = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
JEKYLL_URL_FILTER = re.compile(
    r"""\{\{-?\s*(?P<q>["'])(?P<path>[^"'{}\n]*)(?P=q)\s*\|\s*(?:relative|absolute)_url\s*-?\}\}"""
)
JEKYLL_HIGHLIGHT = liquid("highlight", r"(?P<lang>[^\s%]+)[^%\n]*?")
JEKYLL_END_HIGHLIGHT = liquid("endhighlight")
RAW, END_RAW = liquid("raw"), liquid("endraw")
COMMENT, END_COMMENT = liquid("comment"), liquid("endcomment")


def migrate(body: str) -> str:
    """``body`` with the Jekyll and Hugo tags it holds outside code replaced by plain Markdown.

    * ``{% post_url 2010-07-21-name %}``, ``{% link _posts/2010-07-21-name.md %}``,
      ``{{< ref "name.md#part" >}}`` and ``{{< relref >}}`` (``{{% %}}`` too) are
      the post's URL, ``/plog/name/``: its slug from the file or bundle folder
      name, as a post without ``slug:`` gets it. ``{% link %}`` to any other
      file is its path, as content files keep theirs.
    * ``{{ site.baseurl }}`` and ``{{ site.url }}`` are empty (links are
      root-relative); ``{{ "/a.png" | relative_url }}`` is ``/a.png``.
    * ``{% highlight python %}`` and ``{{< highlight go >}}`` blocks are fenced code.
    * ``{% raw %}`` keeps its content as written; a ``{% comment %}`` is dropped.

    Nothing inside code is changed, nor any other tag.
    """
    if "{%" not in body and "{{" not in body:
        return body
    out = Output()
    position = 0
    while match := NEXT.search(body, position):
        start = match.start()
        out.add(body[position:start])
        token = match.group()
        end = code_end(body, start, token)
        if end is not None:  # code: copied as it is
            out.add(body[start:end])
            position = end
        elif token[0] == "{":
            position = tag(body, start, out)
        else:  # backticks that open no code span, or an indented line of a paragraph
            out.add(token)
            position = match.end()
    out.add(body[position:])
    return out.text()


def code_end(body: str, start: int, token: str) -> int | None:
    """Where the code that ``token`` at ``start`` opens ends, or None when it opens none."""
    if token[0] in "`~" and (start == 0 or body[start - 1] == "\n"):
        fenced = FENCED_BLOCK.match(body, start)
        if fenced:
            return fenced.end()
    if token[0] == "`":
        # a code span ends at the same number of backticks, within its paragraph
        stop = BLANK_LINE.search(body, start)
        closing = span_end(token).search(body, start + len(token), stop.start() if stop else len(body))
        return closing.end() if closing else None
    if token[0] in " \t" and indented_code(body, start):
        following = UNINDENTED_LINE.search(body, start)
        return following.start() if following else len(body)
    return None


@functools.cache
def span_end(backticks: str) -> re.Pattern[str]:
    """The backticks that close a code span opened by ``backticks``: as many, no more."""
    return re.compile(f"(?<!`){backticks}(?!`)")


def indented_code(body: str, start: int) -> bool:
    """Whether the indented line at ``start`` begins an indented code block.

    It must follow a blank line (or start the text), and not continue a list
    item: the nearest line above indented less than four spaces is no list item.
    """
    end = start - 1  # the newline that ends the line above
    first = True
    while end > 0:
        begin = body.rfind("\n", 0, end) + 1
        line = body[begin:end]
        if line.strip():
            if first:
                return False  # a paragraph's indented line
            if not line.startswith(("    ", "\t")):
                return not LIST_ITEM.match(line)
        first = False
        end = begin - 1
    return True


def tag(body: str, start: int, out: Output) -> int:
    """Write what the tag at ``start`` (``{{`` or ``{%``) stands for; return where the text goes on."""
    for pattern, url in (
        (JEKYLL_POST_URL, lambda m: post_link(m["target"])),
        (JEKYLL_LINK, lambda m: linked_file(m["target"])),
        (HUGO_REF, lambda m: hugo_ref(next(v for v in (m["dq"], m["sq"], m["bq"], m["bare"]) if v is not None))),
        (JEKYLL_SITE_URL, lambda m: ""),
        (JEKYLL_URL_FILTER, lambda m: "/" + m["path"].lstrip("/")),
    ):
        found = pattern.match(body, start)
        if found and (replacement := url(found)) is not None:
            out.add(replacement)
            return found.end()
    for opening, closing, keep in ((RAW, END_RAW, True), (COMMENT, END_COMMENT, False)):
        found = opening.match(body, start)
        end = found and closing.search(body, found.end())
        if found and end:
            out.add(body[found.end() : end.start()] if keep else "")
            return end.end()
    for opening, closing in ((JEKYLL_HIGHLIGHT, JEKYLL_END_HIGHLIGHT), (HUGO_HIGHLIGHT, HUGO_END_HIGHLIGHT)):
        found = opening.match(body, start)
        end = found and closing.search(body, found.end())
        if found and end:
            out.fence(found["lang"], body[found.end() : end.start()], body[end.end() : end.end() + 1])
            return end.end()
    out.add(body[start])  # a tag this does not know stays as text
    return start + 1


def post_link(path: str) -> str:
    """The URL of the post at ``path``, named with or without its extension (Jekyll's ``post_url`` has none)."""
    path = path.strip().strip("/")
    return f"/plog/{path_slug(path if is_markdown(path) else path + '.md')}/"


def linked_file(target: str) -> str:
    """Jekyll's ``link``: a Markdown file is a post; any other file keeps its path."""
    return post_link(target) if is_markdown(target) else "/" + target.strip("/")


def hugo_ref(target: str) -> str | None:
    """Hugo's ``ref`` and ``relref``: ``path/name.md#anchor`` (or a bundle's folder) as a post URL.

    A ref to a section (``_index.md``) has no post: the tag is left as it is.
    """
    path, hash_sign, anchor = target.partition("#")
    path = path.strip().strip("/")
    if not path:
        return f"#{anchor}" if hash_sign else None  # a part of the page itself
    if path.rpartition("/")[2].lower().startswith("_index"):
        return None
    return post_link(path) + (f"#{anchor}" if hash_sign else "")


class Output:
    """The migrated text, written piece by piece, knowing how its last line ends."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.tail = "\n\n"  # the last two characters: the text starts as if after a blank line

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.tail = (self.tail + text)[-2:]

    def fence(self, language: str, code: str, after: str) -> None:
        """A fenced code block, on lines and in a paragraph of its own; ``after`` is the character that follows."""
        code = RAW.sub("", END_RAW.sub("", code)).strip("\n")  # Liquid drops {% raw %} in a highlight block too
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
        self.add("" if self.tail == "\n\n" else "\n" if self.tail[-1] == "\n" else "\n\n")
        info = language if CODE_LANGUAGE.match(language) else ""
        self.add(f"{fence}{info}\n{code}\n{fence}\n" if code else f"{fence}{info}\n{fence}\n")
        if after not in ("", "\n"):
            self.add("\n")

    def text(self) -> str:
        return "".join(self.parts)
