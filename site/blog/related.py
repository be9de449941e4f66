"""Related posts: the published posts that share the most keywords and categories.

``score(P, Q) = 3 × shared keywords + 1 × shared categories``, so one shared
keyword outweighs two shared categories; equal scores list the newer post
first (then by slug), and a post never lists itself. Posts that share
nothing are never listed.

Computed for every post at once from an inverted index: each keyword and
category maps to its posts, newest first, and a post's candidates are
counted over the lists of its own keywords and categories only, so two posts
with nothing in common are never compared.

The whole map is memoized with django-cache-memoize in the ``memoize`` cache
(a file cache in the cache folder, so it outlives a build) under the hash of
everything it depends on: every published post's slug in date order with its
keyword names and category keys, the weights and the number of posts shown.
That key is exact: any change that could change any list changes it, and
nothing else does (editing a post's text or title leaves it alone; the
titles shown are read fresh, and post fingerprints include them).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from cache_memoize import cache_memoize
from django.conf import settings

from . import snapshot
from .models import Post

KEYWORD_WEIGHT = 3
CATEGORY_WEIGHT = 1
VERSION = 1  # bump when the scoring changes

RelatedMap = dict[str, tuple[str, ...]]

log = logging.getLogger("kiln")


@dataclass(frozen=True)
class Graph:
    """Published posts, newest first, and the keywords and categories of each."""

    slugs: Sequence[str]
    features: Sequence[Sequence[tuple[int, str]]]  # per post: (weight, "k:name" or "c:key")
    key: str  # a hash of all of the above


def graph() -> Graph:
    """Read the published posts and their keywords and categories: three queries."""
    posts = list(Post.objects.published().order_by("-date", "slug").values_list("id", "slug"))
    index = {post_id: i for i, (post_id, _slug) in enumerate(posts)}
    features: list[list[tuple[int, str]]] = [[] for _ in posts]
    keywords = Post.keywords.through.objects.values_list("post_id", "keyword__name")
    categories = Post.categories.through.objects.values_list("post_id", "category__key")
    rows = chain(((KEYWORD_WEIGHT, "k:", *r) for r in keywords), ((CATEGORY_WEIGHT, "c:", *r) for r in categories))
    for weight, kind, post_id, name in rows:
        if post_id in index:  # drafts and future posts relate to nothing
            features[index[post_id]].append((weight, kind + name))
    digest = hashlib.sha256(f"related v{VERSION} {KEYWORD_WEIGHT} {CATEGORY_WEIGHT}".encode())
    for (_id, slug), own in zip(posts, features, strict=True):
        own.sort()
        digest.update(repr((slug, own)).encode())
    return Graph([slug for _id, slug in posts], features, digest.hexdigest())


@cache_memoize(None, cache_alias="memoize", prefix="related", args_rewrite=lambda g, count: (g.key, count))
def compute(g: Graph, count: int) -> RelatedMap:
    """slug -> slugs of its ``count`` most related posts, best first."""
    log.debug("related: scoring %d posts (not in the memo)", len(g.slugs))
    if count <= 0:
        return {slug: () for slug in g.slugs}
    postings: dict[str, list[int]] = {}
    for i, own in enumerate(g.features):  # posts in date order, so every list is newest first
        for _weight, feature in own:
            postings.setdefault(feature, []).append(i)
    related: RelatedMap = {}
    for i, own in enumerate(g.features):
        # a keyword's list counted three times weighs it three times; Counter counts in C
        lists = [postings[feature] for weight, feature in own for _ in range(weight)]
        scores = Counter(chain.from_iterable(lists))
        scores.pop(i, None)
        if len(scores) > count:
            floor = heapq.nlargest(count, scores.values())[-1]
            scores = {j: n for j, n in scores.items() if n >= floor}
        # best score first, then the newer post (a smaller index)
        best = sorted((-n, j) for j, n in scores.items())[:count]
        related[g.slugs[i]] = tuple(g.slugs[j] for _n, j in best)
    return related


def related_map() -> RelatedMap:
    """Every published post's related slugs, from the memo while the posts stay the same."""
    return snapshot.memo("related", lambda: compute(graph(), settings.KILN.RELATED_POSTS))


def for_post(post: Post) -> list[Post]:
    """The related posts of ``post``, best first, with what a list of links shows."""
    posts, position = snapshot.published_posts()
    return [posts[position[slug]] for slug in related_map().get(post.slug, ())]
