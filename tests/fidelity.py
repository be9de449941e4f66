"""How closely Kiln's Markdown matches CommonMark and GFM, measured on their own examples.

CommonMark's examples come from the pinned npm ``commonmark-spec`` (its
``spec.txt``, with the HTML the spec expects). GFM's extensions
(strikethrough, task lists, bare-URL autolinks) ship no spec file in any
registry package, so :data:`GFM_EXAMPLES` are our own, and their expected HTML
is what GitHub's own parser (``cmarkgfm``, test-only) makes of them.

Two HTML texts match when their parsed structure does: the same elements,
attributes and text, whitespace between blocks ignored. Kiln's own additions
(Pygments' wrapper around code, heading ids and anchors) are taken off first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import cmarkgfm
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from cmarkgfm.cmark import Options

SPEC = Path(__file__).resolve().parents[1] / "node_modules" / "commonmark-spec" / "spec.txt"
EXAMPLE = re.compile(r"^`{32} example\n(.*?)^\.\n(.*?)^`{32}$|^#{1,6} *([^\n]*)$", re.M | re.S)
# the spec sections of the constructs issue 11 is about
SECTIONS = ("Lists", "List items", "HTML blocks")


@dataclass(frozen=True)
class Example:
    section: str
    number: int
    markdown: str
    html: str


def spec_examples(sections: tuple[str, ...] = SECTIONS) -> list[Example]:
    """CommonMark's examples in ``sections``, tabs written as tabs (the spec shows them as →)."""
    text = SPEC.read_text(encoding="utf-8").split("<!-- END TESTS -->")[0]
    found, section, number = [], "", 0
    for match in EXAMPLE.finditer(text):
        if match[3] is not None:
            section = match[3]
            continue
        number += 1
        if section in sections:
            found.append(Example(section, number, match[1].replace("→", "\t"), match[2].replace("→", "\t")))
    return found


GFM_EXAMPLES = {
    "Strikethrough": [
        "~~Hi~~ Hello, world!",
        "This ~~has a\n\nnew paragraph~~.",
        "A ~~struck *and emphasised*~~ word.",
        "~~one~~ and ~~two~~",
        "Not ~~ struck.",
        "`~~code~~` stays",
    ],
    "Task lists": [
        "- [ ] foo\n- [x] bar",
        "- [x] foo\n  - [ ] bar\n  - [x] baz\n- [ ] bim",
        "- [X] upper case\n- [ ] open",
        "1. [x] ordered\n2. [ ] too",
        "- [ ] **bold** task",
        "- not a task\n- [x] a task",
    ],
    "Autolinks (bare URLs)": [
        "Visit www.commonmark.org/help for more information.",
        "See https://www.example.com/path?a=1&b=2 now.",
        "http://example.com.",
        "Go to https://example.org/page, then back.",
        "(Visit https://encrypted.google.com/search?q=Markup+(business))",
        "An `https://example.com` in code.",
        "Already [linked](https://example.com) here.",
        "<https://example.com> in angle brackets.",
    ],
}


def gfm_examples() -> list[Example]:
    """Our GFM examples, with what GitHub's parser makes of them."""
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG
    return [
        Example(section, number, markdown + "\n", cmarkgfm.github_flavored_markdown_to_html(markdown, options))
        for section, texts in GFM_EXAMPLES.items()
        for number, markdown in enumerate(texts, 1)
    ]


BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "details", "dd", "div", "dl", "dt", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip


def structure(html_text: str) -> str:
    """A canonical form of ``html_text``: elements, sorted attributes and text, without Kiln's additions."""
    soup = BeautifulSoup(html_text, "html.parser")
    for block in soup.select("div.highlight"):  # Pygments' <div><pre><span></span><code> is a plain <pre><code>
        pre, code = soup.new_tag("pre"), soup.new_tag("code")
        code.string = block.get_text()
        pre.append(code)
        block.replace_with(pre)
    for anchor in soup.select("a.headerlink"):
        anchor.decompose()
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        del heading["id"]
    for box in soup.select("input[type=checkbox]"):  # GitHub's task list markup differs only in attributes
        box.attrs = {"checked": ""} if box.has_attr("checked") else {}
    for item in soup.find_all(["li", "ul", "ol"]):
        for name in ("class", "data-gfm-task"):
            item.attrs.pop(name, None)
    return AROUND_BLOCK.sub("\n", "".join(_canonical(node) for node in soup.contents)).strip("\n ")


def _canonical(node: object, in_pre: bool = False) -> str:
    if isinstance(node, Comment):
        return f"<!--{node}-->"
    if isinstance(node, NavigableString):
        text = str(node)
        return text if in_pre else re.sub(r"\s+", " ", text)
    assert isinstance(node, Tag)
    attrs = "".join(f' {k}="{" ".join(v) if isinstance(v, list) else v}"' for k, v in sorted(node.attrs.items()))
    inner = "".join(_canonical(child, in_pre or node.name == "pre") for child in node.contents)
    if node.name in BLOCKS:  # on a line of its own: the spaces around it are not text
        inner = inner if node.name == "pre" else inner.strip(" ")
        return f"{MARK}<{node.name}{attrs}>{inner}</{node.name}>{MARK}"
    return f"<{node.name}{attrs}>{inner}</{node.name}>"


MARK = "\x00"
AROUND_BLOCK = re.compile(f" *{MARK}[ {MARK}]*")


def matches(rendered: str, expected: str) -> bool:
    return structure(rendered) == structure(expected)
