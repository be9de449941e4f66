"""A post's Markdown never leaks Python-Markdown's placeholders, and a page that fails names its URL and file.

Issue 11, point 6: an image whose alt text held a link with code in it left
``\\x02klzzwxh:0000\\x03`` in ``alt``; the control character broke the feeds
(HTTP 500) and the build named no file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from bs4 import BeautifulSoup

from blog import markdown


@pytest.mark.parametrize(
    ("body", "alt"),
    [
        ("![[a `b`](https://example.com/)](/i.png)", "a b"),
        ("![[a \\*b](https://example.com/) c](/i.png)", "a *b c"),
        ("![[`a` *b*][r] c](/i.png)\n\n[r]: https://example.com/", "a b c"),
        ("![plain `code` alt](/i.png)", "plain code alt"),
        ("![R&amp;D \\[1\\]](/i.png)", "R&D [1]"),
    ],
)
def test_image_alt_text_holds_no_placeholder(body, alt):
    rendered = markdown.render(body).html
    assert "\x02" not in rendered and "\x03" not in rendered
    assert BeautifulSoup(rendered, "html.parser").img["alt"] == alt


def test_a_link_with_an_ampersand_keeps_it():
    page = BeautifulSoup(markdown.render("![x](/i.png?a=1&b=2 'T & U')").html, "html.parser")
    assert page.img["src"] == "/i.png?a=1&b=2" and page.img["title"] == "T & U"


def test_the_image_in_a_categorys_feed_builds(site):
    site.write(
        "pics.md",
        "---\ntitle: Pics\ndate: 2024-01-02\ncategories: [Travel]\n---\n"
        "![[a `b`](https://example.com/)](https://example.com/i.png)\n",
    )
    site.build()
    for feed in ("rss.xml", "oc-Travel/rss.xml"):
        item = ElementTree.parse(site.out / feed).getroot().find("channel/item")
        assert item.findtext("title") == "Pics"
    assert site.html("plog/pics/index.html").select_one("article img, main img")["alt"] == "a b"


def test_a_control_character_that_would_break_a_feed_is_left_out_at_load(built):
    # it once failed the feeds with HTTP 500 naming no file (issue 14); it is now dropped at load, with a warning
    site, _ = built
    site.write("bell.md", "---\ntitle: Bell\ndate: 2024-01-02\ncategories: [Travel]\n---\nA bell \x07 rings.\n")
    result = site.build()
    assert "content/bell.md:6:" in result.stderr and "control character" in result.stderr
    for feed in ("rss.xml", "oc-Travel/rss.xml"):
        items = ElementTree.parse(site.out / feed).getroot().findall("channel/item")
        assert any(item.findtext("title") == "Bell" for item in items)
