#!/usr/bin/env python3
"""Kiln: build a Markdown blog into a static site with Django.

    python build.py                 build content/ into out/
    python build.py serve           preview with live reload (drafts shown)
    python build.py new "A title"   start a draft post
    python build.py check           validate content and links, write nothing

Run `python build.py COMMAND --help` for the options of each command.
"""

# This is the only place that turns a SiteError into a message and exit code 1.

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiln import quick

PROJECT_DIR = Path(__file__).resolve().parent
SITE_DIR = PROJECT_DIR / "site"
COMMANDS = ("build", "serve", "new", "check")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser, serve: bool = False) -> None:
        p.add_argument("--content", type=Path, metavar="DIR", help="folder of Markdown posts (default: content/)")
        p.add_argument(
            "--cache", type=Path, metavar="DIR", help="folder of the database and caches (default: .kiln-cache/)"
        )
        # serve always shows drafts, and publishes nothing that strictness could stop
        p.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS if serve else "publish drafts too")
        p.add_argument("--future", action="store_true", help="publish posts dated in the future")
        if not serve:
            p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--debug", action="store_true", help="show tracebacks and stage timings")
        p.add_argument("--base-url", metavar="URL", help="absolute URL of the deployed site (setting KILN_BASE_URL)")

    for name, help_text in (
        ("build", "build the site into out/ (the default)"),
        ("check", "validate content and links without writing out/"),
    ):
        p = sub.add_parser(name, help=help_text)
        common(p)
        p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: out/)")
        p.add_argument("--clean", action="store_true", help="ignore every cache and build from nothing")
        p.add_argument("--quiet", action="store_true", help="show no progress and no summary, only warnings and errors")
    p = sub.add_parser("serve", help="preview the site with live reload (drafts shown)")
    common(p, serve=True)
    p.add_argument("--port", default="8000", help="port, or address:port (default: 8000)")
    p = sub.add_parser("new", help="start a draft post, dated now")
    p.add_argument("title")
    p.add_argument("--category", action="append", default=[], help="a category (repeatable)")
    p.add_argument("--content", type=Path, metavar="DIR", help="folder of Markdown posts (default: content/)")
    p.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    state = p.add_mutually_exclusive_group()
    state.add_argument("--publish", action="store_false", dest="draft", help="publish the post (no draft: true)")
    state.add_argument("--draft", action="store_true", default=True, help="write a draft (the default)")
    p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> None:
    """Turn options into KILN_* settings."""
    sys.path.insert(0, str(SITE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config import kiln

    os.environ.update(kiln.option_environment(vars(args)))
    if args.command == "serve":
        os.environ["KILN_SERVE"] = "1"
        os.environ["KILN_DRAFTS"] = "1"
    if args.debug:
        os.environ.setdefault("KILN_LOG_LEVEL", "DEBUG")


def nothing_to_do(args: argparse.Namespace) -> tuple[bool, quick.Inputs | None]:
    """For a build: whether its inputs are those of the last build (then it said so), and what they are.

    Runs before Django starts (see ``kiln.quick``): a rebuild with nothing
    changed costs a walk over the inputs' ``stat``, not Django's set-up. A
    ``--clean`` or ``--debug`` build never takes the shortcut, but leaves a
    stamp for the next build like any other.
    """
    if args.command != "build":
        return False, None
    from config import kiln
    from core.errors import display_path
    from kiln import quick

    started = time.perf_counter()
    settings = kiln.read()
    # --debug wants every stage's timing
    reported, inputs = quick.look(settings, PROJECT_DIR, shortcut=not (args.clean or args.debug))
    if reported is None:
        return False, inputs
    seconds = time.perf_counter() - started
    if not settings.QUIET:
        print(
            f"Built {reported.pages} pages from {reported.posts} posts into {display_path(settings.OUT_DIR)} in "
            f"{seconds:.2f}s (0 rendered, 0 files changed, {reported.pages} unchanged pages reused).",
            file=sys.stderr,
        )
    return True, None


def run(args: argparse.Namespace, inputs: quick.Inputs | None) -> int:
    from django.conf import settings

    from kiln import commands

    content = settings.KILN.CONTENT_DIR
    if args.command == "new":
        commands.new_post(content, args.title, args.category, args.draft)
    elif args.command == "serve":
        commands.serve(content, args.port)
    else:
        commands.build_site(clean=args.clean, write=args.command == "build", inputs=inputs)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        configure(args)
        done, inputs = nothing_to_do(args)
        if done:
            return 0
        import django

        django.setup()
        from core.errors import SiteError
    except (ValueError, OSError) as exc:  # a KILN_* variable that does not parse, a cache folder not made
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        return run(args, inputs)
    except SiteError as exc:
        if args.debug:
            logging.getLogger("kiln").exception("%s failed", args.command)
        print(f"error: {exc}", file=sys.stderr)
        if args.command == "build":  # `check` and `new` never write the output folder
            print("The previous output, if any, was left untouched.", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a folder that cannot be written: the file and the reason
        if args.debug:
            logging.getLogger("kiln").exception("build failed")
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        print("The previous output, if any, was left untouched.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
