"""Moved to ``core.files``; this name stays so that code written before the move still imports.

Import from ``core.files`` in new code (``blog`` must, see tests/test_layers.py).
"""

from core.files import *  # noqa: F403
