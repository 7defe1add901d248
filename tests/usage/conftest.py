"""The sample project, scanned once per session against the installed botocore."""

from __future__ import annotations

from pathlib import Path

import pytest

from apidiff.sources import open_source
from apidiff.usage import CallSite, Usage, scan_usage

SAMPLE = Path(__file__).resolve().parent / "sample_project"


def line_of(file: str, text: str) -> int:
    """The line of the sample file holding `text`: tests name code, not line numbers."""
    lines = (SAMPLE / file).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if text in line]
    assert len(found) == 1, f"{text!r} is on lines {found} of {file}"
    return found[0]


def calls_at(usage: Usage, file: str, text: str) -> list[CallSite]:
    """The calls on the line of `file` holding `text`."""
    line = line_of(file, text)
    return [
        call
        for call in usage.calls
        if call.location.file.endswith(f"sample_project/{file}") and call.location.line == line
    ]


def call_at(usage: Usage, file: str, text: str) -> CallSite:
    found = calls_at(usage, file, text)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="session")
def sample_usage() -> Usage:
    return scan_usage([str(SAMPLE)], open_source("installed"))
