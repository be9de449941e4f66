"""The README documents every setting, and its commands are the ones CI runs."""

from __future__ import annotations

import re

from config.kiln import SETTINGS
from conftest import PROJECT

README = (PROJECT / "README.md").read_text()


def settings_table() -> dict[str, str]:
    start = README.index("<!-- settings-table")
    end = README.index("<!-- end settings-table -->")
    rows = re.findall(r"^\| `(KILN_\w+)` \| (.*?) \|", README[start:end], re.M)
    return dict(rows)


def test_every_setting_is_documented_and_nothing_else():
    assert set(settings_table()) == {setting.env for setting in SETTINGS}


def test_documented_defaults_match():
    documented = settings_table()
    for setting in SETTINGS:
        if setting.name.endswith("_DIR"):
            continue  # shown relative to the project in the README
        shown = documented[setting.env].strip("`")
        expected = str(setting.default).lower() if isinstance(setting.default, bool) else str(setting.default)
        if isinstance(setting.default, tuple):  # a list setting is written as its environment variable is
            expected = ",".join(setting.default)
        assert shown == (expected or "empty"), setting.name


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    test_command = commands[1]
    ci = (PROJECT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == test_command
