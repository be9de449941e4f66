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
        ("C++ / C#", "C++-C"),
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


@pytest.mark.parametrize(("value", "text"), [("2024", "2024"), ("3.5", "3.5"), ("2020-01-01", "2020-01-01")])
def test_numbers_and_dates_are_fine_as_titles(value, text):
    parsed, problems = post(f"---\ntitle: {value}\ndate: 2020-01-01\n---\n")
    assert problems == [] and parsed.title == text
    parsed, problems = post(f"+++\ntitle = {value}\ndate = 2020-01-01\n+++\n")
    assert problems == [] and parsed.title == text


def test_wrongly_typed_fields_are_reported_with_the_rest():
    _, problems = post("---\ntitle: yes\ndate: 2023-02-30\nsummary: [a]\ncategories: [Python, ~]\n---\n")
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (2, "`title` must be text, not a true/false value (True)"),
        (4, "`summary` must be text, not a list (['a'])"),
        (3, "invalid date '2023-02-30': day is out of range for month"),
        (5, "`categories` holds an empty item (null)"),
    ]


def test_string_lists_refuse_null_and_nested_items():
    with pytest.raises(ValueError, match="empty item"):
        string_list(["a", None])
    with pytest.raises(ValueError, match="plain names"):
        string_list([["a", "b"]])


def test_every_duplicate_yaml_key_is_reported():
    text = "---\ntitle: T\ndate: 2020-01-01\nseries:\n  name: a\n  name: b\nTitle: U\n---\n"
    _, problems = post(text)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (6, "duplicate key `name` on lines 5 and 6"),
        (7, "duplicate key `Title` on lines 2 and 7"),
    ]


def test_yaml_merge_keys_are_not_duplicates():
    parsed, problems = post("---\ntitle: T\ndate: 2020-01-01\nbase: &b {x: 1}\nmore:\n  <<: *b\n  x: 2\n---\n")
    assert problems == [] and parsed.extra["more"] == {"x": 2}


def test_toml_keys_differing_in_case_are_one_field():
    _, problems = post('+++\ntitle = "T"\ndate = 2020-01-01\nTitle = "U"\n+++\n')
    assert [p.line for p in problems] == [4] and "are one field" in problems[0].message


def test_toml_error_at_the_end_points_at_the_last_line():
    _, problems = post('+++\ntitle = "T"\ndate = 2020-01-01\nsummary = """never closed\nmore\n+++\nbody\n')
    assert [p.line for p in problems] == [5]
    assert "unclosed bracket or quote" in problems[0].message


def test_jekyll_space_lists_only_in_yaml_plural_fields():
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\ncategories: jekyll  update\ntags: a, b c\n---\n")
    assert parsed.categories == ["jekyll", "update", "a", "b c"]
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\ncategory: Web development\n---\n")
    assert parsed.categories == ["Web development"]
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\nkeywords: full text\n---\n")
    assert parsed.keywords == ["full text"]


def test_bundle_and_draft_names():
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\n---\n", name="posts/my-trip/index.md")
    assert parsed.slug == "my-trip"
    parsed, _ = post("---\ntitle: T\n---\n", name="2020-03-04-trip/INDEX.markdown")
    assert parsed.slug == "trip" and parsed.date == dt.datetime(2020, 3, 4, tzinfo=PARIS)
    parsed, _ = post("---\ntitle: T\ndate: 2020-01-01\n---\n", name="index.md")
    assert parsed.slug == "index"  # a file at the top is not a bundle
    _, problems = post("---\ntitle: T\n---\n", name="_drafts/wip.md")
    assert "missing date" in problems[0].message  # no mtime given: nothing dates it
    parsed, _ = parse_post("_drafts/wip.md", b"---\ntitle: T\n---\n", "h", PARIS, "content/_drafts/wip.md", mtime=0)
    assert parsed.draft is True and parsed.date == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "url",
    ["example.com", "ftp://example.com", "https://ex.com:99999", "https://ex.com/blog", "https://ex .com", "https://"],
)
def test_base_url_must_be_a_site_root(url):
    from config.kiln import read

    with pytest.raises(ValueError, match="KILN_BASE_URL"):
        read({"KILN_BASE_URL": url})


def test_base_url_accepts_a_root_with_a_port():
    from config.kiln import read

    assert read({"KILN_BASE_URL": "http://127.0.0.1:8080/"}).BASE_URL == "http://127.0.0.1:8080"
