"""Issue 14: hostile or broken content is refused by name, never read out of the folder, never a hang.

Symbolic links, FIFOs and permissions are made by each test in its own
folders. Permissions do not stop root, and CI runs as root: those builds run
as an unprivileged user (``setpriv``) when the tests run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import GOOD_POST, PROJECT, Site, fails_cleanly, out_state
from pictures import TINY_PNG

SECRET = "root:x:0:0:secret-line-of-a-private-file"


def published_text(site: Site) -> str:
    return "".join(p.read_text(errors="replace") for p in site.out.rglob("*") if p.is_file())


def test_links_out_of_the_content_folder_are_not_published(built, tmp_path):
    site, _ = built
    private = tmp_path / "private"
    private.mkdir()
    (private / "passwd").write_text(SECRET)
    (private / "post.md").write_text(f"---\ntitle: Outside\ndate: 2020-01-01\n---\n{SECRET}\n")
    os.symlink(private / "passwd", site.content / "passwd.txt")
    os.symlink(private / "post.md", site.content / "outside.md")
    os.symlink(private, site.content / "folder")
    os.symlink("/dev/zero", site.content / "zero.bin")
    (site.content / "inside.txt").write_text("published")
    os.symlink("inside.txt", site.content / "alias.txt")  # inside the folder: fine
    result = site.build()
    for name in ("passwd.txt", "outside.md", "zero.bin"):
        assert f"content/{name}: is a symbolic link to" in result.stderr and "not published" in result.stderr
        assert not (site.out / name).exists()
    assert SECRET not in published_text(site)
    assert not (site.out / "plog/outside").exists() and not (site.out / "folder").exists()
    assert (site.out / "alias.txt").read_text() == "published"
    strict = site.run("build", "--strict")
    assert strict.returncode == 1 and "strict mode" in strict.stderr


@pytest.mark.parametrize("kind", ["fifo-post", "fifo-file", "dangling", "loop"])
def test_what_cannot_be_read_fails_naming_it(built, kind):
    site, before = built
    target = {"fifo-post": "p.md", "fifo-file": "p.png", "dangling": "gone.md", "loop": "loop.md"}[kind]
    path = site.content / target
    if kind.startswith("fifo"):
        os.mkfifo(path)
    elif kind == "dangling":
        os.symlink(site.root / "no-such-file.md", path)
    else:
        os.symlink("loop.md", path)
    started = time.monotonic()
    message = fails_cleanly(site, before)
    assert time.monotonic() - started < 120, "the build waited on the file"
    assert f"content/{target}: " in message
    expected = {"fifo-post": "FIFO", "fifo-file": "FIFO", "dangling": "does not exist", "loop": "loops"}[kind]
    assert expected in message


def test_size_caps_are_settings_with_a_clear_message(built):
    site, before = built
    site.write("long.md", GOOD_POST + "x" * 3000)
    result = site.run("build", env={"KILN_MAX_POST_SIZE": "2KB"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/long.md: is 3,0" in result.stderr and "KILN_MAX_POST_SIZE" in result.stderr
    assert out_state(site) == before
    (site.content / "long.md").unlink()
    (site.content / "big.pdf").write_bytes(b"%PDF" + b"0" * 5000)
    result = site.run("build", env={"KILN_MAX_FILE_SIZE": "1KB"})
    assert result.returncode == 1 and "content/big.pdf" in result.stderr and "KILN_MAX_FILE_SIZE" in result.stderr
    assert out_state(site) == before
    bad = site.run("build", env={"KILN_MAX_POST_SIZE": "lots"})
    assert bad.returncode == 1 and "KILN_MAX_POST_SIZE" in bad.stderr and "Traceback" not in bad.stderr


BOMB = "\n".join(
    ["---", "title: Bomb", "date: 2020-01-01", "a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    + ["---", "body"]
)


@pytest.mark.parametrize(
    "text, line, words",
    [
        (BOMB, 8, "YAML aliases"),
        ("---\ntitle: Self\ndate: 2020-01-01\nloop: &l [*l]\n---\n", 4, "refers to the value that holds it"),
        ("---\ntitle: Deep\ndate: 2020-01-01\nx: " + "[" * 100 + "]" * 100 + "\n---\n", 4, "deep"),
        ('+++\ntitle = "Deep"\nx = ' + "[" * 3000 + "]" * 3000 + "\n+++\n", 1, "deep"),
        ("---\ntitle: Big\ndate: 2020-01-01\nx: '" + "y" * 70_000 + "'\n---\n", 1, "bytes, more than"),
    ],
    ids=["alias-bomb", "alias-loop", "deep-yaml", "deep-toml", "large"],
)
def test_front_matter_that_would_eat_memory_is_refused(built, text, line, words):
    site, before = built
    site.write("bad.md", text)
    started = time.monotonic()
    message = fails_cleanly(site, before)
    assert time.monotonic() - started < 120
    assert f"content/bad.md:{line}: " in message and words in message


@pytest.mark.parametrize(
    "front, line, words",
    [
        ('title: "A\\0title"', 2, "control character"),
        ('title: "Bell\\a"', 2, "control character"),
        ('title: Fine\ncategories: ["Py\\x07thon"]', 4, "control character"),
        ("title: " + "t" * 501, 2, "more than the 500 kept"),
        ("title: Fine\nslug: " + "é" * 150, 4, "too long for a file name"),
        ("title: Fine\ncategories: [" + "日" * 90 + "]", 4, "too long for a file name"),
    ],
    ids=["nul-title", "bell-title", "bell-category", "long-title", "long-slug", "long-category"],
)
def test_text_that_cannot_be_stored_or_shown_is_refused(built, front, line, words):
    site, before = built
    lines = front.split("\n")
    site.write("bad.md", "---\n" + lines[0] + "\ndate: 2020-01-01\n" + "\n".join(lines[1:]) + "\n---\nbody\n")
    message = fails_cleanly(site, before)
    assert f"content/bad.md:{line}: " in message and words in message


def test_control_characters_in_the_body_are_left_out_with_a_warning_naming_the_line(built):
    # Zola and Pelican publish them as written (a form feed in the Rust blog, a \x02 in a This Week in Rust link);
    # the feeds cannot carry them, so they are dropped, and --strict refuses the post
    site, _ = built
    body = "first\n\nsecond \x00 line\x0c\n[a](\x02/plog/bad/)\n"
    site.write("bad.md", "---\ntitle: Fine\ndate: 2020-01-01\n---\n" + body)
    result = site.build()
    assert "content/bad.md:7: " in result.stderr and "control character '\\x00' and 2 more" in result.stderr
    page = site.html("plog/bad/index.html").select_one("article")
    assert "second  line" in page.get_text() and page.find("a", string="a")["href"] == "/plog/bad/"
    feed = (site.out / "atom.xml").read_text()
    assert all(c not in feed for c in "\x00\x02\x0c") and "second  line" in feed
    ElementTree.fromstring(feed.encode())
    strict = site.run("--strict")
    assert strict.returncode == 1 and "strict mode" in strict.stderr


@pytest.mark.parametrize("date", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+01:00"])
def test_dates_at_the_ends_of_the_calendar(built, date):
    site, before = built
    site.write("bad.md", f"---\ntitle: Edge\ndate: {date}\n---\nbody\n")
    message = fails_cleanly(site, before, "--future")
    assert "content/bad.md:3: invalid date" in message and "years 1 to 9999" in message


def test_a_file_name_with_a_newline_stays_on_one_line(built):
    site, before = built
    (site.content / "two\nlines.md").write_text("no front matter\n")
    message = fails_cleanly(site, before)
    line = next(line for line in message.splitlines() if "no front matter" in line)
    assert "content/two\\nlines.md:1: " in line


def test_the_link_check_never_leaves_the_site(built):
    site, before = built
    site.write("bad.md", "---\ntitle: Up\ndate: 2020-01-01\n---\n\n[up](/../../../../etc/passwd)\n")
    message = fails_cleanly(site, before)
    assert "content/bad.md:6: broken link to /../../../../etc/passwd" in message


# --- permissions: as an unprivileged user, since root reads everything --------------------------------

NOBODY = 65534


def run_unprivileged(site: Site, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(site.content)]
    command += ["--out", str(site.out), "--cache", str(site.cache), *args]
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    env = {**os.environ, "KILN_BASE_URL": "https://blog.example.com", "HOME": str(site.root)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def own_site():
    """A site in a folder the unprivileged user owns (pytest's tmp_path is root's alone)."""
    root = Path(tempfile.mkdtemp(prefix="kiln-unprivileged-", dir="/tmp"))
    os.chmod(root, 0o755)
    site = Site(root)
    site.content.mkdir()
    site.write("good.md", GOOD_POST)
    if os.geteuid() == 0:
        for path in [root, *root.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    yield site
    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(root)


def test_unreadable_files_and_folders_fail_naming_them(own_site):
    site = own_site
    first = run_unprivileged(site)
    assert first.returncode == 0, first.stderr
    before = out_state(site)
    site.write("locked/post.md", GOOD_POST.replace("Good", "Locked"))
    site.write("secret.md", GOOD_POST.replace("Good", "Secret"))
    (site.content / "picture.png").write_bytes(TINY_PNG)
    for path in (site.content / "locked", site.content / "locked/post.md"):
        if os.geteuid() == 0:
            os.chown(path, NOBODY, NOBODY)
    for path in ("secret.md", "picture.png"):
        if os.geteuid() == 0:
            os.chown(site.content / path, NOBODY, NOBODY)
        os.chmod(site.content / path, 0)
    os.chmod(site.content / "locked", 0)
    result = run_unprivileged(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "content/locked: the folder cannot be read" in result.stderr  # its post is not silently dropped
    assert "content/secret.md: cannot be read" in result.stderr
    assert "content/picture.png: cannot be read" in result.stderr
    assert out_state(site) == before


def test_an_output_folder_that_cannot_be_written_is_a_message(own_site):
    site = own_site
    parent = site.root / "locked"
    parent.mkdir()
    if os.geteuid() == 0:
        os.chown(parent, NOBODY, NOBODY)
    os.chmod(parent, 0o555)
    result = run_unprivileged(site, "--out", str(parent / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "Permission denied" in result.stderr and str(parent) in result.stderr


def test_the_lengths_checked_at_load_are_the_columns_lengths():
    from blog import models, text_checks

    columns = {"title": models.Post, "slug": models.Post, "categories": models.Category, "keywords": models.Keyword}
    for field, model in columns.items():
        name = "name" if field in ("categories", "keywords") else field
        assert text_checks.COLUMNS[field] == model._meta.get_field(name).max_length, field
