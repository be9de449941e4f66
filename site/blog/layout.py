"""Where posts are in the content folder: the content layout rules, shared by loading and publishing.

Any ``.md`` or ``.markdown`` file is a post, except Hugo's and Zola's section
files (``_index.md``) and the page resources of a leaf bundle (a folder
holding ``index.md``: that file is the bundle's post, any other Markdown file
in it is a resource). Hidden files and folders and ``name~`` backups are not
content at all, and a ``_drafts`` folder holds Jekyll's drafts.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from config.kiln import REPOSITORY_FILES

from . import scan

MARKDOWN = (".md", ".markdown", ".rst")  # post sources; reStructuredText is read as Pelican reads it
BUNDLE_INDEX = ("index.md", "index.markdown")
SECTION_INDEX = ("_index.md", "_index.markdown")  # Hugo/Zola section metadata, not a post
DRAFTS = "_drafts"
JEKYLL_POSTS = "_posts"
# what Jekyll reads but never publishes: Liquid partials and layouts, data, the site's configuration
ELEVENTY_TEMPLATES = (".njk", ".11ty.js", ".11ty.cjs", ".liquid")  # Eleventy's templates beside the Markdown
JEKYLL_PRIVATE = frozenset(("_includes", "_layouts", "_sass", "_data", "_config.yml"))


FRONT_MATTER_FENCES = (b"---", b"+++")


def visible_files(root: Path, ignore: Sequence[str] = (), found: Iterable[scan.Entry] | None = None) -> Iterator[Path]:
    """Every file under ``root`` but hidden ones (or in hidden folders), ``name~`` backups, Jekyll's
    private files (``_includes/``, ``_config.yml``...) and what ``ignore`` matches (see :func:`ignored`), sorted.

    Symbolic links to folders are not followed, and only regular files inside
    ``root`` are listed (see :mod:`blog.scan`, which says what it leaves out); ``found`` is
    ``scan.entries(root)`` when the caller walked the folder already.
    """
    for path in scan.readable_files(root, found):
        rel = scan.rel_path(root, path)
        if JEKYLL_PRIVATE.isdisjoint(rel.split("/")) and not (ignored(rel, ignore) and not spared(path, rel, ignore)):
            yield path


def spared(path: Path, rel: str, ignore: Sequence[str]) -> bool:
    """Whether a file that ``ignore`` leaves out is content all the same: a Markdown file that only the
    repository-file defaults match (``CONTRIBUTING.md``), and that opens with front matter."""
    if not is_markdown(rel) or ignored(rel, [pattern for pattern in ignore if pattern not in REPOSITORY_FILES]):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(FRONT_MATTER_FENCES)


def ignored(rel: str, patterns: Sequence[str]) -> bool:
    """Whether ``patterns`` (``KILN_IGNORE``) leave out the file at ``rel``, as ``.gitignore`` would.

    A pattern without ``/`` (``README*``) matches a file or folder name at any
    depth; one with ``/`` (``drafts/*.md``, ``vendor/bundle``) matches the path
    from the content folder, or a folder on it. Case does not matter (``readme.md``).
    """
    names, paths = _matchers(tuple(patterns))
    parts = rel.casefold().split("/")
    if names is not None and any(names.match(part) for part in parts):
        return True
    return paths is not None and any(paths.match("/".join(parts[:n])) for n in range(1, len(parts) + 1))


@functools.lru_cache(maxsize=64)
def _matchers(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """``patterns`` as two regular expressions, one for those matched against a name, one against a path:
    a file is matched once by each, not once by every pattern (each ``fnmatch`` pattern is one branch)."""
    folded = [pattern.casefold() for pattern in patterns]

    def joined(chosen: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(fnmatch.translate(pattern) for pattern in chosen)) if chosen else None

    return joined([p for p in folded if "/" not in p]), joined([p for p in folded if "/" in p])


def jekyll_site(root: Path) -> bool:
    """Whether the content folder is a Jekyll site: a ``_config.yml`` and a ``_posts/`` folder.

    Jekyll has no bundles: there, ``_docs/index.md`` is a page like the files beside it.
    """
    return (root / "_config.yml").is_file() and (root / JEKYLL_POSTS).is_dir()


# a Hugo project's configuration, beside its content folder (or a language's: content/en)
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json", "config/_default", "archetypes")  # fmt: skip


def hugo_site(root: Path) -> bool:
    """Whether the content folder ``root`` is a Hugo project's: its configuration (or its ``archetypes/``)
    in the folder itself or one of the two above it. A Kiln site's year folders are then not sections."""
    return any((folder / name).exists() for folder in (root, *root.parents[:2]) for name in HUGO_CONFIGS)


def eleventy_site(root: Path) -> bool:
    """Whether the content folder is an Eleventy site's input: Nunjucks or JavaScript templates at its top
    (``index.njk``, ``blog.11ty.js``), which a Hugo or Zola content folder never holds (their templates live
    beside it).

    Eleventy has no bundles either: ``docs/index.md`` is the page ``/docs/``, and the files beside it pages.
    """
    return any(path.name.endswith(ELEVENTY_TEMPLATES) and path.is_file() for path in root.iterdir())


JEKYLL_HTML = (".html", ".htm")


def jekyll_html_page(root: Path, rel: str) -> bool:
    """Whether the file at ``rel`` is a page Jekyll renders: an ``.html`` file that opens with front matter
    (``---``), outside ``_posts/`` and ``_drafts/``, in a Jekyll site (see :func:`jekyll_site`). Its body is
    Liquid, not Markdown, and the file itself is not published."""
    if not rel.lower().endswith(JEKYLL_HTML) or {JEKYLL_POSTS, DRAFTS} & set(rel.split("/")[:-1]):
        return False
    try:
        with (root / rel).open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---") and jekyll_site(root)


def bundles_in(root: Path, paths: Iterable[str]) -> set[str]:
    """The leaf bundles of the content folder ``root`` (none in a Jekyll or Eleventy site), given its files'
    ``paths``."""
    return set() if jekyll_site(root) or eleventy_site(root) else leaf_bundles(paths)


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN)


def in_drafts(rel: str) -> bool:
    """Whether the relative path ``rel`` lies in a folder named ``_drafts`` (Jekyll's drafts)."""
    return DRAFTS in rel.split("/")[:-1]


def bundle_folder(rel: str) -> str | None:
    """The folder of a leaf bundle's ``index.md`` (``posts/my-trip``), or None for other posts."""
    folder, _, name = rel.rpartition("/")
    return folder if folder and name.lower() in BUNDLE_INDEX else None


def leaf_bundles(paths: Iterable[str]) -> set[str]:
    """The leaf bundles among the relative ``paths``: folders holding an index file, not inside another bundle.

    In Hugo a leaf bundle holds no bundles: an ``index.md`` deeper inside one
    is a page resource of the outer bundle.
    """
    folders = {folder for rel in paths if (folder := bundle_folder(rel)) is not None}
    return {folder for folder in folders if not any(above in folders for above in ancestors(folder))}


def bundle_of(rel: str, bundles: set[str]) -> str | None:
    """The leaf bundle of ``bundles`` that holds ``rel`` (an index file's own folder), or None."""
    return next((folder for folder in ancestors(rel) if folder in bundles), None)


def is_post(rel: str, bundles: set[str]) -> bool:
    """Whether the Markdown file ``rel`` is a post, given the content's leaf ``bundles``.

    Not a section file (``_index.md``), and not a page resource: a Markdown
    file inside a leaf bundle other than its index file.
    """
    if rel.rpartition("/")[2].lower() in SECTION_INDEX:
        return False
    owner = bundle_of(rel, bundles)
    return owner is None or bundle_folder(rel) == owner


def ancestors(path: str) -> list[str]:
    """The folders above ``path``, nearest first: ``a/b/c.png`` -> ``a/b``, ``a``."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
