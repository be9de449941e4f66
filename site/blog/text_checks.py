"""Text a post may not hold: control characters, and values longer than the database keeps.

A NUL or another control character in a title, category or body makes the
feeds fail (XML 1.0 cannot carry them), and PostgreSQL refuses a title longer
than its column where SQLite silently keeps it. Both are refused in the front
matter when the file is loaded, with the field's line, so that the two
databases agree and no page fails later without naming its file. In the body,
where other generators publish them as written, control characters are left
out with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# what XML 1.0 cannot carry: C0 controls but tab, newline and carriage return; DEL; two non-characters
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# field -> the length of the column that holds it (tests/test_safety_content.py holds them to blog.models)
COLUMNS = {"title": 500, "slug": 200, "categories": 200, "keywords": 200}


# fields that are one segment of a URL, thus one file or folder name: at most 255 bytes once written
SEGMENT_BYTES = {"slug": 255, "categories": 255 - len("oc-")}


def control_problem(text: str) -> str | None:
    found = CONTROL.search(text)
    if found is None:
        return None
    return f"holds the control character {found.group()!r} (position {found.start() + 1}); remove it"


def field_problems(fields: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(field, message) for each value of ``fields`` ((field, text) pairs) that cannot be stored and shown."""
    found = []
    for field, text in fields:
        problem = control_problem(text)
        if problem is not None:
            found.append((field, f"`{field}` {problem}"))
        elif field in COLUMNS and len(text) > COLUMNS[field]:
            limit = COLUMNS[field]
            found.append((field, f"`{field}` is {len(text)} characters long, more than the {limit} kept; shorten it"))
        elif field in SEGMENT_BYTES and len(text.encode("utf-8", "surrogatepass")) > SEGMENT_BYTES[field]:
            limit = SEGMENT_BYTES[field]
            found.append((field, f"`{field}` {text[:20]!r}... is more than {limit} bytes, too long for a file name"))
    return found


def body_controls(body: str, first_line: int) -> tuple[str, tuple[int, str] | None]:
    """``body`` without its control characters, and (file line, warning) when it held any.

    Other generators publish them as written (a form feed in a Zola post, a
    stray ``\\x02`` in a Pelican link); the feeds cannot carry them, so they are
    left out, with a warning naming the first one's line.
    """
    found = CONTROL.search(body)
    if found is None:
        return body, None
    line = first_line + body.count("\n", 0, found.start())
    count = len(CONTROL.findall(body))
    more = f" and {count - 1} more" if count > 1 else ""
    return CONTROL.sub("", body), (line, f"the text holds the control character {found.group()!r}{more}, left out")
