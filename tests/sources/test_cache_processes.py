"""The download cache shared by processes: one download per wheel, leftovers of killed ones.

Each test runs real processes (spawned, so nothing is shared but the cache folder and the
local index) against the index on loopback, and counts what the index was asked.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path

import pytest

from apidiff.errors import FetchError
from apidiff.sources import open_source
from apidiff.sources.cache import CacheBusyError, WheelCache
from apidiff.sources.pypi import FetchSettings, PackageIndex
from tests.sources.local_index import LocalIndex

WHEEL = "/files/botocore-1.20.41-py3-none-any.whl"
SPEC = "botocore==1.20.41"
# Spawning a process imports apidiff afresh: seconds on a busy machine, not minutes.
JOIN_SECONDS = 120
CONTEXT = multiprocessing.get_context("spawn")


def child_settings(url: str, cache_dir: str) -> FetchSettings:
    # The index answers the wheel only after a pause (the "slow" fault), so the patience
    # per request must outlast it.
    return FetchSettings(cache_dir=Path(cache_dir), index_url=url, timeout=10, retries=0)


def fetch_together(url: str, cache_dir: str, start: Barrier) -> None:
    settings = child_settings(url, cache_dir)
    start.wait()
    open_source(SPEC, PackageIndex(settings))


def die_while_downloading(url: str, cache_dir: str) -> None:
    def kill(_filename: str, _done: int, _total: int | None) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    open_source(SPEC, PackageIndex(child_settings(url, cache_dir), progress=kill))


def hold_a_download_open(cache_dir: str, writing: Event, finish: Event) -> None:
    """What a download going on looks like from outside: the lock held, a fresh .part."""
    cache = WheelCache(Path(cache_dir))
    with cache.locked(patience=10), cache.new_wheel() as (stream, _temporary):
        stream.write(b"the first bytes of a wheel")
        stream.flush()
        writing.set()
        finish.wait(JOIN_SECONDS)


def wheel_folder(cache_dir: Path) -> list[str]:
    return sorted(path.name for path in (cache_dir / "wheels").iterdir())


def test_two_processes_fetching_one_wheel_download_it_once(
    index: LocalIndex, cache_dir: Path
) -> None:
    # Each download takes a second, so without a lock the two would overlap.
    index.fail(WHEEL, "slow*")
    start = CONTEXT.Barrier(2)
    processes = [
        CONTEXT.Process(target=fetch_together, args=(index.url, str(cache_dir), start))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(JOIN_SECONDS)

    assert [process.exitcode for process in processes] == [0, 0]
    assert index.requests_for(WHEEL) == 1
    assert wheel_folder(cache_dir) == [f"{index.releases['botocore']['1.20.41'].sha256}.whl"]


def test_the_leftover_of_a_killed_download_is_removed_by_the_next(
    index: LocalIndex, settings: FetchSettings, cache_dir: Path
) -> None:
    killed = CONTEXT.Process(target=die_while_downloading, args=(index.url, str(cache_dir)))
    killed.start()
    killed.join(JOIN_SECONDS)
    assert killed.exitcode == -signal.SIGKILL
    (leftover,) = wheel_folder(cache_dir)
    assert leftover.endswith(".part")

    open_source(SPEC, PackageIndex(settings))

    assert wheel_folder(cache_dir) == [f"{index.releases['botocore']['1.20.41'].sha256}.whl"]


def test_a_clean_leaves_a_download_going_on_alone(cache_dir: Path) -> None:
    writing, finish = CONTEXT.Event(), CONTEXT.Event()
    download = CONTEXT.Process(target=hold_a_download_open, args=(str(cache_dir), writing, finish))
    download.start()
    try:
        assert writing.wait(JOIN_SECONDS)
        (part,) = wheel_folder(cache_dir)

        with pytest.raises(CacheBusyError, match="another apidiff process has held"):
            WheelCache(cache_dir).clean(None, patience=0.2)

        assert wheel_folder(cache_dir) == [part]
    finally:
        finish.set()
        download.join(JOIN_SECONDS)
    assert download.exitcode == 0


def test_a_download_waits_for_the_lock_only_so_long(
    index: LocalIndex, settings: FetchSettings, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("apidiff.sources.pypi._LOCK_PATIENCE", 0.2)
    writing, finish = CONTEXT.Event(), CONTEXT.Event()
    download = CONTEXT.Process(target=hold_a_download_open, args=(str(cache_dir), writing, finish))
    download.start()
    try:
        assert writing.wait(JOIN_SECONDS)
        with pytest.raises(FetchError) as raised:
            open_source(SPEC, PackageIndex(settings))
    finally:
        finish.set()
        download.join(JOIN_SECONDS)

    assert str(raised.value) == (
        f"{SPEC}: {cache_dir}: another apidiff process has held the cache's lock for 0.2 s"
        " (a download or a clean); try again when it is done"
    )
    assert index.requests_for(WHEEL) == 0
