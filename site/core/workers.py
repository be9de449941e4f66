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

SLICES_PER_WORKER = 16  # when the caller follows progress


def worker_count() -> int:
    configured = settings.KILN.WORKERS
    return configured if configured > 0 else (os.cpu_count() or 1)


def parallel_map(
    func: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    min_per_worker: int = 50,
    done: Callable[[int], None] | None = None,
) -> list[R]:
    """``func`` takes a slice of ``items`` and returns one result per item, in order.

    Small jobs run in this process: forking costs more than it saves.
    ``done(n)``, when given, is told as each slice of ``n`` items is done
    (the slices are smaller then, so that it hears often).
    """
    workers = min(worker_count(), max(1, len(items) // min_per_worker))
    count = workers if done is None else max(1, min(len(items), workers * SLICES_PER_WORKER))
    # interleaved slices balance the work when costly items cluster together
    slices = [items[i::count] for i in range(count)]
    if workers <= 1:
        parts = []
        for part in map(func, slices):
            parts.append(part)
            if done is not None:
                done(len(part))
    else:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = []
            for part in pool.imap(func, slices):
                parts.append(part)
                if done is not None:
                    done(len(part))
    results: list[R] = [None] * len(items)  # type: ignore[list-item]
    for offset, part in enumerate(parts):
        results[offset::count] = part
    return results
