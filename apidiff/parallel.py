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
) -> Iterator[Result]: ...


@overload
def ordered_map(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    processes: int,
    sizes: Sequence[int] | None = None,
    needed: Callable[[Item], bool],
    fork_from: int = 0,
) -> Iterator[Result | None]: ...


def ordered_map(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    processes: int,
    sizes: Sequence[int] | None = None,
    needed: Callable[[Item], bool] | None = None,
    fork_from: int = 0,
) -> Iterator[Result | None]:
    """`work(item)` for each item, yielded in the order of `items`; with `needed`, only for
    the items it says need the work, and None for the others.

    With `processes` above 1 (and forking possible) the items run in that many children,
    the largest first (`sizes`, where given) so a big one does not start last and finish
    alone. `needed` is asked here, of the largest first too, while the children already
    work on the items found needed so far: telling what needs work and doing it overlap.
    The children are forked once the needed items' sizes (1 each, without `sizes`) add up to
    `fork_from`; where they never do, the work runs here, as with one process.

    An exception raised by `work` reaches the caller as if raised here; it must survive
    pickling.
    """
    processes = min(processes, len(items))
    if processes < 2 or not can_fork():
        for item in items:
            yield work(item) if needed is None or needed(item) else None
        return
    global _work
    _work = (work, items)
    pool = _ForkedPool(processes, fork_from)
    try:
        futures: dict[int, Future[Result]] = {}
        for index in sorted(range(len(items)), key=lambda i: -sizes[i] if sizes else i):
            if needed is None or needed(items[index]):
                futures.update(pool.handed(index, sizes[index] if sizes else 1))
        if not pool.started:
            kept = set(pool.waiting)
            for index, item in enumerate(items):
                yield work(item) if index in kept else None
            return
        for index in range(len(items)):
            future = futures.get(index)
            yield None if future is None else pool.result(future)
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
    """Children forked from this process to run `_work`'s items by index, once the items
    handed to it add up to `fork_from` in size; until then they wait here."""

    def __init__(self, processes: int, fork_from: int) -> None:
        self._processes = processes
        self._fork_from = fork_from
        self._executor: ProcessPoolExecutor | None = None
        self.waiting: list[int] = []
        self._waiting_size = 0

    @property
    def started(self) -> bool:
        return self._executor is not None

    def handed(self, index: int, size: int) -> dict[int, Future[Any]]:
        """The futures of the items sent to the children now: this one, and any waiting
        with it, once they are worth forking for."""
        self.waiting.append(index)
        self._waiting_size += size
        if self._executor is None and self._waiting_size < self._fork_from:
            return {}
        executor = self._executor or self._start()
        sent = {waiting: executor.submit(_run_item, waiting) for waiting in self.waiting}
        self.waiting.clear()
        return sent

    def result(self, future: Future[Result]) -> Result:
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

    def _start(self) -> ProcessPoolExecutor:
        # Imported here: the pool's modules (multiprocessing, queues, threads) take 10 ms to
        # import, which the README's notes command (one service, one process) never uses.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # A collection in a child would walk every object inherited from the parent, and so
        # write to (and copy) every page of it: frozen, they are left out of collections.
        gc.freeze()
        self._executor = ProcessPoolExecutor(
            self._processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_prepare_child,
            initargs=(os.getpid(),),
        )
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
