"""What a long build shows while it runs: a progress bar per stage on a terminal, plain lines elsewhere.

On a terminal (standard error, where the build's messages go) each stage
with many items (the pages of the render stage) draws a tqdm bar that it
replaces by one line when done; in a log (CI, Netlify) each stage prints
one plain line when done, with its count and time, so logs stay readable.
``--quiet`` (``KILN_QUIET``) shows none of it; warnings and errors still
print.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Stage:
    """One running stage: ``advance(n)`` as its items get done."""

    def __init__(self, name: str, total: int | None, stream: TextIO | None, bar: bool) -> None:
        self.name, self.total, self.stream, self.done = name, total, stream, 0
        self.started = time.perf_counter()
        self.seconds = 0.0
        self.bar = None
        if stream is not None and bar and total:
            from tqdm import tqdm  # only a terminal pays for it

            self.bar = tqdm(total=total, desc=f"{name:<8}", unit="page", file=stream, leave=False, dynamic_ncols=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        self.seconds = seconds = time.perf_counter() - self.started
        if self.bar is not None:
            self.bar.close()
        if self.stream is not None:
            counted = f" {self.done} of {self.total}" if self.total else ""
            self.stream.write(f"{self.name:<8}{counted} in {seconds:.2f}s\n")
            self.stream.flush()


class Progress:
    """Where the stages report; ``Progress(quiet=True)`` reports nothing."""

    def __init__(self, quiet: bool | None = None, stream: TextIO | None = None) -> None:
        quiet = os.environ.get("KILN_QUIET") == "1" if quiet is None else quiet
        self.stream = None if quiet else (stream or sys.stderr)
        self.bars = self.stream is not None and self.stream.isatty()
        self.current: Stage | None = None

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        """A stage of ``total`` items (a bar on a terminal), timed."""
        current = Stage(name, total, self.stream, self.bars)
        self.current = current
        try:
            yield current
        finally:
            self.current = None
            current.close()

    def advance(self, count: int = 1) -> None:
        """Count items done in the stage now running, if any."""
        if self.current is not None:
            self.current.advance(count)


SILENT = Progress(quiet=True)
