"""The no-op shortcut (``kiln.quick``): a rebuild with nothing changed stops before Django starts, and nothing
else does.

A full build prints a line per stage (``migrate  in 0.10s``, see
``kiln.progress``); the shortcut prints only the summary. Content files are
dated a minute back, unless a test is about a file edited just before a build
("racily clean": its stamp then holds the file's hash too).
"""

from __future__ import annotations

import json
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


def test_the_build_right_after_an_edit_leaves_a_stamp_for_the_next(built):
    """The benchmark's sequence: edit, build at once, build again with nothing changed: the last one is quick."""
    (built.content / "first.md").write_text(POST.format(extra="").replace("The first post.", "Edited at once."))
    assert full_build(built.build().stderr)
    again = built.build()
    assert not full_build(again.stderr)
    assert "Edited at once." in built.html("plog/first/index.html").get_text()


def test_a_racy_file_whose_bytes_are_not_those_of_the_stamp_means_a_full_build(built):
    """A file edited again within its clock tick keeps its stat; the hash taken before the build read it tells."""
    (built.content / "first.md").write_text(POST.format(extra="").replace("The first post.", "Edited at once."))
    built.build()
    stamp = built.cache / "quick-stamp.json"
    data = json.loads(stamp.read_text())
    edited = str((built.content / "first.md").resolve())
    assert edited in data["racy"]
    data["racy"][edited] = "0" * 64  # as if the build had read other bytes than the file holds now
    stamp.write_text(json.dumps(data))
    assert full_build(built.build().stderr)


@pytest.mark.parametrize("flag", ["--debug", "--clean"])
def test_a_debug_or_clean_build_takes_no_shortcut_but_leaves_a_stamp(built, flag):
    (built.content / "first.md").write_text(POST.format(extra="").replace("The first post.", "Edited text."))
    assert full_build(built.build(flag).stderr)
    assert full_build(built.build(flag).stderr)  # never the shortcut, even with nothing changed
    after = built.build()
    assert not full_build(after.stderr)
    assert "(0 rendered, 0 files changed," in after.stderr
