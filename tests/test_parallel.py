"""Work spread over processes gives what one process gives, in the same order."""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.errors import ApidiffError, ModelLoadError
from apidiff.parallel import can_fork, default_processes, ordered_map
from apidiff.report.serialize import report_to_json
from apidiff.sources import open_source
from tests.conftest import ModelFactory

needs_fork = pytest.mark.skipif(not can_fork(), reason="work runs in one process here")


def _pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def _fail_on_three(number: int) -> int:
    if number == 3:
        raise ModelLoadError("three.json", "three is not allowed")
    return number


@needs_fork
def test_results_come_in_the_order_of_the_items_from_other_processes() -> None:
    numbers = list(range(20))
    # Sizes make the last items run first: the order of the results must not follow them.
    results = list(ordered_map(_pid_and_square, numbers, processes=2, sizes=numbers))
    assert [square for _, square in results] == [number * number for number in numbers]
    assert os.getpid() not in {pid for pid, _ in results}


def test_one_process_runs_the_work_here() -> None:
    results = list(ordered_map(_pid_and_square, [1, 2, 3], processes=1))
    assert results == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]


@needs_fork
def test_an_error_in_a_child_reaches_the_caller_whole() -> None:
    with pytest.raises(ModelLoadError) as raised:
        list(ordered_map(_fail_on_three, list(range(6)), processes=2))
    assert (raised.value.where, raised.value.reason) == ("three.json", "three is not allowed")
    assert str(raised.value) == "three.json: three is not allowed"


def _even(number: int) -> bool:
    return number % 2 == 0


@pytest.mark.parametrize("processes", [1, 2])
def test_items_not_needed_are_never_worked_on_and_yield_none(processes: int) -> None:
    numbers = list(range(12))
    asked: list[int] = []

    def needed(number: int) -> bool:
        asked.append(number)
        return _even(number)

    results = list(
        ordered_map(_pid_and_square, numbers, processes=processes, sizes=numbers, needed=needed)
    )

    assert [None if result is None else result[1] for result in results] == [
        number * number if _even(number) else None for number in numbers
    ]
    assert sorted(asked) == numbers  # Each asked once, here.


@needs_fork
@pytest.mark.parametrize(("fork_from", "forked"), [(0, True), (30, True), (31, False)])
def test_children_are_forked_only_once_the_needed_work_adds_up_to_enough(
    fork_from: int, forked: bool
) -> None:
    numbers = list(range(12))  # The even ones, needed, add up to 30.

    results = list(
        ordered_map(
            _pid_and_square,
            numbers,
            processes=2,
            sizes=numbers,
            needed=_even,
            fork_from=fork_from,
        )
    )

    pids = {result[0] for result in results if result is not None}
    assert (os.getpid() not in pids) is forked
    assert [result[1] for result in results if result is not None] == [
        number * number for number in numbers if _even(number)
    ]


@needs_fork
def test_an_error_telling_what_is_needed_reaches_the_caller() -> None:
    def needed(number: int) -> bool:
        if number == 3:
            raise ModelLoadError("three.json", "three cannot be told")
        return True

    with pytest.raises(ModelLoadError, match="three cannot be told"):
        # The largest first: 9 to 4 are handed to the children before 3 is asked about.
        list(
            ordered_map(
                _pid_and_square, list(range(10)), processes=2, sizes=list(range(10)), needed=needed
            )
        )


@needs_fork
def test_one_needed_item_is_worked_on_here_however_large() -> None:
    results = list(
        ordered_map(_pid_and_square, [1, 2, 3], processes=2, needed=lambda number: number == 2)
    )

    assert results == [None, (os.getpid(), 4), None]


@needs_fork
def test_no_more_children_are_forked_than_there_are_needed_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pools: list[int] = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **options: Any) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    numbers = list(range(12))

    results = list(
        ordered_map(
            _pid_and_square, numbers, processes=8, needed=lambda number: number in (3, 7, 11)
        )
    )

    assert pools == [3]
    assert [result[1] for result in results if result is not None] == [9, 49, 121]


@needs_fork
@pytest.mark.parametrize("ending", ["done", "stopped early", "error in needed", "never forked"])
def test_no_object_stays_frozen_out_of_collections_however_the_work_ends(ending: str) -> None:
    def needed(number: int) -> bool:
        if ending == "error in needed" and number == 0:
            raise ModelLoadError("zero.json", "zero cannot be told")
        return ending != "never forked" or number == 5

    results = ordered_map(
        _pid_and_square, list(range(6)), processes=2, sizes=list(range(6)), needed=needed
    )
    if ending == "stopped early":
        next(results)
        results.close()
    else:
        with contextlib.suppress(ModelLoadError):
            list(results)

    assert gc.get_freeze_count() == 0


def test_apidiff_jobs_sets_the_default_and_nonsense_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APIDIFF_JOBS", "3")
    assert default_processes() == 3
    for nonsense in ("0", "-2", "many", ""):
        monkeypatch.setenv("APIDIFF_JOBS", nonsense)
        assert default_processes() >= 1


@needs_fork
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("bundled:botocore-1.20.72", "bundled:botocore-1.20.73"),
        ("bundled:botocore-1.35.71", "bundled:botocore-1.35.72"),
        ("bundled:botocore-1.44.7", "bundled:botocore-1.44.8"),
    ],
)
def test_a_report_made_in_several_processes_is_the_one_made_in_one(old: str, new: str) -> None:
    def report_json(processes: int) -> dict[str, Any]:
        options = CompareOptions(with_docs=True, processes=processes)
        return report_to_json(compare_sources(open_source(old), open_source(new), options))

    assert report_json(2) == report_json(1)


@needs_fork
def test_a_bad_model_compared_in_a_child_is_one_clear_error(
    tmp_path: Path, make_model: ModelFactory
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for root in (old, new):
        for service in ("alpha", "beta", "gamma"):
            folder = root / service / "2020-01-01"
            folder.mkdir(parents=True)
            document = make_model({}, name=service).document
            (folder / "service-2.json").write_text(
                json.dumps({**document, "documentation": f"<p>{root.name}</p>"})
            )
    broken = new / "beta" / "2020-01-01" / "service-2.json"
    broken.write_text('{"metadata": ')
    with pytest.raises(ApidiffError) as raised:
        compare_sources(open_source(str(old)), open_source(str(new)), CompareOptions(processes=2))
    assert raised.value.where == str(broken)


# A parent that hands out work which never ends, says its children's pids, then waits.
_STUCK_PARENT = """
import os, sys, time
from apidiff.parallel import ordered_map

def stuck(number):
    print(os.getpid(), flush=True)
    time.sleep(600)

list(ordered_map(stuck, [1, 2], processes=2))
"""


def _gone(pid: int) -> bool:
    """Whether a process has ended (a zombie waiting for a reaper has ended too)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@needs_fork
def test_children_end_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _STUCK_PARENT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert parent.stdout is not None and parent.stderr is not None
    said = [parent.stdout.readline() for _ in range(2)]
    if not all(line.strip().isdigit() for line in said):
        parent.kill()
        pytest.fail(f"the parent said {said!r}; its errors: {parent.communicate()[1]}")
    children = [int(line) for line in said]
    assert not any(_gone(child) for child in children)

    parent.kill()  # SIGKILL: no chance to stop its children itself
    parent.wait()

    deadline = time.monotonic() + 30  # a liveness bound, not a measurement
    while not all(_gone(child) for child in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [child for child in children if not _gone(child)]
    for child in left:
        os.kill(child, signal.SIGKILL)
    assert not left
