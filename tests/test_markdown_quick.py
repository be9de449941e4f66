"""The sync stage's quicker Markdown gives the HTML of the plain Python-Markdown pipeline, byte for byte (issue 15).

Each speed-up of ``blog.markdown`` is compared with a converter built of the
same extensions without it, on every CommonMark spec example, GFM's, the
text that smarty, links, math and code make tricky, and every Markdown file
of the test sites and the sample content. The rendered HTML is the cached
artefact a build writes to pages, so equality here is equality of the text,
not of a parse of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown as python_markdown
import pygments.lexers
import pymdownx.highlight
import pytest
from pygments.formatters.html import HtmlFormatter

import fidelity
from blog import markdown
from blog.mdext import pygments_reuse, quick_inline
from blog.mdext.quick_inline import QuickInlineExtension

PROJECT = Path(__file__).resolve().parents[1]
TRICKY = [
    "\"Quoted\" and 'single' -- dashes --- and... dots, it's 'a \"nest\"' ok",
    "'*em*' \"**strong**\" `'code' -- ...` and ``\"two\"`` then 'done'",
    "A [link 'title'](/plog/a/ \"its 'title'\") and ![alt \"x\"](/i.png) and <b>'html'</b>",
    "Escapes: \\\"not curly\\\" \\'nor this\\' \\*star\\* and &quot;entity&quot; &amp; 1--2",
    "Math $a' + b''$ and $$x -- y$$ and \\(z...\\) with 'quotes'",
    "Mail me@example.com, see https://example.com/'quoted' and www.example.org -- now",
    "Footnote[^1] 'here'.\n\n[^1]: The 'note' -- with \"quotes\"...",
    "# 'Heading' -- \"one\"\n\n## It's *two*\n\ntext",
    "| 'a' | \"b\" |\n|---|---|\n| c--d | e... |",
    "- 'item' one\n- \"item\" -- two\n\n> 'quote' block...",
    "~~'struck'~~ and - [ ] 'task'\n- [x] \"done\"",
    "'''triple''' \"\"\"and\"\"\" '90s and the '80s' --- 'tis",
    "Line one  \nline 'two'\\\nthree",
    "```python\nx = 'a' -- b\n```\n\n```JavaScript\nlet y = \"b\";\n```\n\n```nosuchlanguage\nz\n```\n",
    "    indented = 'code'\n\n```\nno language\n```\n\nInline `#!python x = 1` and ```html\n<b>\n```",
]


def plain_converter() -> python_markdown.Markdown:
    extensions = [e for e in markdown.EXTENSIONS if not isinstance(e, QuickInlineExtension)]
    return python_markdown.Markdown(extensions=extensions, extension_configs=markdown.EXTENSION_CONFIGS)


def all_sections() -> tuple[str, ...]:
    text = fidelity.SPEC.read_text(encoding="utf-8").split("<!-- END TESTS -->")[0]
    return tuple(dict.fromkeys(m[3] for m in fidelity.EXAMPLE.finditer(text) if m[3] is not None))


def texts() -> list[str]:
    files = [*(PROJECT / "tests" / "sites").rglob("*.md"), *(PROJECT / "content").rglob("*.md")]
    examples = [e.markdown for e in fidelity.spec_examples(all_sections()) + fidelity.gfm_examples()]
    return [*TRICKY, *examples, *(f.read_text(encoding="utf-8", errors="replace") for f in sorted(files))]


def test_the_quick_converter_writes_the_plain_converters_html_for_every_text(monkeypatch):
    samples = texts()
    assert len(samples) > 600  # the spec's examples and the fixtures were found
    assert sum("```" in text for text in samples) > 20  # with code to highlight
    with monkeypatch.context() as plain_pygments:  # Pygments and pymdown-extensions as they ship
        plain_pygments.setattr(pymdownx.highlight, "get_lexer_by_name", pygments.lexers.get_lexer_by_name)
        for formatter in (pymdownx.highlight.BlockHtmlFormatter, pymdownx.highlight.InlineHtmlFormatter):
            plain_pygments.setattr(formatter, "_create_stylesheet", HtmlFormatter._create_stylesheet)
        plain = plain_converter()
        expected = [plain.reset().convert(text) for text in samples]
    quick = markdown.converter()
    assert any(type(p).__name__ == "QuickInlineProcessor" for p in quick.treeprocessors)
    assert pymdownx.highlight.get_lexer_by_name is pygments_reuse.get_lexer_by_name
    different = [text for text, html in zip(samples, expected, strict=True) if quick.reset().convert(text) != html]
    assert different == []


@pytest.mark.parametrize("text", TRICKY[:4])
def test_smarty_still_runs_in_the_quick_converter(text):
    html = markdown.converter().convert(text)
    assert "&ldquo;" in html or "&rsquo;" in html or "&ndash;" in html


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"\$[^$]+\$|\\\(", "$\\"),  # one of each alternative
        (r"(?<!\w)x*'(?=\d)", "'"),  # look-arounds and optional parts need nothing
        (r"(\s|--)\"", '"'),  # the fewest characters of a sequence's parts
        (r"(?i)[a-z]+@[a-z]+", "@"),  # without case, a letter is not itself, but @ is
        (r"(?i)abc", None),
        (r"a?b*", None),  # matches the empty text
        (r".\w", None),
        (r"[0-9]x", "x"),
        (r"[abcdefghij]", None),  # too many to be worth testing
    ],
)
def test_the_characters_a_pattern_cannot_match_without(pattern, required):
    assert quick_inline.required_characters(re.compile(pattern)) == required


@pytest.mark.parametrize("text", ["no mail here", "a@b", "x\\(y", "dollar $", "é ABC ."])
def test_a_skipped_pattern_would_have_found_nothing(text):
    for pattern in [r"(?i)[a-z]+@[a-z]+", r"\$[^$]+\$|\\\(", r"(?xi) www\. | [a-z]+://"]:
        regex = re.compile(pattern)
        required = quick_inline.required_characters(regex)
        for start in range(len(text) + 1):
            assert quick_inline.can_match(regex, required, text, start) == (regex.search(text, start) is not None)
