"""The snapshot of the published posts (blog.snapshot.published) holds what the ORM would load."""

from __future__ import annotations

import datetime as dt

import pytest

from blog import snapshot
from blog.models import Category, Post, Tag


def fields(post: Post) -> dict:
    """Every field the post loaded (not the deferred ones), and its categories and tags."""
    loaded = {f.attname: getattr(post, f.attname) for f in Post._meta.concrete_fields if f.attname in post.__dict__}
    return {**loaded, "categories": list(post.categories.all()), "tags": list(post.tags.all())}


@pytest.mark.django_db
def test_published_posts_equal_what_the_orm_loads():
    snapshot.forget()
    python = Category.objects.create(name="Python", slug="Python", key="python")
    web = Category.objects.create(name="Web", slug="Web", key="web")
    tag = Tag.objects.create(name="Django", slug="django")
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for n in range(6):
        post = Post.objects.create(
            source_path=f"p{n}.md",
            source_hash=str(n),
            slug=f"p{n}",
            title=f"Post {n}",
            date=start + dt.timedelta(days=n // 2),  # equal dates: ordered by slug
            updated=start + dt.timedelta(days=9) if n % 2 else None,
            utc_offset=60 if n == 1 else None,
            summary="A summary" if n == 2 else "",
            body_html="<p>Body</p>",
            markdown_key=str(n),
            word_count=n * 100,
            draft=n == 5,
            aliases=[f"/old/{n}/"] if n == 3 else [],
            links=["p0"] if n == 4 else [],
            extra={"image": "x.png"} if n == 0 else {},
            series="S" if n < 3 else "",
        )
        post.categories.set([python, web][: n % 3])
        post.tags.set([tag] if n % 2 else [])
    expected = list(Post.objects.listed())
    found = snapshot.published()
    assert [p.slug for p in found.posts] == ["p4", "p2", "p3", "p0", "p1"]  # newest first; no draft
    assert [fields(p) for p in found.posts] == [fields(p) for p in expected]
    assert [p.get_deferred_fields() for p in found.posts] == [p.get_deferred_fields() for p in expected]
    assert found.posts[0].body_html == "<p>Body</p>"  # a deferred field loads when read
    assert found.in_category == {"Python": [found.posts[0], found.posts[1], found.posts[4]], "Web": [found.posts[1]]}
    assert found.in_tag == {"django": [found.posts[2], found.posts[4]]}
    assert [p.slug for p in found.in_series["S"]] == ["p0", "p1", "p2"]
    post = found.posts[1]
    post.title = "Renamed"
    post.save(update_fields=["title"])  # a snapshot post is a saved row, as a loaded one is
    assert Post.objects.get(slug="p2").title == "Renamed"
