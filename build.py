#!/usr/bin/env python3
"""Kiln: build a Markdown blog into a static site with Django.

    python build.py                 build content/ into out/
    python build.py serve           preview with live reload (drafts shown)
    python build.py new "A title"   start a new post
    python build.py check           validate content and links, write nothing

Run ``python build.py COMMAND --help`` for the options of each command.
This is the only place that turns a SiteError into a message and exit code 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
SITE_DIR = PROJECT_DIR / "site"
COMMANDS = ("build", "serve", "new", "check")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, help="folder of Markdown posts (default: content/)")
        p.add_argument("--cache", type=Path, help="folder of the database and caches (default: .kiln-cache/)")
        p.add_argument("--drafts", action="store_true", help="publish drafts too")
        p.add_argument("--future", action="store_true", help="publish posts dated in the future")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--debug", action="store_true", help="show tracebacks and stage timings")
        p.add_argument("--base-url", help="absolute URL of the deployed site (setting KILN_BASE_URL)")

    for name, help_text in (
        ("build", "build the site into out/ (the default)"),
        ("check", "validate content and links without writing out/"),
    ):
        p = sub.add_parser(name, help=help_text)
        common(p)
        p.add_argument("--out", type=Path, help="output folder (default: out/)")
        p.add_argument("--clean", action="store_true", help="ignore every cache and build from nothing")
    p = sub.add_parser("serve", help="preview the site with live reload")
    common(p)
    p.add_argument("--port", default="8000", help="port, or address:port (default: 8000)")
    p = sub.add_parser("new", help="write a new post with valid front matter")
    p.add_argument("title")
    p.add_argument("--category", action="append", default=[], help="a category (repeatable)")
    p.add_argument("--content", type=Path, help="folder of Markdown posts (default: content/)")
    p.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--draft", action="store_true", help="mark the post as a draft")
    p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> None:
    """Turn options into KILN_* settings, then start Django."""
    sys.path.insert(0, str(SITE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config import kiln

    os.environ.update(kiln.option_environment(vars(args)))
    if args.command == "serve":
        os.environ["KILN_SERVE"] = "1"
        os.environ["KILN_DRAFTS"] = "1"
    if args.debug:
        os.environ.setdefault("KILN_LOG_LEVEL", "DEBUG")

    import django

    django.setup()


def run(args: argparse.Namespace) -> int:
    from django.conf import settings

    from kiln import commands

    content = settings.KILN.CONTENT_DIR
    if args.command == "new":
        commands.new_post(content, args.title, args.category, args.draft)
    elif args.command == "serve":
        commands.serve(content, args.port)
    else:
        commands.build_site(clean=args.clean, write=args.command == "build")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        configure(args)
        from core.errors import SiteError
    except ValueError as exc:  # a KILN_* variable that does not parse
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        return run(args)
    except SiteError as exc:
        if args.debug:
            logging.getLogger("kiln").exception("build failed")
        print(f"error: {exc}", file=sys.stderr)
        print("The previous output, if any, was left untouched.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
