"""`apidiff check` on lock: sources, end to end through `main`, against a package index on
loopback: a bump commit in a temporary git repository, and both sides the same release."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from apidiff.cli import main
from apidiff.report.serialize import check_schema
from tests.cli.test_check import SARIF_SCHEMA
from tests.sources.git_repository import commit, git
from tests.sources.local_index import LocalIndex


@pytest.fixture
def bumped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose last commit is a bot's bump of botocore 1.20.73 -> 1.20.74 in
    uv.lock (a breaking release: an operation and a member removed); the current folder."""
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch", "main")
    commit(root, {"uv.lock": uv_lock("1.20.73")}, "Lock botocore 1.20.73")
    commit(root, {"uv.lock": uv_lock("1.20.74")}, "Bump botocore from 1.20.73 to 1.20.74")
    monkeypatch.chdir(root)
    return root


def uv_lock(botocore: str) -> str:
    return (
        'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "botocore"\n'
        f'version = "{botocore}"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
    )


def with_breaking_release(index: LocalIndex) -> None:
    from tests.sources.local_index import Release, botocore_wheel

    for version, uploaded in (
        ("1.20.73", "2021-05-13T18:00:00Z"),
        ("1.20.74", "2021-05-14T18:00:00Z"),
    ):
        index.add(Release("botocore", version, botocore_wheel(version), uploaded))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_.value.code or 0), captured.out, captured.err


def test_a_bump_commit_is_checked_from_the_lock_file_at_two_refs(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, bumped: Path
) -> None:
    with_breaking_release(index)

    status, out, err = run(capsys, "check", "lock:uv.lock@HEAD~1", "lock:uv.lock")

    assert (status, err) == (1, "")
    assert out.splitlines()[0] == (
        "apidiff check: lock:uv.lock@HEAD~1 (botocore 1.20.73) -> lock:uv.lock (botocore 1.20.74)"
    )
    assert "[operation.removed]" in out


def test_a_lock_source_is_recorded_in_the_json_check(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, bumped: Path
) -> None:
    with_breaking_release(index)

    status, out, _err = run(
        capsys, "check", "lock:uv.lock@HEAD~1", "lock:uv.lock", "--format", "json"
    )

    document = json.loads(out)
    jsonschema.validate(document, check_schema())
    assert status == 1
    assert document["report"]["old"]["spec"] == "lock:uv.lock@HEAD~1"
    assert document["report"]["old"]["location"] == "botocore-1.20.73-py3-none-any.whl"
    assert document["report"]["new"]["version"] == "1.20.74"


def test_both_sides_the_same_release_is_nothing_to_check(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, bumped: Path
) -> None:
    with_breaking_release(index)
    commit(bumped, {"uv.lock": uv_lock("1.20.74") + "\n# reformatted\n"}, "Lock file touched")

    status, out, err = run(capsys, "check", "lock:uv.lock@HEAD~1", "lock:uv.lock")

    assert (status, out, err) == (
        0,
        "apidiff check: both sides are botocore 1.20.74 (lock:uv.lock@HEAD~1, lock:uv.lock):"
        " nothing to check\n",
        "",
    )
    # No wheel is fetched to learn that: the index's record of the release is enough.
    assert not [request for request in index.requests if request.startswith("/files/")]


def test_the_same_release_named_three_ways_is_one_release(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("boto3==1.35.72\n")

    for old in ("botocore==1.35.72", "boto3==1.35.72"):
        status, out, _err = run(capsys, "check", old, f"lock:{lock}")
        assert status == 0
        assert out.endswith(": nothing to check\n")


@pytest.mark.parametrize("output_format", ["json", "markdown", "github", "junit", "sarif"])
def test_nothing_to_check_keeps_every_format_valid_and_empty(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, output_format: str
) -> None:
    status, out, err = run(
        capsys, "check", "botocore==1.35.72", "boto3==1.35.72", "--format", output_format
    )

    assert status == 0
    assert err == (
        "apidiff check: both sides are botocore 1.35.72 (botocore==1.35.72, boto3==1.35.72):"
        " nothing to check\n"
    )
    if output_format == "json":
        document = json.loads(out)
        jsonschema.validate(document, check_schema())
        assert document["check"]["findings"] == []
    elif output_format == "sarif":
        document = json.loads(out)
        jsonschema.validate(document, SARIF_SCHEMA)
        assert document["runs"][0]["results"] == []
    elif output_format == "junit":
        suite = ElementTree.fromstring(out).find("testsuite")
        assert suite is not None and suite.get("failures") == "0"
    elif output_format == "github":
        assert not [line for line in out.splitlines() if line.startswith(("::error", "::warning"))]
    else:
        assert "| breaking | 0 |" in out


def test_two_folders_of_one_version_are_still_compared(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # bundled:botocore-1.20.40 and a copy: partial sources saying one version may differ.
    status, out, _err = run(capsys, "check", "bundled:botocore-1.20.40", "bundled:botocore-1.20.40")

    assert status == 0
    assert "nothing to check" not in out
    assert out.splitlines()[1].startswith("0 breaking, 0 risky")


def test_a_lock_file_without_botocore_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("requests==2.32.3\n")

    status, out, err = run(capsys, "check", f"lock:{lock}", "botocore==1.35.72")

    assert (status, out) == (3, "")
    assert err == f"apidiff: error: {lock}: pins neither botocore nor boto3\n"


def test_a_missing_ref_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, bumped: Path
) -> None:
    status, out, err = run(capsys, "check", "lock:uv.lock@origin/main", "lock:uv.lock")

    assert (status, out) == (3, "")
    assert err == "apidiff: error: uv.lock@origin/main: no such git ref or commit: origin/main\n"


def test_notes_between_two_refs_of_one_release_say_no_service_changed(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("botocore==1.35.72\n")

    status, out, _err = run(capsys, "notes", f"lock:{lock}", "botocore==1.35.72")

    assert status == 0
    assert out == (
        f"No service changed between lock:{lock} (botocore 1.35.72) and botocore 1.35.72.\n"
    )


def test_a_release_since_the_same_release_has_no_changes(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("boto3==1.35.72\n")

    status, out, _err = run(
        capsys, "release", f"lock:{lock}", "--since", "botocore==1.35.72", "--no-docs"
    )

    assert status == 0
    assert out.startswith(
        f"lock:{lock} (botocore 1.35.72) since botocore 1.35.72: 0 services changed, "
    )


def test_a_release_of_a_lock_file_is_compared_with_the_botocore_release_before_it(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("boto3==1.17.41\n")

    status, out, _err = run(capsys, "release", f"lock:{lock}", "--format", "json", "--no-docs")

    report = json.loads(out)
    assert status == 0
    assert (report["old"]["spec"], report["new"]["spec"]) == ("botocore==1.20.40", f"lock:{lock}")
    assert [service["service"] for service in report["services"]] == ["sagemaker"]


def test_nothing_to_check_needs_no_scan_of_the_code(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    code = tmp_path / "src"
    code.mkdir()
    (code / "app.py").write_text("import boto3\nboto3.client('s3').list_buckets()\n")
    (tmp_path / "uv.lock").write_text(uv_lock("1.35.72"))
    (tmp_path / "requirements.txt").write_text("boto3==1.35.72\n")

    status, out, _err = run(
        capsys,
        "check",
        f"lock:{tmp_path / 'uv.lock'}",
        f"lock:{tmp_path / 'requirements.txt'}",
        "--usage",
        str(code),
    )

    assert status == 0
    assert out.endswith(": nothing to check\n")
    assert not [request for request in index.requests if request.startswith("/files/botocore")]
