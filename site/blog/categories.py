"""Categories: which names are one category, what it is called, and which names are refused.

A category is identified by its URL form compared without case
(``models.category_key``), so ``django`` and ``Django`` are one category and
one folder even on a case-insensitive file system. Two names that would share
that folder without being the same name (``C#`` and ``C``, ``a/b`` and
``a-b``) are refused, naming both files, and so is a name with nothing left
for a URL (``/``, ``..``).

Each post keeps its categories as its front matter spells them
(``Post.category_names``). A category is shown with the spelling most of its
posts use, the first in sorted order on a tie, so the name (and the URL form
made from it) depends on the current content only, never on which file was
synced first. Drafts and future posts count too: the name does not change with
``--drafts`` or the clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.urls import reverse

from core.errors import Problem

from .models import Category, category_key, category_url_form

# the front matter lines that hold categories (YAML or TOML)
FIELD = re.compile(r"^\s*(?:categories|category|tags|taxonomies|\[taxonomies\])\s*(?:[:=]|$)", re.I)
FENCE = re.compile(r"^(?:---|\+\+\+)\s*$")
ITEM_EDGES = " \t-\"'"


def same_name(name: str) -> str:
    """Names that differ only by case (or Unicode normalisation) are one name."""
    return unicodedata.normalize("NFC", name).casefold()


def spellings(names: Iterable[str]) -> list[str]:
    """A post's categories as stored: NFC, each category once, in its first spelling."""
    seen: dict[str, str] = {}
    for name in names:
        text = unicodedata.normalize("NFC", name)
        seen.setdefault(same_name(text), text)
    return list(seen.values())


def chosen_name(counts: Counter[str]) -> str:
    """The spelling most posts use; on a tie, the first in sorted order."""
    return min(counts, key=lambda name: (-counts[name], name))


def name_line(text: str, name: str) -> int:
    """The line of the front matter ``text`` that lists the category ``name``, for messages.

    Else the line of the first category field, else the first line: always a
    line, so that the problems of one file sort by line.
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if FIELD.match(line)), None)
    if start is None:
        return 1
    for number in range(start, len(lines)):
        line = lines[number]
        if number > start and FENCE.match(line):
            break
        value = line.split(":", 1)[-1] if FIELD.match(line) else line
        if name in (item.strip(ITEM_EDGES) for item in re.split(r"[,\[\]=]", value)):
            return number + 1
    return start + 1


@dataclass
class Plan:
    """The categories that the posts about to be stored will have."""

    names: dict[str, str] = field(default_factory=dict)  # key -> the name shown
    problems: list[Problem] = field(default_factory=list)


def plan(posts: Mapping[str, Sequence[str]], source: Callable[[str], str], shown: Callable[[str], str]) -> Plan:
    """Name every category of ``posts`` (source path -> its stored spellings) and find the refused names.

    ``source`` reads a post's text (only for a problem's line), ``shown``
    turns its path into the path to show.
    """
    result = Plan()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    users: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # key -> name -> its first (path, spelling)
    for path in sorted(posts):
        for name in posts[path]:
            key = category_key(name)
            if not key:
                message = f"category name {name!r} has no characters usable in a URL; use letters or digits in it"
                result.problems.append(Problem(shown(path), name_line(source(path), name), message))
                continue
            counts[key][name] += 1
            users[key].setdefault(same_name(name), (path, name))
    for found in users.values():
        (first_path, first_name), *others = sorted(found.values())
        url = unquote(reverse("category", args=[category_url_form(first_name)]))
        for path, name in others:
            message = (
                f"categories {name!r} ({shown(path)}) and {first_name!r} ({shown(first_path)}) "
                f"would share {url}; rename one"
            )
            result.problems.append(Problem(shown(path), name_line(source(path), name), message))
    result.names = {key: chosen_name(spelled) for key, spelled in counts.items()}
    return result


def save(names: Mapping[str, str]) -> dict[str, int]:
    """Make the category table hold exactly ``names`` (key -> name shown); return key -> id.

    A category keeps its row (and id) while any post has it; its name and URL
    form follow the spellings of its posts.
    """
    existing = {category.key: category for category in Category.objects.all()}
    new, renamed = [], []
    for key, name in names.items():
        slug = category_url_form(name)
        category = existing.get(key)
        if category is None:
            new.append(Category(key=key, name=name, slug=slug))
        elif (category.name, category.slug) != (name, slug):
            category.name, category.slug = name, slug
            renamed.append(category)
    Category.objects.bulk_create(new, batch_size=500)
    Category.objects.bulk_update(renamed, ["name", "slug"], batch_size=500)
    gone = [category.id for key, category in existing.items() if key not in names]
    for start in range(0, len(gone), 500):
        Category.objects.filter(id__in=gone[start : start + 500]).delete()
    return dict(Category.objects.values_list("key", "id"))
