"""Progress on standard error while releases download and services are compared."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# Comparing this many services or fewer is quick enough to need no progress bar.
_QUIET_UP_TO = 5
_MB = 1_000_000
# Where standard error is no terminal (a CI log), a line at most this often, the first one
# only once a run has lasted this long: a quick run stays silent.
LINE_INTERVAL = 10.0


class ProgressDisplay:
    """Progress on standard error: bars on a terminal, otherwise a plain line now and then.

    Standard output carries the report alone, so nothing here ever writes to it; rich is
    imported only when there is a terminal to draw on. `enabled` forces the bars on (True)
    or all progress off (False); `clock` (time.monotonic) times the plain lines.
    """

    def __init__(
        self, enabled: bool | None = None, *, clock: Callable[[], float] | None = None
    ) -> None:
        self._stack = ExitStack()
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._bars = sys.stderr.isatty() if enabled is None else enabled
        self._lines = enabled is None and not self._bars
        self._clock = clock or time.monotonic
        self._last_line = self._clock()

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

    def downloading(self, filename: str, done: int, total: int | None) -> None:
        size = f"{done / _MB:.1f}/{total / _MB:.1f} MB" if total else f"{done / _MB:.1f} MB"
        self._show(
            f"downloading {filename}", done, total, size, line=f"downloading {filename}: {size}"
        )

    def comparing(self, service: str, done: int, total: int) -> None:
        if total > _QUIET_UP_TO:
            self._show(
                "comparing services",
                done - 1,
                total,
                f"{done}/{total} {service}",
                line=f"comparing services: {done} of {total} ({service})",
            )

    def _show(
        self, label: str, done: int, total: int | None, detail: str, *, line: str | None = None
    ) -> None:
        """Move the bar `label` to `done` of `total`; `line` is what a plain line says
        (default: the label, the count and the detail)."""
        if self._lines:
            self._print_line(line or f"{label}: {done} of {total} ({detail})")
        if not self._bars:
            return
        progress = self._started()
        if label not in self._tasks:
            self._tasks[label] = progress.add_task(label, total=total, detail="")
        progress.update(self._tasks[label], completed=done, total=total, detail=detail)

    def _print_line(self, line: str) -> None:
        now = self._clock()
        if now - self._last_line >= LINE_INTERVAL:
            self._last_line = now
            print(f"apidiff: {line}", file=sys.stderr, flush=True)

    def _started(self) -> Progress:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn

            self._progress = self._stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    TextColumn("{task.fields[detail]}"),
                    console=Console(stderr=True),
                    transient=True,
                )
            )
        return self._progress
