"""`build.py --help` and each command's help: what a user can type, and nothing else."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PROJECT


def help_of(*command: str) -> str:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_help_lists_the_commands_and_no_internal_note():
    text = help_of()
    for command in ("build", "check", "serve", "new"):
        assert f"build.py {command}" in text or f"    {command} " in text, command
    assert "SiteError" not in text and "exit code" not in text


@pytest.mark.parametrize(
    ("command", "shown", "hidden"),
    [
        ("build", ["--out DIR", "--strict", "--drafts", "--base-url URL"], []),
        ("check", ["--out DIR", "--strict", "--drafts"], []),
        # serve always shows drafts, and publishes nothing that strictness could stop
        ("serve", ["--port", "--content DIR"], ["--strict", "--drafts"]),
        ("new", ["--publish", "--category", "--content DIR"], ["--cache", "--debug"]),
    ],
)
def test_each_command_shows_the_options_that_do_something(command, shown, hidden):
    text = help_of(command)
    assert text.startswith(f"usage: build.py {command}")
    for option in shown:
        assert option in text, option
    for option in hidden:
        assert option not in text, option
