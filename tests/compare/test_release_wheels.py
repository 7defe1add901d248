"""Comparing two wheels whole: the services proven unchanged from their bytes, the others
compared, in one process or several, with progress over the compared ones alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.parallel import can_fork
from apidiff.report.serialize import report_to_json
from apidiff.sources import ModelSource, open_source
from tests.sources.local_index import botocore_wheel


def _wheels(tmp_path: Path) -> tuple[ModelSource, ModelSource]:
    sources = []
    for version in ("1.35.71", "1.35.72"):
        path = tmp_path / f"botocore-{version}-py3-none-any.whl"
        path.write_bytes(botocore_wheel(version))
        sources.append(open_source(str(path)))
    return sources[0], sources[1]


@pytest.mark.skipif(not can_fork(), reason="work runs in one process here")
def test_two_wheels_compared_in_two_processes_give_the_report_of_one(tmp_path: Path) -> None:
    old, new = _wheels(tmp_path)

    def report_json(processes: int) -> object:
        return report_to_json(
            compare_sources(old, new, CompareOptions(with_docs=False, processes=processes))
        )

    assert report_json(2) == report_json(1)


@pytest.mark.parametrize("processes", [1, 2])
def test_progress_counts_the_services_compared_not_those_proven_unchanged(
    tmp_path: Path, processes: int
) -> None:
    old, new = _wheels(tmp_path)
    calls: list[tuple[str, int, int]] = []

    report = compare_sources(
        old,
        new,
        CompareOptions(with_docs=False, processes=processes),
        progress=lambda service, done, total: calls.append((service, done, total)),
    )

    compared = sorted({*old.services(), *new.services()} - set(report.unchanged_services))
    assert report.unchanged_services  # Some were proven unchanged, and are not counted.
    assert calls == [
        (service, done, len(compared)) for done, service in enumerate(compared, start=1)
    ]
