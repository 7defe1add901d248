"""A stage beside the pipeline: what the user's own code calls, and which findings touch it.

`scan_paths` reads Python sources with `ast` (nothing is imported or run); `map_usage` puts
the calls in a source's terms (operations, member paths); `match_usage` sets a check's
findings against them.
"""

from __future__ import annotations

from collections.abc import Sequence

from apidiff.model.verdicts import ModelVerdicts
from apidiff.sources.base import ModelSource
from apidiff.usage.calls import CallKind, CallSite, Location, ScanProblem, Usage
from apidiff.usage.operations import OperationCatalog, map_usage
from apidiff.usage.project import scan_paths


def scan_usage(
    paths: Sequence[str], source: ModelSource, verdicts: ModelVerdicts | None = None
) -> Usage:
    """The calls of the code under `paths`, in the terms of `source`'s models."""
    return map_usage(scan_paths(paths), OperationCatalog(source, verdicts))


__all__ = [
    "CallKind",
    "CallSite",
    "Location",
    "OperationCatalog",
    "ScanProblem",
    "Usage",
    "map_usage",
    "scan_paths",
    "scan_usage",
]
