"""KILN_IGNORE's globs, as blog.layout matches them: a name at any depth, or a path from the content folder."""

from __future__ import annotations

import pytest

from blog.layout import ignored
from config.kiln import DEFAULT_IGNORE


@pytest.mark.parametrize(
    ("rel", "patterns", "expected"),
    [
        ("README.md", ["README*"], True),
        ("docs/deep/Readme.MD", ["README*"], True),  # any depth, any case
        ("notes/readme-later.md", ["README"], False),  # a whole name, not a prefix
        ("vendor/bundle/gems/x.md", ["vendor/bundle"], True),  # a folder on the path
        ("blog/vendor/bundle/x.md", ["vendor/bundle"], False),  # a path pattern starts at the top
        ("Drafts/idea.MD", ["drafts/*.md"], True),
        ("drafts/idea.txt", ["drafts/*.md"], False),
        ("node_modules/a/b.md", DEFAULT_IGNORE, True),
        ("posts/CONTRIBUTING.md", DEFAULT_IGNORE, True),
        ("posts/contributing-to-open-source.md", DEFAULT_IGNORE, False),
        ("posts/hello.md", DEFAULT_IGNORE, False),
        ("x1.md", ["[xy]?.md"], True),
        ("z1.md", ["[!z]?.md"], False),
        ("post.md", [], False),
    ],
)
def test_ignored(rel: str, patterns: list[str], expected: bool) -> None:
    assert ignored(rel, patterns) is expected
