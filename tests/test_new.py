"""`build.py new`: a draft dated now in the site's time zone, front matter that always parses."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml


def front_matter(path) -> tuple[dict, str]:
    """The YAML between the `---` lines, parsed by PyYAML itself, and the body."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def test_new_writes_a_draft_dated_now_in_the_site_time_zone(site):
    result = site.run(
        "new", "Hello, “World”: a title", "--category", "Web development", env={"KILN_TIME_ZONE": "Asia/Kathmandu"}
    )
    assert result.returncode == 0, result.stderr
    path = site.content / "hello-world-a-title.md"
    assert [p.name for p in site.content.iterdir()] == [path.name]
    meta, body = front_matter(path)
    assert meta["title"] == "Hello, “World”: a title" and meta["draft"] is True
    assert meta["categories"] == ["Web development"]
    assert meta["date"].utcoffset() == dt.timedelta(hours=5, minutes=45)
    assert abs(dt.datetime.now(dt.UTC) - meta["date"]) < dt.timedelta(minutes=10)
    assert "summary" not in meta, "no empty summary: the first paragraph is the summary"
    assert "draft: true" in body and "/plog/hello-world-a-title/" in body, "the body says how to publish it, and where"

    site.build()
    assert not (site.out / "plog/hello-world-a-title").exists(), "a draft is not published"
    site.build("--drafts")
    page = site.html("plog/hello-world-a-title/index.html")
    assert page.select_one("article h1").get_text() == "Hello, “World”: a title"
    assert [a.get_text() for a in page.select("article .categories a")] == ["Web development"]

    again = site.run("new", "Hello, “World”: a title")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "untouched" not in again.stderr, "new never writes the output folder"


# text YAML would read as something else, or not at all, unless it is quoted and escaped
TRICKY_TITLES = [
    'He said "hi", then left',
    "A backslash \\ and a \\n that is not a line break",
    "It's: a #comment? {not: a map} [nor a list] & *alias !tag %directive | > @ `",
    "yes",
    "null",
    "2020-01-01",
    "- a list item",
    "Ünïcödé, 中文, emoji 🎉 with a zero-width\u200djoiner",
]


def test_titles_that_yaml_would_misread_come_out_as_written(site):
    for title in TRICKY_TITLES:
        result = site.run("new", title, "--publish")
        assert result.returncode == 0, result.stderr
    posts = sorted(site.content.iterdir())
    assert len(posts) == len(TRICKY_TITLES)
    for path in posts:
        meta, body = front_matter(path)
        assert "draft" not in meta and "draft: true" not in body
    site.build()
    shown = [
        site.html(f"{p.relative_to(site.out).as_posix()}").select_one("article h1").get_text()
        for p in sorted(site.out.glob("plog/*/index.html"))
    ]
    assert sorted(shown) == sorted(TRICKY_TITLES)


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Two\nlines", "a line break"),
        ("Carriage\rreturn", "a carriage return"),
        ("A\ttab", "a tab"),
        ("A bell\x07", "U+0007"),
        ("Next\x85line", "U+0085"),
        ("Line\u2028separator", "U+2028"),
    ],
)
def test_titles_front_matter_cannot_hold_are_refused(site, title, named):
    result = site.run("new", title)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the title" in result.stderr and named in result.stderr
    assert "untouched" not in result.stderr
    assert not list(site.content.iterdir()), "nothing was written"


def test_a_category_front_matter_cannot_hold_is_refused(site):
    result = site.run("new", "Fine title", "--category", "Bad\ncategory")
    assert result.returncode == 1 and "a category" in result.stderr and "a line break" in result.stderr
    assert not list(site.content.iterdir())
