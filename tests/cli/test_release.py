"""`apidiff release`, end to end through `main`, against a package index on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apidiff.cli import main
from apidiff.cli import release as _release  # noqa: F401  (importing it registers the command)
from apidiff.cli.progress import ProgressDisplay
from tests.sources.local_index import LocalIndex

MODELS = Path(__file__).resolve().parents[2] / "models"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_.value.code or 0), captured.out, captured.err


def report_of(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    status, out, err = run(capsys, "release", *args, "--format", "json", "--no-docs")
    assert (status, err) == (0, "")
    return json.loads(out)


def test_a_release_is_compared_with_the_release_just_before_it(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    report = report_of(capsys, "botocore==1.20.41")

    assert (report["old"]["version"], report["new"]["version"]) == ("1.20.40", "1.20.41")
    assert [service["service"] for service in report["services"]] == ["sagemaker"]
    assert report["unchanged_services"] == ["cloudsearch"]


def test_since_names_the_older_release(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    report = report_of(capsys, "botocore==1.35.72", "--since", "botocore==1.35.71")

    assert report["old"]["version"] == "1.35.71"
    services = {service["service"]: service for service in report["services"]}
    assert services["invoicing"]["old_api_version"] is None
    assert "cloudsearch" in report["unchanged_services"]
    assert index.requests_for("/pypi/botocore/json") == 0


def test_service_limits_the_release_to_those_services(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    report = report_of(capsys, "botocore==1.35.72", "--service", "qbusiness")

    assert [service["service"] for service in report["services"]] == ["qbusiness"]
    assert report["unchanged_services"] == []


def test_a_boto3_release_is_compared_with_boto3s_release_before(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    report = report_of(capsys, "boto3==1.17.41")

    assert report["old"]["spec"] == "boto3==1.17.40"
    assert (report["old"]["version"], report["new"]["version"]) == ("1.20.40", "1.20.41")


def test_the_text_release_opens_with_an_overview_and_leaves_out_the_docs(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    status, out, err = run(capsys, "release", "botocore==1.20.41")

    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "botocore 1.20.41 since botocore 1.20.40: 1 services changed, 1 unchanged."
    assert lines[2].split() == ["Service", "New", "Updated", "Removed", "Breaking", "Changelog"]
    assert lines[3].split()[:5] == ["sagemaker", "0", "3", "0", "0"]
    assert "2021/03/31 - Amazon SageMaker Service - 3 updated api methods" in lines
    assert "DescribeAutoMLJob (updated)" in lines
    assert "Request Syntax" not in out
    assert max(len(line) for line in lines[:4]) <= 100


def test_docs_adds_the_documentation_to_a_release(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    status, out, _err = run(capsys, "release", "botocore==1.20.41", "--docs")
    assert status == 0
    assert "Request Syntax" in out
    _status, out, _err = run(capsys, "release", "botocore==1.20.41", "--format", "json")
    report = json.loads(out)
    assert all(
        operation["documentation"] is None
        for operation in report["services"][0]["updated_operations"]
    )


def test_a_changelog_file_gives_the_changes_text(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    changes = tmp_path / "1.20.41.json"
    provenance = json.loads((MODELS / "botocore-1.20.41" / "provenance.json").read_text())
    changes.write_text(json.dumps(provenance["changelog"]))

    report = report_of(capsys, "botocore==1.20.41", "--changelog", str(changes))

    (sagemaker,) = report["services"]
    assert sagemaker["changelog"] == [provenance["changelog"][0]["description"]]


def test_without_a_changelog_a_release_from_the_index_has_none(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    (sagemaker,) = report_of(capsys, "botocore==1.20.41")["services"]

    assert sagemaker["changelog"] is None


def test_the_report_can_be_written_to_a_file(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    output = tmp_path / "release.md"

    status, out, err = run(
        capsys, "release", "botocore==1.20.41", "--format", "markdown", "-o", str(output)
    )

    assert (status, out, err) == (0, "", "")
    assert "SageMaker" in output.read_text()


def test_a_second_run_asks_the_index_nothing(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    first = report_of(capsys, "botocore==1.20.41")
    asked = len(index.requests)

    assert report_of(capsys, "botocore==1.20.41") == first
    assert len(index.requests) == asked


def test_offline_with_an_empty_cache_says_what_is_missing(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, tmp_path: Path
) -> None:
    status, out, err = run(capsys, "release", "botocore==1.20.41", "--offline")

    assert (status, out) == (3, "")
    assert err == (
        f"apidiff: error: botocore==1.20.41: not in the cache at {tmp_path / 'cache'}"
        " and --offline is set\n"
    )
    assert index.requests == []


def test_offline_after_a_run_online_gives_the_same_report(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    online = report_of(capsys, "botocore==1.20.41")

    assert report_of(capsys, "botocore==1.20.41", "--offline") == online


def test_a_lasting_server_error_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    index.fail("/pypi/botocore/1.20.41/json", "error*")

    status, out, err = run(capsys, "release", "botocore==1.20.41")

    assert (status, out) == (3, "")
    assert err.count("\n") == 1
    assert err.startswith("apidiff: error: botocore==1.20.41: could not fetch ")
    assert err.endswith("HTTP 500 Internal Server Error (2 attempts)\n")


def test_an_unknown_release_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    status, _out, err = run(capsys, "release", "botocore==9.9.9")

    assert status == 3
    assert err == f"apidiff: error: botocore==9.9.9: no such release on {index.url}\n"


def test_a_source_without_a_version_needs_since(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    folder = str(MODELS / "botocore-1.20.41" / "sagemaker")

    status, _out, err = run(capsys, "release", folder)

    assert status == 3
    assert "its botocore version is unknown" in err


def test_notes_take_release_specs_too(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    status, out, err = run(
        capsys, "notes", "botocore==1.20.40", "botocore==1.20.41", "--service", "sagemaker"
    )

    assert (status, err) == (0, "")
    assert "Amazon SageMaker Service - 3 updated api methods" in out


def test_progress_is_drawn_on_standard_error_only(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressDisplay(enabled=True) as display:
        display.downloading("botocore-1.44.8-py3-none-any.whl", 10, 100)
        for done in range(1, 8):
            display.comparing(f"service{done}", done, 7)

    assert capsys.readouterr().out == ""


def test_no_progress_is_drawn_where_standard_error_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ProgressDisplay() as display:
        display.downloading("botocore-1.44.8-py3-none-any.whl", 10, 100)

    assert capsys.readouterr() == ("", "")


def test_the_markdown_release_opens_with_a_table_of_the_services(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    from markdown_it import MarkdownIt

    status, out, _err = run(capsys, "release", "botocore==1.20.41", "--format", "markdown")
    assert status == 0
    parsed = MarkdownIt("commonmark").enable("table").parse(out)
    cells = [token.content for token in parsed if token.type == "inline"][1:14]
    assert cells[:6] == ["Service", "New", "Updated", "Removed", "Breaking", "Changelog"]
    assert cells[6:11] == ["sagemaker", "0", "3", "0", "0"]


# --- a partial source against a whole release


def test_services_a_partial_new_side_lacks_are_left_out_not_removed(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    # The 1.35.72 wheel is a whole release (cloudsearch, invoicing, qbusiness); the bundled
    # 1.20.41 holds only cloudsearch and sagemaker. sagemaker is not in the whole release,
    # so it is new; invoicing and qbusiness are only missing from the bundle.
    report = report_of(capsys, "bundled:botocore-1.20.41", "--since", "botocore==1.35.72")

    assert (report["old"]["partial"], report["new"]["partial"]) == (False, True)
    services = {service["service"]: service for service in report["services"]}
    assert sorted(services) == ["cloudsearch", "sagemaker"]
    assert services["sagemaker"]["old_api_version"] is None
    assert all(service["new_api_version"] for service in services.values())
    assert report["left_out"] == [
        {
            "side": "old",
            "services": ["invoicing", "qbusiness"],
            "reason": "bundled:botocore-1.20.41 holds only some services",
        }
    ]


def test_the_text_release_says_in_one_line_what_it_left_out(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    status, out, err = run(
        capsys, "release", "bundled:botocore-1.20.41", "--since", "botocore==1.35.72"
    )
    assert (status, err) == (0, "")
    assert out.splitlines()[1] == (
        "Compared the 2 services both sides hold (cloudsearch, sagemaker); left out 2 only "
        "old holds, as bundled:botocore-1.20.41 holds only some services "
        "(--all-services compares them)."
    )
    assert "(removed)" not in out


def test_all_services_compares_what_a_partial_side_lacks_as_removed(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    report = report_of(
        capsys, "bundled:botocore-1.20.41", "--since", "botocore==1.35.72", "--all-services"
    )

    removed = [s["service"] for s in report["services"] if s["new_api_version"] is None]
    assert removed == ["invoicing", "qbusiness"]
    assert report["left_out"] == []


def test_a_service_a_partial_side_lacks_cannot_be_asked_for(
    capsys: pytest.CaptureFixture[str], index: LocalIndex
) -> None:
    status, out, err = run(
        capsys,
        "release",
        "bundled:botocore-1.20.41",
        "--since",
        "botocore==1.35.72",
        "--service",
        "qbusines",
    )
    assert (status, out) == (3, "")
    assert err == (
        "apidiff: error: --service qbusines: neither old (botocore==1.35.72) nor new "
        "(bundled:botocore-1.20.41) holds it; did you mean 'qbusiness'?\n"
    )
    status, out, err = run(
        capsys,
        "release",
        "bundled:botocore-1.20.41",
        "--since",
        "botocore==1.35.72",
        "--service",
        "qbusiness",
    )
    assert (status, out) == (3, "")
    assert err.startswith(
        "apidiff: error: --service qbusiness: new (bundled:botocore-1.20.41) does not hold it"
    )
