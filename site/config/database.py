"""The database from ``DATABASE_URL``: SQLite in the cache folder by default, or PostgreSQL.

Only these two engines are supported (their drivers are pinned); any other
URL is refused by name before Django starts. PostgreSQL connects with a
timeout, so a host that accepts and never answers fails the build instead of
hanging it (``?connect_timeout=N`` in the URL changes it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

ENGINES = {"django.db.backends.sqlite3": "SQLite", "django.db.backends.postgresql": "PostgreSQL"}
CONNECT_TIMEOUT = 10  # seconds


def config(cache_dir: Path) -> dict[str, Any]:
    """Django's ``DATABASES["default"]``; a ValueError naming ``DATABASE_URL`` when it is not usable."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{cache_dir / 'kiln.sqlite3'}"
    try:
        found = dj_database_url.parse(url, conn_max_age=None)
    except ValueError:
        scheme = url.partition("://")[0] if "://" in url else url[:20]
        raise ValueError(
            f"DATABASE_URL: {scheme!r} is not a database this site can use; use sqlite:///path or "
            "postgres://user:password@host/dbname"
        ) from None
    if found["ENGINE"] not in ENGINES:
        raise ValueError(
            f"DATABASE_URL: the engine {found['ENGINE']} is not supported; use sqlite:///path or "
            "postgres://user:password@host/dbname"
        )
    options = found.setdefault("OPTIONS", {})
    if found["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the render workers read while nothing writes
        options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        options["transaction_mode"] = "IMMEDIATE"
    else:
        options.setdefault("connect_timeout", CONNECT_TIMEOUT)
    return found
