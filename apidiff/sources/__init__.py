"""Stage one: find and read model files, and say where they came from.

`open_source` turns what the user typed into a `ModelSource`:
- a path to a `service-2.json[.gz]`, or a folder in botocore's `data/` layout;
- `bundled:<name>`: a folder of `models/` shipped with apidiff (`bundled:botocore-1.20.41`).
"""

from __future__ import annotations

from pathlib import Path

from apidiff.errors import SourceError
from apidiff.resources import models_dir
from apidiff.sources.base import ChangelogEntry, ModelFile, ModelSource, ServiceFiles, same_content
from apidiff.sources.local import DirectorySource, FileSource

BUNDLED_PREFIX = "bundled:"


def open_source(spec: str) -> ModelSource:
    if spec.startswith(BUNDLED_PREFIX):
        return _open_bundled(spec)
    path = Path(spec).expanduser()
    if path.is_file():
        return FileSource(path, spec)
    if path.is_dir():
        return DirectorySource(path, spec)
    raise SourceError(spec, "no such file or directory")


def bundled_names() -> tuple[str, ...]:
    root = models_dir()
    return tuple(
        sorted(child.name for child in root.iterdir() if (child / "provenance.json").is_file())
    )


def _open_bundled(spec: str) -> ModelSource:
    name = spec.removeprefix(BUNDLED_PREFIX)
    if name not in bundled_names():
        raise SourceError(
            spec, f"no bundled models of that name (have: {', '.join(bundled_names())})"
        )
    return DirectorySource(models_dir() / name, spec)


__all__ = [
    "ChangelogEntry",
    "ModelFile",
    "ModelSource",
    "ServiceFiles",
    "open_source",
    "same_content",
]
