"""The load stage trusts a post file's remembered stat (``content.Remembered``) only when the file did not change
within the file system's clock tick before the load that remembered it; every other file is read again."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from blog import content
from blog.content import RACY_NANOSECONDS, Facts, Remembered, stat_of

POST = "---\ntitle: {title}\ndate: 2020-01-0{day}\n---\nThe {title} post.\n"


def load(root: Path, known: dict[str, str], remembered: Remembered | None = None) -> content.Loaded:
    return content.load(root, known, ZoneInfo("UTC"), "content", remembered=remembered)


def write(root: Path, name: str, title: str, day: int = 1) -> Path:
    path = root / name
    path.write_text(POST.format(title=title, day=day), encoding="utf-8")
    return path


def known_of(loaded: content.Loaded) -> dict[str, str]:
    return {post.path: post.source_hash for post in loaded.changed}


def fake(path: Path, text: str) -> tuple[content.Stat, Facts]:
    """What a load would remember of ``path`` had it held ``text``, with the stat it has now."""
    return stat_of(path.stat()), Facts.of(text.encode(), path.name)


def test_a_file_changed_just_before_the_load_is_not_remembered(tmp_path):
    write(tmp_path, "new.md", "New")
    loaded = load(tmp_path, {})
    assert [post.title for post in loaded.changed] == ["New"]
    assert "new.md" not in loaded.remembered.files  # changed within RACY_NANOSECONDS of the load's start


def test_a_file_whose_stat_is_remembered_is_trusted_unread(tmp_path):
    path = write(tmp_path, "a.md", "Old")
    old_text = path.read_text()
    path.write_text(POST.format(title="Newer", day=1), encoding="utf-8")
    # the previous load saw the old bytes long after their last change, with the stat the file has now
    remembered = Remembered(time.time_ns() + 10 * RACY_NANOSECONDS, {"a.md": fake(path, old_text)})
    old = load(tmp_path, {}, remembered)
    # trusted by its stat: its digest is the old bytes', so a database holding them finds it unchanged
    assert load(tmp_path, known_of(old), remembered).unchanged == {"a.md"}
    # read again without the remembered stat: its new bytes are found
    assert [post.title for post in load(tmp_path, known_of(old)).changed] == ["Newer"]


def test_a_racy_file_is_read_even_when_its_stat_is_the_remembered_one(tmp_path):
    path = write(tmp_path, "a.md", "Old")
    old_text = path.read_text()
    first = load(tmp_path, {}, Remembered(time.time_ns() + 10 * RACY_NANOSECONDS, {"a.md": fake(path, old_text)}))
    path.write_text(POST.format(title="New", day=1), encoding="utf-8")
    # the previous load started within the clock tick of the file's change: the same stat proves nothing
    racy = Remembered(time.time_ns(), {"a.md": fake(path, old_text)})
    assert [post.title for post in load(tmp_path, known_of(first), racy).changed] == ["New"]


def test_an_unknown_hash_of_a_trusted_file_reads_and_parses_it(tmp_path):
    path = write(tmp_path, "a.md", "Same")
    remembered = Remembered(time.time_ns() + 10 * RACY_NANOSECONDS, {"a.md": fake(path, path.read_text())})
    loaded = load(tmp_path, {}, remembered)  # a database without the post (a fresh one)
    assert [(post.title, post.body) for post in loaded.changed] == [("Same", "The Same post.\n")]
    assert loaded.changed[0].source_hash == load(tmp_path, {}).changed[0].source_hash


def test_remembered_facts_survive_the_file_and_a_broken_file_remembers_nothing(tmp_path):
    path = write(tmp_path, "a.md", "A")
    stat = stat_of(path.stat())
    facts = Facts(hashlib.sha256(b"x").hexdigest(), False, True, False, True)
    Remembered(123, {"a.md": (stat, facts)}).write(tmp_path / "facts.json")
    again = Remembered.read(tmp_path / "facts.json")
    assert (again.started, again.files) == (123, {"a.md": (stat, facts)})
    (tmp_path / "facts.json").write_text('{"version": 1, "files": [')
    assert Remembered.read(tmp_path / "facts.json").files == {}
    assert Remembered.read(tmp_path / "none.json").files == {}


def settle(path: Path) -> None:
    """Date ``path`` an hour back and wait out the clock tick of its ctime, so that a build trusts its stat."""
    old = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(old, old))
    time.sleep(RACY_NANOSECONDS / 1e9 + 0.1)


def test_a_touched_but_unchanged_post_is_not_rendered_again(site):
    path = site.write("a.md", POST.format(title="A", day=1))
    site.write("b.md", POST.format(title="B", day=2))
    settle(path)
    site.build()
    first = (site.out / "plog/a/index.html").read_bytes()
    now = time.time_ns() - 7200 * 10**9
    os.utime(path, ns=(now, now))  # another stat, the same bytes
    result = site.build("--debug")
    assert "sync: SyncReport(added=0, updated=0, removed=0, unchanged=2" in result.stderr
    assert (site.out / "plog/a/index.html").read_bytes() == first


def test_an_edit_keeping_the_size_and_mtime_is_noticed(site):
    path = site.write("a.md", POST.format(title="Aaa", day=1))
    settle(path)
    site.build()
    mtime = path.stat().st_mtime_ns
    path.write_text(POST.format(title="Bbb", day=1), encoding="utf-8")  # the same size
    os.utime(path, ns=(mtime, mtime))  # and the old mtime: the ctime still differs
    site.build()
    assert "Bbb" in (site.out / "plog/a/index.html").read_text()


def test_warnings_of_a_trusted_file_are_still_shown(site):
    path = site.write("a.md", "---\ntitle: A\ndate: 2020-01-01\ncatgories: [x]\n---\nBody.\n")
    settle(path)
    first = site.build()
    assert "did you mean `categories`" in first.stderr
    site.write("b.md", POST.format(title="B", day=2))
    again = site.build()
    assert "did you mean `categories`" in again.stderr
    assert site.run("build", "--strict").returncode == 1


def test_a_page_is_read_even_when_its_stat_is_trusted(tmp_path):
    path = tmp_path / "about.md"
    path.write_text("---\ntitle: About\n---\nThe real text.\n", encoding="utf-8")
    remembered = Remembered(time.time_ns() + 10 * RACY_NANOSECONDS, {"about.md": fake(path, "---\ntitle: Old\n---\n")})
    loaded = content.load(tmp_path, {}, ZoneInfo("UTC"), "content", page_patterns=["about.md"], remembered=remembered)
    assert [(page.title, page.body) for page in loaded.pages] == [("About", "The real text.\n")]
