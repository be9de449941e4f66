"""Where the shared benchmark corpus script is: ``shared/bench/make_corpus.py`` beside the project or above it."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def make_corpus_script() -> Path:
    """shared/bench/make_corpus.py, beside the project or one of its parent folders (a worktree's too)."""
    for folder in PROJECT.parents:
        candidate = folder / "shared" / "bench" / "make_corpus.py"
        if candidate.is_file():
            return candidate
    sys.exit("shared/bench/make_corpus.py not found beside the project or above it")
