"""Moved to ``core.errors``; this name stays so that code written before the move still imports.

Import from ``core.errors`` in new code (``blog`` must, see tests/test_layers.py).
"""

from core.errors import *  # noqa: F403
