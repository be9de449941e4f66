"""Issue 14: an alias reaches only a file of its own, checked as the host reads it (percent-decoded).

Every alias below once wrote where it must not or ended in a traceback; each
is now a file:line error, with out/ untouched.
"""

from __future__ import annotations

import pytest

from conftest import fails_cleanly

CASES = {
    "percent-encoded-static": ("'/%73tatic/evil'", "static files"),
    "percent-encoded-dots": ("'/%2e%2e/%2e%2e/evil/'", "`..` segment"),
    "splat": ("'/*'", "Netlify"),
    "placeholder": ("'/old/:splat'", "Netlify"),
    "marker": ("'/.kiln-output'", "hidden"),
    "hidden-folder": ("'/.git/config'", "hidden"),
    "feed-as-folder": ("'/rss.xml/'", "/rss.xml to be a folder"),
    "redirects-as-folder": ("'/_redirects/'", "/_redirects to be a folder"),
    "404-as-folder": ("'/404.html/'", "/404.html to be a folder"),
    "page-file-as-folder": ("'/plog/good/index.html/'", "/plog/good/index.html to be a folder"),
    "page-folder-as-file": ("'/plog/good'", "would"),
    "alias-file-as-folder": ("['/old.html', '/old.html/deeper/']", "/old.html to be a folder"),
    "nul": ('"/old\\0nul/"', "control character"),
    "encoded-nul": ("'/old%00nul/'", "control character"),
    "encoded-newline": ("'/old%0Anul/'", "control character"),
    "long-segment": ("'/" + "a" * 256 + "/'", "255 bytes"),
    "empty-segment": ("'/a//b/'", "empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_alias_that_would_escape_or_crash_is_a_file_line_error(built, case):
    site, before = built
    value, words = CASES[case]
    site.write("a.md", f"---\ntitle: A\ndate: 2024-01-01\naliases: {value}\n---\nA.\n")
    message = fails_cleanly(site, before)
    line = next((line for line in message.splitlines() if "content/a.md:" in line), "")
    assert line.strip().startswith("content/a.md:4: "), message
    assert words in line, message
    assert "\x00" not in message and "\n" not in line


def test_a_plain_alias_still_builds(built):
    site, _ = built
    site.write("a.md", "---\ntitle: A\ndate: 2024-01-01\naliases: ['/2013/05/old.html', '/old/a/']\n---\nA.\n")
    site.build()
    assert (site.out / "2013/05/old.html").is_file() and (site.out / "old/a/index.html").is_file()
