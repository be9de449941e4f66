"""``core.workers.in_child``: a build stage run in a forked child, so that what it holds is freed when it ends.

The load, sync and search stages run this way (``kiln.build``); these tests
hold the function to what the build relies on: the result and a reported
error cross back whole, a bug keeps its traceback, and neither the child's
memory nor its module state stays in the parent.
"""

from __future__ import annotations

import os

import pytest

from core import workers
from core.errors import ContentError, Problem

STATE: list[str] = []


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_the_result_comes_back_and_the_child_runs_elsewhere() -> None:
    result = workers.in_child(lambda: (os.getpid(), {"posts": [1, 2, 3]}))
    assert result[1] == {"posts": [1, 2, 3]}
    assert result[0] != os.getpid()


def test_a_content_error_crosses_with_every_problem() -> None:
    problems = [Problem("content/a.md", 3, "the title is missing"), Problem("content/b.md", None, "bad date")]

    def fail() -> None:
        raise ContentError(problems)

    with pytest.raises(ContentError) as raised:
        workers.in_child(fail)
    assert raised.value.problems == ContentError(problems).problems
    assert str(raised.value) == str(ContentError(problems))


def test_a_bug_in_the_child_keeps_its_traceback() -> None:
    def divide_by_nothing() -> float:
        return 1 / 0

    with pytest.raises(workers.ChildFailed) as raised:
        workers.in_child(divide_by_nothing)
    assert "ZeroDivisionError" in str(raised.value)
    assert "divide_by_nothing" in str(raised.value)


def test_a_child_that_dies_is_an_error_not_a_result() -> None:
    with pytest.raises(workers.ChildFailed, match="without a result"):
        workers.in_child(lambda: os._exit(3))


def test_the_childs_module_state_and_memory_stay_in_the_child() -> None:
    before = resident_bytes()

    def hold_a_lot() -> int:
        STATE.append("set in the child")
        block = bytearray(200 * 1024 * 1024)  # 200 MiB, touched
        block[:: os.sysconf("SC_PAGE_SIZE")] = b"x" * len(block[:: os.sysconf("SC_PAGE_SIZE")])
        return resident_bytes()

    in_the_child = workers.in_child(hold_a_lot)
    assert in_the_child > before + 150 * 1024 * 1024
    assert resident_bytes() < before + 50 * 1024 * 1024
    assert STATE == []
