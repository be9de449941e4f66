"""Run a function over many items on every core, or a whole stage in a child, with forked processes.

Threads do not help under the GIL; forking after ``django.setup()`` gives each
worker the loaded apps, templates and settings for free. Database connections
are closed first so that no two processes share one socket or file handle.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connections

from .errors import SiteError

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


class ChildFailed(Exception):
    """A child process (:func:`in_child`) failed by a bug (its message: the child's traceback), or died."""


def in_child(func: Callable[[], R]) -> R:
    """``func()``, run in a forked child process; its result (or the exception it raised) comes back pickled.

    What the child's memory grows by is freed when it exits, so a stage that
    holds the whole content for a moment (the sync stage) does not raise
    the build's own peak for the stages after it. The child may fork
    workers of its own (:func:`parallel_map`), which a pool's daemonic
    worker could not. Only its return value (or exception) reaches the
    parent: module state it set does not, so ``func`` returns what the
    parent needs.
    """
    connections.close_all()  # the child opens its own
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        os.close(reading)
        code = 0
        try:
            try:
                outcome = pickle.dumps(("ok", func()), pickle.HIGHEST_PROTOCOL)
            except (SiteError, KeyboardInterrupt) as error:  # what the parent reports (or stops on) as its own
                outcome = pickle.dumps(("raised", error), pickle.HIGHEST_PROTOCOL)
            except BaseException:  # a bug: its traceback, which the parent shows
                outcome = pickle.dumps(("failed", traceback.format_exc()), pickle.HIGHEST_PROTOCOL)
            connections.close_all()
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(outcome)
        except BaseException:  # (nothing may escape into the caller's code)
            code = 1
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        received = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not received:
        raise ChildFailed(f"a build process ended without a result (wait status {status})")
    kind, value = pickle.loads(received)
    if kind == "ok":
        return value
    if kind == "raised":
        raise value
    raise ChildFailed(value)
