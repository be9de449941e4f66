"""Bad input: the build names the file and line, exits 1, and leaves out/ untouched."""

from __future__ import annotations

import pytest

from conftest import GOOD_POST, fails_cleanly, out_state

# name -> (files to write, expected "file:line" prefix, words the message must contain)
CASES = {
    "invalid-yaml": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\ncategories: [a, b\n---\nbody\n"},
        "bad.md:5",
        "invalid YAML",
    ),
    "invalid-toml": (
        {"bad.md": '+++\ntitle = "Fine"\ndate = 2020-01-01\ncategories = [\n+++\nbody\n'},
        "bad.md:",
        "invalid TOML",
    ),
    "never-closed": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\n\nbody without a closing fence\n"},
        "bad.md:1",
        "never closed",
    ),
    "missing-title": (
        {"bad.md": "---\ndate: 2020-01-01\n---\nbody\n"},
        "bad.md:1",
        "missing title",
    ),
    "date-that-does-not-exist": (
        {"bad.md": "---\ntitle: Fine\ndate: 2023-02-30\n---\nbody\n"},
        "bad.md:3",
        "invalid date",
    ),
    "not-utf8": (
        {"bad.md": "---\ntitle: Caf\xe9\ndate: 2020-01-01\n---\nbody\n".encode("latin-1")},
        "bad.md:2",
        "not UTF-8",
    ),
    "slug-outside-out": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\nslug: ../../escape\n---\nbody\n"},
        "bad.md:4",
        "outside",
    ),
    "broken-internal-link": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\n---\n\nFirst line.\n\nSee [this](/plog/no-such-post/).\n"},
        "bad.md:8",
        "no-such-post",
    ),
    "no-front-matter": (
        {"bad.md": "Just some text.\n"},
        "bad.md:1",
        "no front matter",
    ),
    "title-is-a-list": (
        {"bad.md": "---\ntitle: [Lists, are not titles]\ndate: 2020-01-01\n---\nbody\n"},
        "bad.md:2",
        "`title` must be text, not a list",
    ),
    "title-is-a-mapping": (
        {"bad.md": "---\ndate: 2020-01-01\ntitle: {text: Hello}\n---\nbody\n"},
        "bad.md:3",
        "`title` must be text, not a mapping",
    ),
    "null-category": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\ncategories:\n  - Python\n  -\n---\nbody\n"},
        "bad.md:4",
        "`categories` holds an empty item",
    ),
    "null-keyword": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\nkeywords: [search, null]\n---\nbody\n"},
        "bad.md:4",
        "`keywords` holds an empty item",
    ),
    "nested-category-list": (
        {"bad.md": "---\ntitle: Fine\ndate: 2020-01-01\ncategories: [[Python, Django]]\n---\nbody\n"},
        "bad.md:4",
        "`categories` must hold plain names",
    ),
    "duplicate-yaml-key": (
        {"bad.md": "---\ntitle: First\ndate: 2020-01-01\ntitle: Second\n---\nbody\n"},
        "bad.md:4",
        "duplicate key `title` on lines 2 and 4",
    ),
    "toml-unclosed-at-the-end": (
        {"bad.md": '+++\ntitle = "Fine"\ndate = 2020-01-01\ncategories = ["Python",\n+++\nbody\n'},
        "bad.md:4",
        "check for an unclosed bracket or quote",
    ),
}


def write_all(site, files: dict) -> None:
    for name, text in files.items():
        path = site.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_cleanly(built, case):
    site, before = built
    files, where, words = CASES[case]
    write_all(site, files)
    stderr = fails_cleanly(site, before)
    assert f"content/{where}" in stderr, stderr
    assert words in stderr


def test_debug_shows_the_traceback(built):
    site, _ = built
    site.write("bad.md", "---\ndate: 2020-01-01\n---\nbody\n")
    result = site.run("build", "--debug")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "missing title" in result.stderr


def test_duplicate_slug_names_both_files(site):
    site.write("one.md", "---\ntitle: One\ndate: 2020-01-01\nslug: same\n---\nbody\n")
    site.write("sub/two.md", "---\ntitle: Two\ndate: 2020-01-02\n---\nbody\n")
    site.write("sub/same.md", "---\ntitle: Three\ndate: 2020-01-03\n---\nbody\n")
    result = site.run("build")
    assert result.returncode == 1
    assert "content/one.md:4: slug 'same' is also used by content/sub/same.md" in result.stderr
    assert "content/sub/same.md:1: slug 'same' is also used by content/one.md" in result.stderr


def test_all_problems_are_reported_together(site):
    write_all(site, {name: text for files, _, _ in CASES.values() for name, text in files.items()} | {})
    for index, (files, _, _) in enumerate(CASES.values()):
        write_all(site, {f"case{index}.md": text for text in files.values()})
    result = site.run("build")
    assert result.returncode == 1
    reported = [line for line in result.stderr.splitlines() if line.strip().startswith("content/case")]
    assert len({line.split(":")[0] for line in reported}) == len(CASES), result.stderr


def test_duplicate_slug_introduced_by_an_edit(built):
    """An unchanged post's slug is still counted when another file takes it."""
    site, _ = built
    site.write("other.md", "---\ntitle: Other\ndate: 2020-01-02\nslug: good\n---\nbody\n")
    result = site.run("build")
    assert result.returncode == 1
    assert "content/other.md:4: slug 'good' is also used by content/good.md" in result.stderr


def test_deleting_a_linked_post_breaks_the_linking_post(site):
    site.write("target.md", "---\ntitle: Target\ndate: 2020-01-01\n---\nbody\n")
    site.write("source.md", "---\ntitle: Source\ndate: 2020-01-02\n---\n\nSee [it](/plog/target/).\n")
    site.build()
    (site.content / "target.md").unlink()
    result = site.run("build")
    assert result.returncode == 1
    assert "content/source.md:6: broken link to /plog/target/" in result.stderr


def test_link_to_a_draft_is_broken_in_a_build(site):
    site.write("draft.md", "---\ntitle: Draft\ndate: 2020-01-01\ndraft: true\n---\nbody\n")
    site.write("source.md", "---\ntitle: Source\ndate: 2020-01-02\n---\nSee [it](/plog/draft/).\n")
    result = site.run("build")
    assert result.returncode == 1 and "draft or future post" in result.stderr
    assert site.run("build", "--drafts").returncode == 0


def test_links_between_unpublished_posts_are_checked_when_they_are_published(site):
    site.write("a.md", "---\ntitle: A\ndate: 2020-01-01\ndraft: true\n---\nSee [b](/plog/b/).\n")
    site.write("b.md", "---\ntitle: B\ndate: 2020-01-02\ndraft: true\n---\nSee [gone](/plog/gone/).\n")
    site.write("c.md", GOOD_POST)
    assert site.run("build").returncode == 0, "drafts are not published, so their links are not checked"
    result = site.run("build", "--drafts")
    assert result.returncode == 1 and "content/b.md:6: broken link to /plog/gone/" in result.stderr


def test_strict_mode_fails_on_warnings(site):
    site.write("typo.md", "---\ntitle: Typo\ndate: 2020-01-01\ncatgories: [Python]\n---\nbody\n")
    relaxed = site.run("build")
    assert relaxed.returncode == 0
    assert "content/typo.md:4" in relaxed.stderr and "did you mean `categories`" in relaxed.stderr
    # a warm build still knows the warning, and strict mode publishes nothing
    site.write("other.md", "---\ntitle: Other\ndate: 2020-01-02\n---\nbody\n")
    stderr = fails_cleanly(site, out_state(site), "--strict")
    assert "aborted with 1 warning in strict mode" in stderr
    assert not (site.out / "plog/other").exists()


def warnings_in(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


def test_localhost_base_url_warns_only_where_the_site_is_deployed(site):
    site.write("post.md", GOOD_POST)
    local = {"KILN_BASE_URL": None}  # the default, http://localhost:8000, as in the quick start
    quick = site.run("build", env=local)
    assert quick.returncode == 0 and warnings_in(quick) == [], "a local preview build is quiet"
    strict = site.run("build", "--strict", env=local)
    assert strict.returncode == 1 and "KILN_BASE_URL is http://localhost:8000" in strict.stderr
    assert site.run("check", "--strict", env=local).returncode == 1, "check fails where build would"
    production = {"NETLIFY": "true", "CONTEXT": "production", "KILN_BASE_URL": "http://localhost:8000"}
    deployed = site.run("build", env=production)
    assert deployed.returncode == 0 and len(warnings_in(deployed)) == 1
    assert "KILN_BASE_URL is http://localhost:8000" in deployed.stderr
    assert site.run("build", "--strict").returncode == 0  # conftest's https://blog.example.com


def test_missing_content_folder(tmp_path):
    from conftest import Site

    site = Site(tmp_path)
    result = site.run("build")
    assert result.returncode == 1
    assert "content folder" in result.stderr and "does not exist" in result.stderr


def test_invalid_settings_are_reported_together(site):
    site.write("post.md", GOOD_POST)
    bad = {"KILN_POSTS_PER_PAGE": "0", "KILN_BASE_URL": "example.com", "KILN_TIME_ZONE": "Mars/Base"}
    result = site.run("build", env=bad)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name in bad:
        assert name in result.stderr


@pytest.mark.parametrize("where", ["content", "cache", "root", "content-child", "foreign"])
def test_output_folder_that_would_destroy_something_is_refused(site, where):
    site.write("post.md", GOOD_POST)
    keep = site.root / "precious.txt"
    keep.write_text("keep me")
    out = {
        "content": site.content,
        "cache": site.cache,
        "root": site.root,
        "content-child": site.content / "out",
        "foreign": site.root / "site",
    }[where]
    (site.root / "site").mkdir()
    (site.root / "site" / "settings.py").write_text("DEBUG = True")
    site.cache.mkdir(exist_ok=True)
    result = site.run("build", "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "output folder" in result.stderr
    assert keep.read_text() == "keep me"
    assert (site.content / "post.md").is_file()
    assert (site.root / "site" / "settings.py").read_text() == "DEBUG = True"


def test_an_output_folder_kiln_wrote_is_replaced(site):
    site.write("post.md", GOOD_POST)
    site.out.mkdir()  # an empty folder is fine
    site.build()
    assert (site.out / ".kiln-output").is_file()
    site.build("--clean")  # and so is one with the marker, after the cache is gone
    assert (site.out / "plog/post/index.html").is_file()


def test_check_finds_broken_links_without_writing_out(site):
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n![missing](/images/none.png)\n")
    result = site.run("check")
    assert result.returncode == 1
    assert "content/post.md" in result.stderr and "/images/none.png" in result.stderr
    assert "output" not in result.stderr, "check never writes the output folder, so it says nothing of it"
    assert not site.out.exists()
    site.write("post.md", GOOD_POST)
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert not site.out.exists()


def test_clean_ignores_every_cache(built):
    site, _ = built
    result = site.run("build", "--clean", "--debug")
    assert result.returncode == 0, result.stderr
    assert "rendered=1" in result.stderr  # the Markdown was rendered again, not read from the cache
