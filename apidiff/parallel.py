"""Independent pieces of work on several cores, results in the order of the work.

Comparing the services of a release is that kind of work: one service's models never touch
another's. Parsing them is most of the cost (a botocore release changes tens of megabytes of
JSON), and Python parses on one core, so the work is spread over forked processes. Forked,
not spawned: a child starts with everything the parent has loaded (the modules, the sources'
bytes), so only an index goes to it and only the result comes back.

Where forking is unavailable or unsafe (not Linux), or the work is too small to pay for a
process, the same function runs the work in this process; the results are the same either way.

A child ends with its parent: killed (SIGKILL, the out-of-memory killer), a parent cannot
tell its children to stop, and they would go on comparing a release for no one. The kernel
sends each child SIGKILL when the parent goes (prctl's PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from apidiff.errors import ApidiffError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

Item = TypeVar("Item")
Result = TypeVar("Result")

JOBS_VARIABLE = "APIDIFF_JOBS"

# What a forked child runs. Set just before the pool starts: the children inherit it.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_processes() -> int:
    """How many processes to use: APIDIFF_JOBS if set to a positive number, else every core."""
    text = os.environ.get(JOBS_VARIABLE, "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    return available_cores()


def can_fork() -> bool:
    # macOS offers fork but its system libraries are not safe to use in a forked child.
    return sys.platform == "linux" and hasattr(os, "fork")


@overload
def ordered_map(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    processes: int,
    sizes: Sequence[int] | None = None,
    fork_from: int = 0,
) -> Iterator[Result]: ...


@overload
def ordered_map(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    processes: int,
    sizes: Sequence[int] | None = None,
    fork_from: int = 0,
    needed: Callable[[Item], bool],
) -> Iterator[Result | None]: ...


def ordered_map(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    processes: int,
    sizes: Sequence[int] | None = None,
    fork_from: int = 0,
    needed: Callable[[Item], bool] | None = None,
) -> Iterator[Result | None]:
    """`work(item)` for each item, yielded in the order of `items`; with `needed`, only for
    the items it says need the work, and None for the others. `needed` is asked of every
    item before the first result is yielded.

    With `processes` above 1 (and forking possible) the items run in that many children,
    the largest first (`sizes`, where given) so a big one does not start last and finish
    alone. `needed` is asked here, of the largest first too, and the children are forked
    as soon as the items found needed give each of them work and add up to `fork_from`
    (their sizes, or 1 each): they work while the rest are asked about. Needed items that
    never add up to `fork_from`, or fewer than two, are worked on here, as with one process.

    An exception raised by `work` reaches the caller as if raised here; it must survive
    pickling.
    """
    processes = min(processes, len(items))
    if processes < 2 or not can_fork():
        chosen = [needed is None or needed(item) for item in items]
        for item, is_needed in zip(items, chosen, strict=True):
            yield work(item) if is_needed else None
        return
    global _work
    _work = (work, items)
    pool = _ForkedPool(processes, fork_from)
    try:
        for index in sorted(range(len(items)), key=lambda i: -sizes[i] if sizes else i):
            if needed is None or needed(items[index]):
                pool.hand(index, sizes[index] if sizes else 1)
        here = pool.all_handed()
        for index, item in enumerate(items):
            yield work(item) if index in here else pool.result(index)
    except BaseException:
        # An error, an interrupt, or a caller that stopped reading: drop the work not
        # started, and do not wait for the children to finish what they hold.
        pool.close(abandoning=True)
        raise
    else:
        pool.close()
    finally:
        _work = None


class _ForkedPool:
    """Children forked from this process to run `_work`'s items by index: forked once the
    items handed to it give each child work and add up to `fork_from`; until then the items
    wait here."""

    def __init__(self, processes: int, fork_from: int) -> None:
        self._processes = processes
        self._fork_from = fork_from
        self._executor: ProcessPoolExecutor | None = None
        self._futures: dict[int, Future[Any]] = {}
        self._waiting: list[int] = []
        self._waiting_size = 0

    def hand(self, index: int, size: int) -> None:
        """Have the children work on an item, with those waiting, once they are worth it."""
        self._waiting.append(index)
        self._waiting_size += size
        if self._executor is None and (
            len(self._waiting) < self._processes or self._waiting_size < self._fork_from
        ):
            return
        self._send_waiting(self._processes)

    def all_handed(self) -> frozenset[int]:
        """No more items come: the children are forked for the items waiting where there
        are two or more and they add up to `fork_from` (no more children than items); the
        items left to be worked on here."""
        if self._executor is None and (
            len(self._waiting) < 2 or self._waiting_size < self._fork_from
        ):
            return frozenset(self._waiting)
        self._send_waiting(min(self._processes, len(self._waiting)))
        return frozenset()

    def result(self, index: int) -> Any:
        """The result of the work on an item handed to the children; None for any other."""
        future = self._futures.get(index)
        if future is None:
            return None
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise ApidiffError(
                "apidiff",
                f"a worker process died (out of memory?); {JOBS_VARIABLE}=1 runs in one",
            ) from None

    def close(self, *, abandoning: bool = False) -> None:
        """Let the children go: once their work is done, or at once (`abandoning`), dropping
        the work not started."""
        if self._executor is None:
            return
        self._executor.shutdown(wait=not abandoning, cancel_futures=abandoning)
        gc.unfreeze()

    def _send_waiting(self, processes: int) -> None:
        executor = self._executor or self._started(processes)
        for index in self._waiting:
            self._futures[index] = executor.submit(_run_item, index)
        self._waiting.clear()

    def _started(self, processes: int) -> ProcessPoolExecutor:
        # Imported here: the pool's modules (multiprocessing, queues, threads) take 10 ms to
        # import, which the README's notes command (one service, one process) never uses.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_prepare_child,
            initargs=(os.getpid(),),
        )
        # The children are forked at the first submit. A collection in a child would walk
        # every object inherited from the parent, and so write to (and copy) every page of
        # it: frozen, they are left out of collections.
        gc.freeze()
        return self._executor


def _run_item(index: int) -> Any:
    assert _work is not None  # Set by the parent before forking.
    work, items = _work
    return work(items[index])


def _prepare_child(parent: int) -> None:
    # Ctrl-C reaches the whole process group. The parent alone answers it (one line, exit
    # 130); a child that took it too would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


# From linux/prctl.h: the signal a process gets when the thread that forked it ends.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this child when `parent` ends (Linux; forking runs only there).

    The kernel watches the thread that forked the child: the pool forks its children from
    the thread that submits the work, which waits in `ordered_map` for all of it, and so
    outlives every child it needs.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # Refused (a sandbox's seccomp filter): children live on as before.
    if os.getppid() != parent:
        # The parent ended before the request was made, so it will never be answered.
        os._exit(1)
