"""The command-line entry point itself, apart from any one command."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from apidiff.cli import cli, main


@pytest.fixture
def thresholds_seen() -> Iterator[list[tuple[int, int, int]]]:
    """A throwaway command that records the collector's thresholds while it runs."""
    seen: list[tuple[int, int, int]] = []

    @cli.command("record-gc")
    def record() -> None:
        seen.append(gc.get_threshold())

    try:
        yield seen
    finally:
        del cli.commands["record-gc"]


def test_a_command_runs_with_fewer_garbage_collections(
    thresholds_seen: list[tuple[int, int, int]],
) -> None:
    before = gc.get_threshold()
    with pytest.raises(SystemExit) as exited:
        main(["record-gc"])
    assert exited.value.code == 0
    (during,) = thresholds_seen
    assert during[0] > before[0]


def test_the_collector_is_left_as_it_was_found(
    thresholds_seen: list[tuple[int, int, int]],
) -> None:
    before = gc.get_threshold()
    with pytest.raises(SystemExit):
        main(["record-gc"])
    with pytest.raises(SystemExit):
        main(["no-such-command"])
    assert gc.get_threshold() == before
