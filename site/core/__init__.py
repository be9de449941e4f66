"""Shared basics below both the blog and the build: errors, worker processes, file writing.

Nothing here imports ``blog``, ``search`` or ``kiln``.
"""
