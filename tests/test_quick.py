"""The no-op shortcut (``kiln.quick``): a rebuild with nothing changed stops before Django starts, and nothing
else does.

A full build prints a line per stage (``migrate  in 0.10s``, see
``kiln.progress``); the shortcut prints only the summary. Content files are
dated a minute back, so that no input is "racily clean" (changed within the
second before the build ended, when a build records no stamp).
"""

from __future__ import annotations

import os
import time

import pytest

from conftest import Site

POST = "---\ntitle: First\ndate: 2021-02-03\n{extra}---\nThe first post.\n"


def aged(site: Site) -> None:
    past = time.time() - 60
    for path in site.content.rglob("*"):
        os.utime(path, (past, past))


def full_build(stderr: str) -> bool:
    return any(line.startswith("migrate ") for line in stderr.splitlines())


@pytest.fixture
def built(tmp_path) -> Site:
    site = Site(tmp_path)
    site.write("first.md", POST.format(extra=""))
    site.write("second.md", POST.format(extra="").replace("First", "Second"))
    aged(site)
    assert full_build(site.build().stderr)
    return site


def test_nothing_changed_stops_at_once_with_the_same_summary(built):
    first = built.build()  # the stamp of the first build is there
    assert not full_build(first.stderr)
    assert "(0 rendered, 0 files changed," in first.stderr
    assert "Built " in first.stderr and "from 2 posts" in first.stderr
    assert not built.build("--quiet").stderr


def test_an_edit_a_setting_or_a_file_edited_in_out_means_a_full_build(built):
    page = built.out / "plog/first/index.html"
    (built.content / "first.md").write_text(POST.format(extra="").replace("The first post.", "Edited text."))
    result = built.build()
    assert full_build(result.stderr)
    assert "Edited text." in built.html("plog/first/index.html").get_text()

    assert full_build(built.build(env={"KILN_SITE_TITLE": "Another title"}).stderr)
    assert built.html("plog/first/index.html").title.get_text().endswith("Another title")

    aged(built)
    built.build()  # a stamp again, now that the inputs are old
    page.write_text("edited by hand")
    assert full_build(built.build().stderr)
    assert "Edited text." in built.html("plog/first/index.html").get_text()


def test_a_build_with_warnings_records_no_shortcut(tmp_path):
    """Every build repeats the warnings (unchanged files keep theirs), so a build with one is never skipped."""
    site = Site(tmp_path)
    site.write("first.md", POST.format(extra="catgories: [Django]\n"))  # a misspelt field: a warning
    aged(site)
    assert "did you mean `categories`" in site.build().stderr
    again = site.build()
    assert full_build(again.stderr)
    assert "did you mean `categories`" in again.stderr
