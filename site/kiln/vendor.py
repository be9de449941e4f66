"""Files of pinned npm packages that the site ships as they are (found like any static file).

Only the files listed here are collected, not the packages' whole folders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# name under STATIC_URL -> the file, relative to node_modules/
FILES = {"mermaid.min.js": "mermaid/dist/mermaid.min.js"}


def vendor_file(name: str) -> Path | None:
    relative = FILES.get(name)
    if relative is None:
        return None
    path = Path(settings.PROJECT_DIR) / "node_modules" / relative
    return path if path.is_file() else None


class NodeModulesFinder(BaseFinder):
    def check(self, **kwargs: object) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: object) -> str | list[str] | None:
        found = vendor_file(path)
        if find_all or kwargs.get("all"):
            return [str(found)] if found else []
        return str(found) if found else None

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for name in FILES:
            found = vendor_file(name)
            if found is not None and found.name == name:
                yield name, FileSystemStorage(location=str(found.parent))
