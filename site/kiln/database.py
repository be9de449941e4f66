"""Connect to the database before the build uses it, so that one that cannot be reached is a clear message.

The engines and the connect timeout are set in ``config.database``; here the
connection is opened once, and any failure names ``DATABASE_URL``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import Error, connection

from core.errors import ConfigError


def describe(database: dict[str, Any]) -> str:
    """The database as a message names it, without its password."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"the SQLite database {database['NAME']}"
    return f"the PostgreSQL database {database['NAME']} at {database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"


def connect() -> None:
    """Open the connection now; a ConfigError naming ``DATABASE_URL`` when it cannot be opened."""
    try:
        connection.ensure_connection()
    except Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        where = describe(settings.DATABASES["default"])
        raise ConfigError(
            f"DATABASE_URL: cannot connect to {where}: {reason}; check the setting (without it, Kiln uses SQLite "
            "in the cache folder)"
        ) from exc
