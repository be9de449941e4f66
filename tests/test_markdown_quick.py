"""The sync stage's quicker Markdown gives the HTML of the plain Python-Markdown pipeline, byte for byte (issue 15).

Each speed-up of ``blog.markdown`` is compared with a converter built of the
same extensions without it, on every CommonMark spec example, GFM's, the
text that smarty, links, math and code make tricky, and every Markdown file
of the test sites and the sample content. The rendered HTML is the cached
artefact a build writes to pages, so equality here is equality of the text,
not of a parse of it.
"""

from __future__ import annotations

from pathlib import Path

import markdown as python_markdown
import pytest

import fidelity
from blog import markdown
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


def test_the_quick_converter_writes_the_plain_converters_html_for_every_text():
    quick, plain = markdown.converter(), plain_converter()
    assert any(type(p).__name__ == "QuickInlineProcessor" for p in quick.treeprocessors)
    samples = texts()
    assert len(samples) > 600  # the spec's examples and the fixtures were found
    different = [text for text in samples if quick.reset().convert(text) != plain.reset().convert(text)]
    assert different == []


@pytest.mark.parametrize("text", TRICKY[:4])
def test_smarty_still_runs_in_the_quick_converter(text):
    html = markdown.converter().convert(text)
    assert "&ldquo;" in html or "&rsquo;" in html or "&ndash;" in html
