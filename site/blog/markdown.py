"""Markdown to HTML, the way every post is rendered.

Python-Markdown, extended to read Markdown as CommonMark and GFM do (the
parsers Hugo, Zola, Eleventy and GitHub-flavoured Jekyll use): lists may
follow a paragraph line and nest by their text's column (2 or 3 spaces),
Markdown goes on after a blank line inside an HTML block, and GFM's
strikethrough, task lists and bare-URL links (pymdown-extensions), and
typographic quotes, dashes and ellipses outside code (``smarty``). Fenced code
(in lists too) is highlighted by Pygments (an unknown language falls back to
plain text); tables, footnotes, heading ids with anchors and a table of
contents. The result is a :class:`Rendered`, which
the sync stage caches by a hash of the Markdown and of this renderer's
version, so a warm build never renders unchanged Markdown again.

Before Python-Markdown sees it, :func:`migrate` turns the template syntax
that posts written for Jekyll (Liquid) and Hugo (shortcodes) commonly hold
into the Markdown it stands for: links to other posts, code blocks, the site's
URL. Code (fenced blocks, indented blocks, inline spans) is left as written,
and so is every tag it does not know.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote

import markdown
import pygments
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from pymdownx.__meta__ import __version__ as pymdownx_version

from core import permalinks

from . import generator, jekyll_site, math, relative, shortcodes, standalone, urls
from .content import DATE_PREFIX, file_stem, parse_date, path_slug, safe_slug
from .layout import is_markdown
from .mdext import pygments_reuse
from .mdext.admonitions import AdmonitionsExtension
from .mdext.html_blocks import HtmlBlocksExtension
from .mdext.list_breaks import ListBreaksExtension
from .mdext.list_indent import ListIndentExtension
from .mdext.placeholders import PlaceholdersExtension
from .mdext.quick_inline import QuickInlineExtension

# bump when the configuration below, or `migrate`, changes what HTML comes out
CONFIG_VERSION = "5"  # 5: relative links climbing out of the content folder are left as written
VERSION = "-".join(
    (
        CONFIG_VERSION,
        f"markdown{markdown.__version__}",
        f"pymdownx{pymdownx_version}",
        f"pygments{pygments.__version__}",
        f"katex{math.katex_version()}",  # math is typeset into the cached HTML
    )
)

EXTENSIONS = [
    "pymdownx.superfences",
    "pymdownx.highlight",
    "tables",
    "footnotes",
    "toc",
    "attr_list",
    "md_in_html",
    "pymdownx.tilde",
    "pymdownx.tasklist",
    "pymdownx.magiclink",
    "sane_lists",
    ListIndentExtension(),
    ListBreaksExtension(),
    HtmlBlocksExtension(),
    PlaceholdersExtension(),
    "pymdownx.arithmatex",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    AdmonitionsExtension(),
    "smarty",  # curly quotes, dashes and ellipses in text; code is left as written
    QuickInlineExtension(),  # last: it speeds up the inline processors registered before it
]


def mermaid_fence(source: str, language: str, css_class: str, options: dict, md: object, **kwargs: object) -> str:
    """A ```mermaid block as mermaid draws it in the browser: its text in <pre class="mermaid">."""
    return f'<pre class="mermaid">{html.escape(source)}</pre>'


EXTENSION_CONFIGS = {
    "pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid", "format": mermaid_fence}]},
    "pymdownx.highlight": {"guess_lang": False, "css_class": "highlight", "use_pygments": True},
    "pymdownx.tilde": {"subscript": False},
    # $...$ and $$...$$ kept as TeX for blog.math to typeset with KaTeX
    "pymdownx.arithmatex": {"generic": True},
    "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-4"},
    # footnote ids must be unique per page, and posts are shown alone
    "footnotes": {"UNIQUE_IDS": False},
}
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
SUMMARY_LENGTH = 300
# a shortcode's HTML while Markdown runs: a word Markdown leaves alone, on a paragraph of its own or not
PIECE = re.compile(r"KILNPIECE(\d+)X")
PIECE_PARAGRAPH = re.compile(r"<p>KILNPIECE(\d+)X</p>")

_converter: markdown.Markdown | None = None


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    word_count: int
    first_paragraph: str  # plain text, for a summary when the post has none
    links: tuple[str, ...]  # keys of the posts the HTML links to, then its relative links (blog.relative)

    def as_dict(self) -> dict:
        return asdict(self)


def cache_key(body: str, params: dict | None = None, source: str = "") -> str:
    """What the HTML of ``body`` depends on: the renderer and, for a post with template tags, the files the
    tags read and the post's fields (Hugo's ``param``, Liquid's ``page``); for one with relative links, where
    its file ``source`` lies; the permalink pattern, when it is not the default."""
    salt = ""
    if settings.KILN.PERMALINK != permalinks.DEFAULT:  # links to posts, and which ones are checked
        salt = settings.KILN.PERMALINK
    if source and relative.has_relative_links(body):
        salt += f"\0{source}"
    if relative.moved and relative.links_by_file_name(body):  # where the posts it names are
        salt += relative.moved_digest()
    if "{{" in body or "{%" in body:  # shortcodes' templates, Liquid's _config.yml and _includes/
        salt += (
            shortcodes.templates_digest() + jekyll_site.digest() + json.dumps(params or {}, sort_keys=True, default=str)
        )
    return hashlib.sha256(f"{VERSION}\0{salt}\0{body}".encode()).hexdigest()


def page_params(post: object) -> dict:
    """A post's front matter fields as Hugo's ``.Params`` holds them (``title``, ``summary``, its own fields)."""
    fields = {"title": post.title, "summary": post.summary, "slug": post.slug}  # type: ignore[attr-defined]
    return {**fields, **{str(k).lower(): v for k, v in post.extra.items()}}  # type: ignore[attr-defined]


def converter() -> markdown.Markdown:
    pygments_reuse.install()
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def render(body: str, params: dict | None = None, source: str = "") -> Rendered:
    """``body`` as HTML; ``params`` are the post's front matter fields, for Hugo's ``param`` shortcode;
    ``source`` is the post's file (relative to the content folder), which its relative links start from."""
    global _converter
    if _converter is None:
        _converter = converter()
    converter_ = _converter.reset()
    pieces: list[str] = []
    body_html = put_back(converter_.convert(migrate(body, pieces, params or {})), pieces)
    found: list[relative.Relative] = []
    if source and relative.has_relative_links(body):
        body_html, found = relative.rewrite(body_html, source, post_link)
    toc_html = converter_.toc if converter_.toc_tokens else ""  # type: ignore[attr-defined]
    return Rendered(
        html=body_html,
        toc_html=toc_html,
        word_count=len(WORD.findall(TAG.sub(" ", body_html))),
        first_paragraph=first_paragraph(body_html),
        links=tuple(
            dict.fromkeys(
                [*(unquote(html.unescape(s)) for s in internal_link().findall(body_html)), *(r.entry() for r in found)]
            )
        ),
    )


def render_fragment(body: str, params: dict) -> str:
    """A piece of a post (a shortcode's content) as HTML, with a converter of its own."""
    pieces: list[str] = []
    return put_back(converter().convert(migrate(body, pieces, params)), pieces)


def put_back(body_html: str, pieces: list[str]) -> str:
    """The HTML that shortcodes wrote, in place of the words that held its place through Markdown."""
    if not pieces:
        return body_html
    body_html = PIECE_PARAGRAPH.sub(lambda m: pieces[int(m[1])], body_html)
    return PIECE.sub(lambda m: pieces[int(m[1])], body_html)


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
# Hugo's way to write a shortcode as text: {{</* name */>}}, {{%/* name */%}}
HUGO_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
COMMENT, END_COMMENT = liquid("comment"), liquid("endcomment")


def migrate(body: str, pieces: list[str] | None = None, params: dict | None = None) -> str:
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

    * Other Hugo shortcodes (:mod:`blog.shortcodes`): the HTML of a ``{{< >}}``
      one goes into ``pieces``, and its place holds a word that
      :func:`put_back` replaces after Markdown; a ``{{% %}}`` one's output is Markdown.

    Nothing inside code is changed, nor any other tag.
    """
    if "{%" not in body and "{{" not in body:
        return body
    body, liquid_done = with_liquid(body, params or {})
    out = Output(pieces if pieces is not None else [], params or {})
    out.liquid_done = liquid_done
    position = 0
    while match := NEXT.search(body, position):
        start = match.start()
        out.add(body[position:start])
        token = match.group()
        end = code_end(body, start, token)
        if end is not None:  # code: copied as it is, but for Hugo's escaped shortcodes
            out.add(unescape_shortcodes(body[start:end]))
            position = end
        elif token[0] == "{":
            position = tag(body, start, out)
        else:  # backticks that open no code span, or an indented line of a paragraph
            out.add(token)
            position = match.end()
    out.add(body[position:])
    return out.text()


# a Hugo shortcode's tags, which Liquid must not read
HUGO_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
KEPT = re.compile(r"KILNKEPT(\d+)X")


def liquid(text: str, page: dict, restore: Callable[[str], str], helpers: jekyll_site.Helpers) -> str:
    """:func:`blog.jekyll.render`, imported by its dotted path on the first post that holds Liquid: python-liquid
    costs a quarter of a second to import, and most sites never need it."""
    render: Callable[..., str] = import_string("blog.jekyll.render")
    return render(text, page, restore, helpers)


def with_liquid(body: str, params: dict) -> tuple[str, bool]:
    """``body`` with its Liquid rendered as Jekyll does (:mod:`blog.jekyll`), code and Hugo shortcodes kept out,
    and whether Liquid rendered it (then :func:`migrate` reads only Hugo's tags).

    Liquid that python-liquid refuses (a Jekyll plugin's tag, a missing
    include, a block never closed) is left to the tags :func:`migrate` reads
    itself, so nothing of the post is lost, and the load stage warns about it.
    """
    protected, kept = protect(body)
    if "{%" not in protected and "{{" not in protected:
        return body, False
    restore = lambda text: KEPT.sub(lambda m: kept[int(m[1])], text)
    try:
        return restore(liquid(protected, params, restore, LIQUID_HELPERS)), True
    except jekyll_site.SyntaxProblem:
        return body, False


def liquid_problem(body: str) -> tuple[int, str] | None:
    """(line, message) of the Liquid in ``body`` that python-liquid refuses, or None."""
    protected, kept = protect(body)
    if "{%" not in protected and "{{" not in protected:
        return None
    try:
        liquid(protected, {}, lambda text: text, LIQUID_HELPERS)
    except jekyll_site.SyntaxProblem as problem:
        return problem.line or 1, str(problem)
    return None


def protect(body: str) -> tuple[str, list[str]]:
    """``body`` with its code and Hugo shortcode tags replaced by words Liquid leaves alone, and those parts."""
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"KILNKEPT{len(kept) - 1}X"

    parts = []
    position = 0
    while match := NEXT.search(body, position):
        end = code_end(body, match.start(), match.group())
        if end is None:
            parts.append(body[position : match.end()])
            position = match.end()
            continue
        parts.append(body[position : match.start()])
        parts.append(keep(body[match.start() : end]))
        position = end
    parts.append(body[position:])
    return HUGO_TAG.sub(lambda m: keep(m.group()), "".join(parts)), kept


def markdownify(text: str) -> str:
    """Jekyll's ``markdownify`` filter."""
    return render_fragment(text, {})


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
    if out.liquid_done and not body.startswith(("{{<", "{{%"), start):
        out.add(body[start])  # Liquid's output (what {% raw %} kept, say) is text
        return start + 1
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
    escaped = HUGO_ESCAPED.match(body, start)
    if escaped:
        out.add(unescape_shortcodes(escaped.group()))
        return escaped.end()
    call = shortcodes.OPENING.match(body, start)
    if call and call["name"] not in shortcodes.READ_ELSEWHERE:
        return shortcode(body, call, out)
    out.add(body[start])  # a tag this does not know stays as text
    return start + 1


def shortcode(body: str, match: re.Match[str], out: Output) -> int:
    """Write the output of the Hugo shortcode ``match`` (with its content, if paired); return where it ends."""
    args, named = shortcodes.parse_arguments(match["args"])
    call = shortcodes.Call(match["name"], match["delim"] == "%", args, named)
    end = match.end()
    if not match["self"]:
        paired = shortcodes.find_end(body, call.name, end)
        if paired is not None:
            call.inner = body[end : paired[0]].strip("\n")
            end = paired[1]
    alone = out.tail[-1] == "\n" and body[end : end + 1] in ("", "\n")
    if not shortcodes.is_known(call.name):  # left out, with a warning of the load stage; its content stays
        out.add(migrate(call.inner or "", out.pieces, out.params))
        return end
    output = shortcodes.render_call(call, lambda text: render_fragment(text, out.params), out.params)
    if call.markdown_output and not output.startswith("<"):  # {{% %}} that writes Markdown, not HTML
        out.add(migrate(output, out.pieces, out.params))
    elif output:
        out.pieces.append(output)
        out.add(f"\nKILNPIECE{len(out.pieces) - 1}X\n\n" if alone else f"KILNPIECE{len(out.pieces) - 1}X")
    return end


def shortcodes_outside_code(body: str) -> list[tuple[int, re.Match[str]]]:
    """Where each Hugo shortcode opens in ``body``, outside code, with its match."""
    found = []
    position = 0
    while match := NEXT.search(body, position):
        end = code_end(body, match.start(), match.group())
        if end is not None:
            position = end
            continue
        call = shortcodes.OPENING.match(body, match.start()) if match.group() == "{{" else None
        if call and call["name"] not in shortcodes.READ_ELSEWHERE:
            found.append((match.start(), call))
        position = match.end()
    return found


def unescape_shortcodes(text: str) -> str:
    """``{{</* name */>}}`` as the shortcode it shows, ``{{< name >}}``."""
    if "/*" not in text:
        return text
    return HUGO_ESCAPED.sub(lambda m: "{{" + m[1] + m[2] + m[3] + "}}", text)


@functools.cache
def post_prefix() -> str:
    """Where posts live (``/plog/``): the page registry's ``post`` pattern, reversed once."""
    return reverse("post", args=["x"])[: -len("x/")]


def post_url(slug: str) -> str:
    """The URL of the post named ``slug`` (its key: see :mod:`blog.urls`), as its links are written (the key
    not percent-encoded)."""
    return f"{post_prefix()}{slug}/"


@functools.cache
def internal_link() -> re.Pattern[str]:
    """A link to a post in rendered HTML; the post's key is its group. It matches nothing when the permalink
    pattern cannot tell a post's URL from another page's (the check stage checks those links)."""
    shape = permalinks.link_shape(settings.KILN.PERMALINK)
    if shape is None:
        return re.compile(r"(?!)")
    return re.compile(r'href="' + re.escape(post_prefix()) + "(" + shape + r')/?(?=["#?])')


@functools.cache
def _sections(root: str | Path, leave_out: tuple[str, ...]) -> Callable[[str, str], bool]:
    return urls.section_folders(Path(root), leave_out)


def is_section(folder: str, written_for: str = "zola") -> bool:
    """Whether ``folder`` of the content folder is a section for a post written for ``written_for``
    (see :func:`blog.urls.section_folders`)."""
    # (keyed by the settings as they are: a Path made on each call cost more than the answer, 4,000 times a build)
    kiln = settings.KILN
    return _sections(kiln.CONTENT_DIR, (*kiln.IGNORE, *kiln.PAGES))(folder, written_for)


def post_link(path: str) -> str:
    """The URL of the post at ``path``, named with or without its extension (Jekyll's ``post_url`` has none):
    its real one when it is elsewhere than its name says (``relative.moved``, set by the sync stage), else
    the one the permalink pattern gives its file's name (see :func:`file_key`)."""
    path = path.strip().strip("/")
    rel = path if is_markdown(path) else path + ".md"
    return post_url(relative.moved.get(path) or relative.moved.get(rel) or file_key(rel))


def file_key(rel: str) -> str:
    """The key the permalink pattern gives the post file ``rel`` from its name alone (its date from a
    ``YYYY-MM-DD-`` prefix)."""
    pattern = settings.KILN.PERMALINK
    slug = safe_slug(path_slug(rel))
    if pattern == permalinks.DEFAULT and slug:  # what urls.default_url gives, without expanding the pattern
        folder = generator.section(rel)
        return f"{folder}/{slug}" if is_section(folder) else slug
    prefix = DATE_PREFIX.match(file_stem(rel))
    date = None
    if prefix:
        try:
            date = parse_date("-".join(prefix.groups()[:3]), dt.UTC)
        except ValueError:
            pass
    return permalinks.key_of(urls.default_url(pattern, rel, date, slug, is_section), pattern) or slug


def linked_file(target: str) -> str:
    """Jekyll's ``link``: a Markdown file under ``_posts/`` is a post, another one a page (``about.md`` is
    ``/about/``, see :mod:`blog.standalone`); any other file keeps its path."""
    if not is_markdown(target):
        return "/" + target.strip("/")
    return post_link(target) if "_posts" in target.split("/") else standalone.default_url(target.strip().strip("/"))


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

    def __init__(self, pieces: list[str], params: dict) -> None:
        self.pieces = pieces  # HTML of shortcodes, put back after Markdown
        self.params = params
        self.liquid_done = False  # Liquid rendered the text: its tags are gone, what looks like one is text
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


LIQUID_HELPERS = jekyll_site.Helpers(markdownify, post_link, linked_file)


def unknown_shortcodes(body: str) -> list[tuple[int, str]]:
    """(line, name) of each shortcode in ``body`` (outside code) that is neither built in nor a template."""
    return [
        (body.count("\n", 0, start) + 1, match["name"])
        for start, match in shortcodes_outside_code(body)
        if not shortcodes.is_known(match["name"])
    ]


def template_warnings(body: str) -> list[tuple[int, str]]:
    """(line in ``body``, message) of each template tag the renderer had to leave out or as written."""
    if "{{" not in body and "{%" not in body:  # no tag at all: nothing to look for in or out of code
        return []
    found = [
        (
            line,
            f"unknown shortcode `{name}` is left out (a paired one keeps its content); "
            f"write site/templates/{shortcodes.TEMPLATE_FOLDER}/{name}.html to render it",
        )
        for line, name in unknown_shortcodes(body)
    ]
    problem = liquid_problem(body)
    if problem is not None:
        found.append((problem[0], f"Liquid: {problem[1]}; its tags are shown as written"))
    return found
