"""`apidiff upgrade` in this process, against the package index on loopback: what it
compares to check an upgrade and write its release notes. (tests/action runs the command
as the action and the hook do.)"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from apidiff import compare
from apidiff.compare import CompareOptions, ProgressCallback
from apidiff.report import Report
from apidiff.sources import ModelSource
from apidiff.usage.calls import ScanResult
from tests.cli.test_check_lock import run, uv_lock, with_breaking_release
from tests.sources.git_repository import commit, git
from tests.sources.local_index import LocalIndex

# Code calling the service 1.20.74 breaks, one of the two services it changes.
ADVISOR_CODE = """\
import boto3


def cases():
    return boto3.client("iotdeviceadvisor").list_test_cases()
"""


@pytest.fixture
def bumped(tmp_path: Path, index: LocalIndex, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose working tree bumps botocore 1.20.73 -> 1.20.74 in uv.lock, with
    code calling a service the upgrade breaks; the current folder, its job summary file
    in GITHUB_STEP_SUMMARY."""
    with_breaking_release(index)
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch", "main")
    commit(root, {"uv.lock": uv_lock("1.20.73"), "app/advisor.py": ADVISOR_CODE}, "Lock")
    (root / "uv.lock").write_text(uv_lock("1.20.74"))
    monkeypatch.chdir(root)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    return root


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (old spec, new spec) of every comparison of two sources a command makes,
    wherever in apidiff it is called from."""
    import apidiff.cli.upgrade  # noqa: F401  (it and the check are what may compare)

    made: list[tuple[str, str]] = []
    compare_sources = compare.compare_sources

    def counted(
        old: ModelSource,
        new: ModelSource,
        options: CompareOptions,
        progress: ProgressCallback | None = None,
    ) -> Report:
        made.append((old.provenance.spec, new.provenance.spec))
        return compare_sources(old, new, options, progress)

    for name, module in list(sys.modules.items()):
        if name.startswith("apidiff") and getattr(module, "compare_sources", None) is (
            compare_sources
        ):
            monkeypatch.setattr(module, "compare_sources", counted)
    return made


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The paths of every scan of the user's code a command makes."""
    import apidiff.usage

    made: list[tuple[str, ...]] = []
    scan_paths = apidiff.usage.scan_paths

    def counted(paths: Sequence[str]) -> ScanResult:
        made.append(tuple(paths))
        return scan_paths(paths)

    monkeypatch.setattr(apidiff.usage, "scan_paths", counted)
    return made


def summary(root: Path) -> str:
    return (root.parent / "summary.md").read_text(encoding="utf-8")


def test_the_check_and_the_notes_of_every_changed_service_compare_the_release_once(
    capsys: pytest.CaptureFixture[str],
    bumped: Path,
    comparisons: list[tuple[str, str]],
) -> None:
    status, _out, err = run(capsys, "upgrade", "--format", "github", "uv.lock")

    assert (status, err) == (1, "")
    assert comparisons == [("botocore==1.20.73", "botocore==1.20.74")]
    assert "The 2 services the upgrade changes." in summary(bumped).splitlines()


def test_notes_of_the_services_the_code_calls_come_from_the_check_s_comparison_and_scan(
    capsys: pytest.CaptureFixture[str],
    bumped: Path,
    comparisons: list[tuple[str, str]],
    scans: list[tuple[str, ...]],
) -> None:
    status, _out, err = run(capsys, "upgrade", "--format", "github", "--usage", "app", "uv.lock")

    assert (status, err) == (1, "")
    assert comparisons == [("botocore==1.20.73", "botocore==1.20.74")]
    assert scans == [("app",)]
    text = summary(bumped)
    assert (
        "Of the services your code calls (iotdeviceadvisor), the upgrade changes "
        "iotdeviceadvisor." in text.splitlines()
    )
    # The notes are those of comparing the one service alone.
    status, alone, _err = run(
        capsys,
        "notes",
        "botocore==1.20.73",
        "botocore==1.20.74",
        "--service",
        "iotdeviceadvisor",
        "--no-docs",
        "--format",
        "markdown",
    )
    assert status == 0 and alone
    assert text.endswith(alone + "\n")
