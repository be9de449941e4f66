"""Moved to ``core.workers``; this name stays so that code written before the move still imports.

Import from ``core.workers`` in new code (``blog`` must, see tests/test_layers.py).
"""

from core.workers import *  # noqa: F403
