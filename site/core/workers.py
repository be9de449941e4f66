"""Run a function over many items on every core, with forked processes.

Threads do not help under the GIL; forking after ``django.setup()`` gives each
worker the loaded apps, templates and settings for free. Database connections
are closed first so that no two processes share one socket or file handle.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connections

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    configured = settings.KILN.WORKERS
    return configured if configured > 0 else (os.cpu_count() or 1)


def parallel_map(func: Callable[[Sequence[T]], list[R]], items: Sequence[T], min_per_worker: int = 50) -> list[R]:
    """``func`` takes a slice of ``items`` and returns one result per item, in order.

    Small jobs run in this process: forking costs more than it saves.
    """
    workers = min(worker_count(), max(1, len(items) // min_per_worker))
    if workers <= 1:
        return func(items)
    # interleaved slices balance the work when costly items cluster together
    slices = [items[i::workers] for i in range(workers)]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(func, slices)
    results: list[R] = [None] * len(items)  # type: ignore[list-item]
    for offset, part in enumerate(parts):
        results[offset::workers] = part
    return results
