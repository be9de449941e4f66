"""The archive: published posts grouped by year and month, newest first, with counts.

Posts are grouped by the day their dates are shown on: in the offset they were
written in (``Post.local_date``), else in ``KILN_TIME_ZONE``, so a post dated
31 December 23:30 UTC is in January in Paris.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.utils import timezone

from .models import Post


@dataclass
class Month:
    first_day: dt.date
    posts: list[Post] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.posts)


@dataclass
class Year:
    year: int
    months: list[Month] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(month.count for month in self.months)


def shown_day(post: Post) -> dt.date:
    moment = post.local_date
    return moment.date() if moment is not post.date else timezone.localtime(moment).date()


def years(posts: Iterable[Post]) -> list[Year]:
    """``posts`` (newest first) as years, each with its months, newest first."""
    # newest first by the day shown (a stable sort: same-day posts keep their order)
    local = sorted(((shown_day(post), post) for post in posts), key=lambda pair: pair[0], reverse=True)
    result = []
    for year, in_year in groupby(local, key=lambda pair: pair[0].year):
        months = [
            Month(dt.date(year, month, 1), [post for _day, post in in_month])
            for month, in_month in groupby(in_year, key=lambda pair: pair[0].month)
        ]
        result.append(Year(year, months))
    return result
