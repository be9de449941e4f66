"""Which line of a file a problem is on, for messages (``content/post.md:3: ...``).

The front matter parser records the line of each field (``Document.field_lines``);
everything else that names a line (a link, an alias, a ``slug:``, a byte that is
not UTF-8) finds it in the file's text with these two functions.
"""

from __future__ import annotations

import re


def line_at(text: str | bytes, index: int) -> int:
    """The line (from 1) that the character (or byte) at ``index`` of ``text`` is on."""
    return text.count(b"\n" if isinstance(text, bytes) else "\n", 0, index) + 1


def first_line(text: str, wanted: str | re.Pattern[str]) -> int | None:
    """The line of the first occurrence of ``wanted`` (plain text or a pattern) in ``text``, or None."""
    if isinstance(wanted, str):
        index = text.find(wanted)
        return None if index < 0 else line_at(text, index)
    match = wanted.search(text)
    return None if match is None else line_at(text, match.start())
