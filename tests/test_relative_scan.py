"""Issue 15: the load stage's scan for relative links finds exactly what may be one (blog.relative)."""

from __future__ import annotations

import pytest

from blog import relative

CASES = [
    ("See [the notes](notes.md).", True),
    ("See [the notes]( <notes.md>).", True),
    ("[notes]: notes.md", True),
    ('<img src="pic.png">', True),
    ("<a href = 'other/'>", True),
    ("(href=x", True),
    ("See [home](/plog/home/).", False),
    ("See [it](https://example.com/) and [me](mailto:me@example.com).", False),
    ("[top](#top) [query](?q=1) [empty]()", False),
    ('xsrc="pic.png" and _href=pic', False),  # not an attribute: a word goes on before it
    ("ésrc=pic", False),
    ("no links at all", False),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_what_may_be_a_relative_link(text, expected):
    assert relative.has_relative_links(text) is expected
    assert (relative.MAYBE_RELATIVE.search(text) is not None) is expected  # the pattern it stands for agrees
