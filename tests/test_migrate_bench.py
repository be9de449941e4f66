"""bench/migrate.py counts every problem a build reports, however the report prints it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from core.errors import ContentError, Problem

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "migrate.py"


def migrate_script():
    spec = importlib.util.spec_from_file_location("migrate_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_error_of_a_long_report_is_counted_by_kind():
    problems = [Problem(f"content/p{n}.md", 3, f"broken relative link ./x{n}.md: no post x{n}.md") for n in range(14)]
    problems += [Problem("content/a.md", 1, "missing title; add `title: Your title`")]
    stderr = f"load in 1s\nerror: {ContentError(problems)}\nThe previous output, if any, was left untouched.\n"
    counted = migrate_script().kinds(stderr, 1)
    assert sum(counted.values()) == 15
    assert counted["error: missing title"] == 1


def test_a_short_report_without_a_tally_counts_lines_without_a_path_too():
    problems = [Problem("content/a.md", 2, "the text holds the control character '\\x0c'; remove it")]
    stderr = f"error: {ContentError(problems)}\n".replace("content/a.md:2: ", "")
    counted = migrate_script().kinds(stderr, 1)
    assert sum(counted.values()) == 1


def test_a_build_that_fails_without_a_problem_report_is_counted():
    counted = migrate_script().kinds("error: KILN_PERMALINK must hold {slug}\n", 1)
    assert counted == {"error: KILN_PERMALINK must hold {slug}": 1}
    assert migrate_script().kinds("done\n", 0) == {}
