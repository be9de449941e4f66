"""Issue 14: nothing a user put in out/ is lost, nothing private is published, out/ is what it claims.

Each case builds a real site, then checks out/ byte for byte before and after.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

from conftest import GOOD_POST, PROJECT, Site, fails_cleanly, out_state, snapshot
from pictures import TINY_PNG


@pytest.mark.parametrize("clean", [False, True])
def test_files_kiln_did_not_write_stop_the_build_and_are_kept(built, clean):
    site, _ = built
    (site.out / "CNAME").write_text("blog.example.com\n")
    (site.out / ".git").mkdir()
    (site.out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (site.out / "plog" / "notes.txt").write_text("my notes")
    before = out_state(site)
    message = fails_cleanly(site, before, *(["--clean"] if clean else []))
    assert "did not write" in message
    for name in ("CNAME", ".git/", "plog/notes.txt"):
        assert name in message
    assert ".git/HEAD" not in message  # a stray folder is named once


def test_a_file_moved_into_content_is_published_instead(built):
    site, _ = built
    (site.out / "CNAME").write_text("blog.example.com\n")
    assert site.run("build").returncode == 1
    (site.out / "CNAME").rename(site.content / "CNAME")
    site.build()
    assert (site.out / "CNAME").read_text() == "blog.example.com\n"


def test_the_marker_lists_every_file_of_the_site(built):
    site, _ = built
    listed = (site.out / ".kiln-output").read_text().splitlines()
    files = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}
    assert {f'"{name}"' for name in files - {".kiln-output"}} == {line for line in listed if line.startswith('"')}


def folder_cases(site: Site) -> dict[str, list[str]]:
    content, out = str(site.content), str(site.out)
    return {
        "cache-in-content": ["--cache", f"{content}/cache"],
        "cache-is-content": ["--cache", content],
        "content-in-cache": ["--cache", str(site.root)],
        "cache-in-out": ["--cache", f"{out}/cache"],
        "out-in-cache": ["--cache", str(site.root / "c"), "--out", f"{site.root}/c/out"],
        "cache-through-a-link": ["--cache", f"{site.root}/link/cache"],
    }


@pytest.mark.parametrize(
    "case",
    [
        "cache-in-content",
        "cache-is-content",
        "content-in-cache",
        "cache-in-out",
        "out-in-cache",
        "cache-through-a-link",
    ],
)
def test_content_out_and_cache_never_hold_one_another(built, case):
    site, before = built
    os.symlink(site.content, site.root / "link")
    args = folder_cases(site)[case]
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(site.content)]
    command += ["--out", str(site.out)] if "--out" not in args else []
    env = {**os.environ, "KILN_BASE_URL": "https://blog.example.com"}
    result = subprocess.run([*command, *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "(--cache): the cache folder" in result.stderr or "(--out): the output folder" in result.stderr
    assert "keep the three folders apart" in result.stderr
    assert out_state(site) == before
    # refused before anything is made: no database in the content, no cache folder inside out/
    assert not (site.content / "cache").exists() and not (site.out / "cache").exists()
    assert not list(site.content.rglob("*.sqlite3"))


def test_a_cache_that_is_a_file_is_refused(built):
    site, before = built
    (site.root / "file").write_text("not a folder")
    result = site.run("build", "--cache", str(site.root / "file"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a file; choose a folder" in result.stderr
    assert out_state(site) == before


def test_edited_output_files_are_made_again(site):
    site.write("post.md", GOOD_POST.replace("A good post.", "A good post with ![a picture](/images/a.png)."))
    (site.content / "images").mkdir()
    (site.content / "images" / "a.png").write_bytes(TINY_PNG + b" picture")
    site.build()
    expected = snapshot(site.out)
    page = site.out / "plog/post/index.html"
    css = next((site.out / "static").rglob("*.css"))
    picture = site.out / "images/a.png"
    for path in (page, css, picture):
        path.write_bytes(path.read_bytes().replace(b"<", b"[", 1) + b"edited")
    result = site.build()
    assert "0 files changed" not in result.stderr
    assert snapshot(site.out) == expected
    # and once repaired, nothing to do again
    mtimes = {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}
    site.build()
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()} == mtimes


def test_an_edit_with_the_same_size_is_found(built):
    site, _ = built
    expected = snapshot(site.out)
    page = site.out / "plog/good/index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"A good post.", b"A bad post!!"))
    assert page.stat().st_size == len(data)
    site.build()
    assert snapshot(site.out) == expected


def test_leftovers_of_dead_builds_are_removed(built):
    site, _ = built
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = site.root / f".out.staging-{dead.stdout.strip()}"
    (leftover / "plog").mkdir(parents=True)
    (leftover / "plog" / "index.html").write_text("an old site")
    running = site.root / f".out.old-{os.getpid()}"  # this process is alive: maybe a build of another cache
    running.mkdir()
    site.build()
    assert not leftover.exists()
    assert running.is_dir()


def test_another_build_on_the_same_cache_is_refused(built):
    site, before = built
    with (site.cache / "build.lock").open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # what a running build holds
        message = fails_cleanly(site, before)
    assert "another build is running" in message and "cache" in message
    site.build()  # released: builds again


def test_builds_at_once_either_build_or_say_another_is_running(built):
    site, _ = built
    site.write("second.md", GOOD_POST.replace("Good", "Second"))
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(site.content)]
    command += ["--out", str(site.out), "--cache", str(site.cache)]
    env = {**os.environ, "KILN_BASE_URL": "https://blog.example.com"}
    for _ in range(2):
        running = [
            subprocess.Popen(command, cwd=site.root, env=env, stderr=subprocess.PIPE, text=True) for _ in range(3)
        ]
        results = [(p.wait(timeout=600), p.stderr.read()) for p in running]
        for code, stderr in results:
            assert "Traceback" not in stderr
            assert code == 0 or (code == 1 and "another build is running" in stderr), stderr
        assert any(code == 0 for code, _ in results)
    assert site.html("plog/second/index.html").select_one("article h1").get_text() == "Second"
