"""Progress on standard error while releases download and services are compared."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# Comparing this many services or fewer is quick enough to need no progress bar.
_QUIET_UP_TO = 5
_MB = 1_000_000


class ProgressDisplay:
    """Progress bars on standard error, and only where it is a terminal.

    Standard output carries the report alone, so nothing here ever writes to it; rich is
    imported only when there is a terminal to draw on.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self._stack = ExitStack()
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._enabled = sys.stderr.isatty() if enabled is None else enabled

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
        self._show(f"downloading {filename}", done, total, size)

    def comparing(self, service: str, done: int, total: int) -> None:
        if total > _QUIET_UP_TO:
            self._show("comparing services", done - 1, total, f"{done}/{total} {service}")

    def _show(self, label: str, done: int, total: int | None, detail: str) -> None:
        if not self._enabled:
            return
        progress = self._started()
        if label not in self._tasks:
            self._tasks[label] = progress.add_task(label, total=total, detail="")
        progress.update(self._tasks[label], completed=done, total=total, detail=detail)

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
