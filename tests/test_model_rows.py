"""``blog.models.rows``: ``values_list`` with the JSON fields parsed by ``json.loads`` (Django's converter is slow).

The sync stage and the page registry read every post's row this way on every
build, so it must give exactly what ``values_list`` gives.
"""

from __future__ import annotations

import datetime as dt

import pytest

from blog.models import Post, rows

JSON_VALUES = [
    ([], {}, [], ["Django"]),
    (["other-post", "ünïcode-slug"], {"hero": {"src": "a.png", "sizes": [1, 2.5]}, "draft": None}, ["/old/"], []),
    (["x"], {"quote": 'he said "hi"\n', "emoji": "☕"}, [], ["C#", "Café culture"]),
]


@pytest.mark.django_db
def test_rows_are_values_list_with_json_parsed():
    for number, (links, extra, aliases, names) in enumerate(JSON_VALUES):
        Post.objects.create(
            source_path=f"p{number}.md",
            slug=f"p{number}",
            title=f"Post {number}",
            date=dt.datetime(2020, 1, number + 1, tzinfo=dt.UTC),
            body_html="",
            markdown_key="",
            links=links,
            extra=extra,
            aliases=aliases,
            category_names=names,
        )
    columns = ("source_path", "links", "date", "extra", "aliases", "category_names", "slug")
    queryset = Post.objects.order_by("slug")
    assert rows(queryset, *columns) == list(queryset.values_list(*columns))
    assert rows(queryset, "slug", "date") == list(queryset.values_list("slug", "date"))
    assert rows(queryset, "extra")[1] == (JSON_VALUES[1][1],)
