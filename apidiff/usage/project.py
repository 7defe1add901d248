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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from apidiff.errors import SourceError
from apidiff.usage.calls import ScannedCall, ScanProblem, ScanResult
from apidiff.usage.scan import FileScan, scan_source

# Every client a file can make starts from an import of a boto package, a mypy_boto3 type
# or a `.client(`/`.create_client(` call: a file naming none of them makes none, and is
# parsed only if it may import one from another module (parsing is most of a scan's time).
_MAY_MAKE_CLIENTS = re.compile(rb"boto|client")
# Folders never scanned: caches and installed packages (hidden folders neither).
_SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages"})


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
    for file in files:
        source = _read(file, problems)
        if source is not None and _MAY_MAKE_CLIENTS.search(source):
            _scan(file, source, None, scans, problems)
    modules = _Modules(
        {file.module: scans[file.name].exports for file in files if file.name in scans}
    )
    _scan_importers(files, modules, scans, problems)
    calls: list[ScannedCall] = [call for scan in scans.values() for call in scan.calls]
    calls.sort(key=lambda call: call.location)
    ordered = sorted(problems.values(), key=lambda problem: problem.file)
    return ScanResult(len(files), tuple(calls), tuple(ordered))


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
    for file in files:
        if file.name in problems:
            continue
        scanned = scans.get(file.name)
        if scanned is not None and not any(modules(module) for module in scanned.imports):
            continue
        source = _read(file, problems)
        if source is None:
            continue
        if scanned is not None or (b"import" in source and offered.search(source)):
            _scan(file, source, modules, scans, problems)


def _read(file: SourceFile, problems: dict[str, ScanProblem]) -> bytes | None:
    try:
        return file.path.read_bytes()
    except OSError as error:
        problems[file.name] = ScanProblem(
            file.name, None, f"cannot be read: {error.strerror or error}"
        )
        return None


def _scan(
    file: SourceFile,
    source: bytes,
    modules: _Modules | None,
    scans: dict[str, FileScan],
    problems: dict[str, ScanProblem],
) -> None:
    try:
        scans[file.name] = scan_source(source, file.name, file.module, modules)
    except SyntaxError as error:
        problems[file.name] = ScanProblem(file.name, error.lineno, f"does not parse: {error.msg}")
    except ValueError as error:
        problems[file.name] = ScanProblem(file.name, None, f"cannot be read: {error}")
    except RecursionError:
        problems[file.name] = ScanProblem(file.name, None, "cannot be read: nested too deeply")
