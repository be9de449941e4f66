"""Front matter and field parsing, file by file (no Django, no build)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from blog import frontmatter
from blog.content import parse_date, parse_post, string_list
from blog.models import category_url_form

PARIS = ZoneInfo("Europe/Paris")


def post(text: str, name: str = "post.md"):
    return parse_post(name, text.encode(), "hash", PARIS, f"content/{name}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-05-06", dt.datetime(2013, 5, 6, tzinfo=PARIS)),
        ("2013-05-06 02:12:52 +0200", dt.datetime(2013, 5, 6, 0, 12, 52, tzinfo=dt.UTC)),
        ("2013-05-06T02:12:52+02:00", dt.datetime(2013, 5, 6, 0, 12, 52, tzinfo=dt.UTC)),
        ("2013-05-06T02:12:52Z", dt.datetime(2013, 5, 6, 2, 12, 52, tzinfo=dt.UTC)),
        ("2013-05-06 02:12", dt.datetime(2013, 5, 6, 2, 12, tzinfo=PARIS)),
        ("2013-5-6", dt.datetime(2013, 5, 6, tzinfo=PARIS)),
        (dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, tzinfo=PARIS)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text, PARIS) == expected


@pytest.mark.parametrize("text", ["2023-02-30", "yesterday", "2020-13-01", "2020-01-01 25:00"])
def test_impossible_dates(text):
    with pytest.raises(ValueError):
        parse_date(text, PARIS)


def test_string_lists():
    assert string_list("Python, Django ,, Web  development") == ["Python", "Django", "Web development"]
    assert string_list(["a", 2]) == ["a", "2"]
    assert string_list(None) == []
    with pytest.raises(ValueError):
        string_list({"a": 1})


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Django", "Django"),
        ("Web development", "Web-development"),
        ("Café culture", "Café-culture"),
        ("C++ / C#", "C-C"),
        ("../etc", "etc"),
    ],  # fmt: skip
)
def test_category_url_form(name, form):
    assert category_url_form(name) == form


def test_yaml_dates_stay_text_so_that_we_parse_them():
    doc = frontmatter.parse("---\ntitle: x\ndate: 2013-05-06 02:12:52 +0200\n---\nbody")
    assert doc.meta["date"] == "2013-05-06 02:12:52 +0200"
    assert doc.body == "body" and doc.body_line == 5


def test_toml_front_matter_with_taxonomies():
    source = (
        '+++\ntitle = "T"\ndate = 2020-01-01T10:00:00Z\n[taxonomies]\ncategories = ["A"]\ntags = ["B"]\n+++\nbody\n'
    )
    parsed, problems = post(source)
    assert problems == []
    assert parsed.categories == ["A", "B"]
    assert parsed.date == dt.datetime(2020, 1, 1, 10, tzinfo=dt.UTC)


def test_slug_from_file_name_without_date_prefix():
    parsed, problems = post("---\ntitle: T\n---\nbody", name="2020-01-02-hello-there.md")
    assert problems == []
    assert parsed.slug == "hello-there"
    assert parsed.date == dt.datetime(2020, 1, 2, tzinfo=PARIS)


def test_categories_are_deduplicated_without_case():
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\ncategories: [Django, django]\ntags: Python\n---\n")
    assert parsed.categories == ["Django", "Python"]


def test_unknown_fields_are_kept():
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\nhero: img.png\nseries: {name: x, part: 2}\n---\n")
    assert parsed.extra == {"hero": "img.png", "series": {"name": "x", "part": 2}}


def test_every_problem_of_a_file_is_reported():
    _, problems = post("---\ntitle: ''\ndate: 2023-02-30\nslug: a/b\n---\n")
    assert [p.line for p in problems] == [2, 3, 4]


def test_jekyll_published_false_is_a_draft():
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\npublished: false\n---\n")
    assert parsed.draft is True
