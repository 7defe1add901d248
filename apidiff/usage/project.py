"""The scan of a code base: its Python files, each scanned alone, then again where it
imports a client, a session or a client factory from another of its modules.

A module's name is its path below the folder given (`app/clients.py` → `app.clients`);
an import names a module of the project when it is that name or ends with it (a `src/`
layout scanned from above). Clients handed from module to module are followed one import
deep: a module that re-exports what it imported hands nothing on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from apidiff.collector import collections_paused
from apidiff.errors import SourceError
from apidiff.parallel import default_processes, ordered_map
from apidiff.usage.calls import ScannedCall, ScanProblem, ScanResult
from apidiff.usage.scan import FileScan, scan_source

# Every client a file can make starts from an import of a boto package, a mypy_boto3 type
# or a `.client(`/`.create_client(` call: a file naming none of them makes none, and is
# parsed only if it may import one from another module (parsing is most of a scan's time).
_MAY_MAKE_CLIENTS = re.compile(rb"boto|client")
# Folders never scanned: caches and installed packages (hidden folders neither).
_SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages"})
# Files are scanned in batches of at least this many, a few batches a core, so that a batch
# pays for its trip between processes and a slow one does not leave a core idle at the end.
_MIN_BATCH = 64
_BATCHES_PER_CORE = 4


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Python file: its name as shown, its path, and its module name in the project."""

    name: str
    path: Path
    module: str


def python_files(paths: Sequence[str]) -> Iterator[SourceFile]:
    """Every Python file under `paths`, in name order per path.

    Names are the path as given joined with the file's place below it, so output does not
    depend on where the code sits. Hidden folders, caches and virtual environments (a folder
    holding `pyvenv.cfg`) are passed over.
    """
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield SourceFile(root.as_posix(), root, _module_name((root.name,)))
        elif root.is_dir():
            found = sorted(_walk(root), key=lambda path: path.as_posix())
            for path in found:
                module = _module_name(path.relative_to(root).parts)
                yield SourceFile(path.as_posix(), path, module)
        else:
            raise SourceError(given, "no such file or directory")


def _module_name(parts: tuple[str, ...]) -> str:
    names = [*parts[:-1], parts[-1].removesuffix(".py")]
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def _walk(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in _SKIPPED_FOLDERS
            and not (here / name / "pyvenv.cfg").exists()
        ]
        for name in files:
            if name.endswith(".py"):
                yield here / name


class _Modules:
    """What each module of the project offers, found by its name or a suffix of it."""

    def __init__(self, exports: Mapping[str, Mapping[str, object]]) -> None:
        self._exports = exports
        self._by_suffix: dict[str, str | None] = {}
        for module in exports:
            parts = module.split(".")
            for start in range(1, len(parts)):
                suffix = ".".join(parts[start:])
                # A suffix two modules share names neither.
                self._by_suffix[suffix] = None if suffix in self._by_suffix else module

    def __call__(self, module: str) -> Mapping[str, object] | None:
        if module in self._exports:
            return self._exports[module]
        full = self._by_suffix.get(module)
        return self._exports[full] if full is not None else None

    def offering(self) -> frozenset[str]:
        """The modules that offer something."""
        return frozenset(module for module, names in self._exports.items() if names)

    def names_offered(self) -> frozenset[str]:
        return frozenset(name for names in self._exports.values() for name in names)


def scan_paths(paths: Sequence[str]) -> ScanResult:
    """Scan every Python file under `paths`. A file that cannot be read or parsed is
    reported and skipped; only a path that does not exist is an error (SourceError)."""
    files = list(python_files(paths))
    scans: dict[str, FileScan] = {}
    problems: dict[str, ScanProblem] = {}
    first = _scan_each(files, _first_scan)
    for file, outcome in zip(files, first, strict=True):
        _keep(file, outcome, scans, problems)
    modules = _Modules(
        {file.module: scans[file.name].exports for file in files if file.name in scans}
    )
    _scan_importers(files, modules, scans, problems)
    calls: list[ScannedCall] = [call for scan in scans.values() for call in scan.calls]
    calls.sort(key=lambda call: call.location)
    ordered = sorted(problems.values(), key=lambda problem: problem.file)
    return ScanResult(len(files), tuple(calls), tuple(ordered))


# What scanning one file gives: its scan, why it could not be read, or None where it was
# passed over (it cannot make or import a client).
_Outcome = FileScan | ScanProblem | None


def _first_scan(file: SourceFile) -> _Outcome:
    source = _read(file)
    if isinstance(source, ScanProblem):
        return source
    return _scan(file, source, None) if _MAY_MAKE_CLIENTS.search(source) else None


def _keep(
    file: SourceFile,
    outcome: _Outcome,
    scans: dict[str, FileScan],
    problems: dict[str, ScanProblem],
) -> None:
    if isinstance(outcome, FileScan):
        scans[file.name] = outcome
    elif outcome is not None:
        problems[file.name] = outcome


def _scan_importers(
    files: list[SourceFile],
    modules: _Modules,
    scans: dict[str, FileScan],
    problems: dict[str, ScanProblem],
) -> None:
    """Scan again, with what other modules offer, each file that may import it: one seen
    importing from a module that offers something, or one not yet parsed that names what
    some module offers. Files are read again rather than all kept in memory meanwhile."""
    if not modules.offering():
        return
    offered = re.compile(
        rb"\b("
        + b"|".join(re.escape(name.encode()) for name in sorted(modules.names_offered()))
        + rb")\b"
    )
    again = [
        file
        for file in files
        if file.name not in problems
        and (file.name not in scans or any(modules(module) for module in scans[file.name].imports))
    ]

    def rescan(file: SourceFile) -> _Outcome:
        source = _read(file)
        if isinstance(source, ScanProblem):
            return source
        if file.name in scans or (b"import" in source and offered.search(source)):
            return _scan(file, source, modules)
        return None

    for file, outcome in zip(again, _scan_each(again, rescan), strict=True):
        _keep(file, outcome, scans, problems)


def _scan_each(
    files: Sequence[SourceFile], scan: Callable[[SourceFile], _Outcome]
) -> Iterator[_Outcome]:
    """`scan(file)` for each file, in order. Parsing is most of a scan's time and Python
    parses on one core, so a large code base is cut into batches scanned in forked
    processes (each inheriting what the scan has found so far); a small one is not worth
    a process."""
    processes = _scan_processes()
    batches = max(1, min(_BATCHES_PER_CORE * processes, len(files) // _MIN_BATCH))
    size = -(-len(files) // batches) if files else 1
    cut = [files[start : start + size] for start in range(0, len(files), size)]
    for outcomes in ordered_map(partial(_scan_batch, scan), cut, processes=processes):
        yield from outcomes


def _scan_processes() -> int:
    """Every core, or APIDIFF_JOBS, as for comparing services. Measured on two idle cores,
    10,000 files: 5.9 s in two processes, 9.6 s in one (sending a scan's records back adds
    about a third to the CPU time, which a second core more than repays)."""
    return default_processes()


def _scan_batch(
    scan: Callable[[SourceFile], _Outcome], batch: Sequence[SourceFile]
) -> list[_Outcome]:
    # Without collections: a file's tree is thousands of objects that live as long as its
    # scan, and collections meanwhile would walk them again and again for nothing (a
    # quarter of the time). A scan lets go of the cycles it makes, so little builds up.
    with collections_paused():
        return [scan(file) for file in batch]


def _read(file: SourceFile) -> bytes | ScanProblem:
    try:
        return file.path.read_bytes()
    except OSError as error:
        return ScanProblem(file.name, None, f"cannot be read: {error.strerror or error}")


def _scan(file: SourceFile, source: bytes, modules: _Modules | None) -> FileScan | ScanProblem:
    try:
        return scan_source(source, file.name, file.module, modules)
    except SyntaxError as error:
        return ScanProblem(file.name, error.lineno, f"does not parse: {error.msg}")
    except ValueError as error:
        return ScanProblem(file.name, None, f"cannot be read: {error}")
    except RecursionError:
        return ScanProblem(file.name, None, "cannot be read: nested too deeply")
