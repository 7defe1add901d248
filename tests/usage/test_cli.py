"""`apidiff usage`: text for 80 columns, JSON valid against its schema, one-line errors.

The command is registered by importing its module (the lazy table in apidiff/cli/__init__.py
lists the others); `main` then runs it like any command.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import apidiff.cli.usage  # noqa: F401  (registers the command)
from apidiff.cli import main
from apidiff.usage.output import usage_schema
from tests.usage.conftest import SAMPLE


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


@pytest.fixture
def in_tests_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    # Files are shown as found from the path given: relative here, so output is portable.
    monkeypatch.chdir(SAMPLE.parent)


@pytest.mark.usefixtures("in_tests_usage")
def test_json_is_valid_against_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "usage", "sample_project", "--format", "json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    jsonschema.validate(document, usage_schema())
    assert document["files"] == 9
    calls = document["calls"]
    assert [(c["file"], c["line"], c["column"]) for c in calls] == sorted(
        (c["file"], c["line"], c["column"]) for c in calls
    )
    named = {(c["service"], c["operation"]) for c in calls}
    assert ("sagemaker", "DescribeAutoMLJob") in named
    assert ("route53", "GetHealthCheckSource") in named


@pytest.mark.usefixtures("in_tests_usage")
def test_output_is_the_same_bytes_every_run(capsys: pytest.CaptureFixture[str]) -> None:
    for output_format in ("text", "json"):
        first = run(capsys, "usage", "sample_project", "--format", output_format)
        second = run(capsys, "usage", "sample_project", "--format", output_format)
        assert first == second


@pytest.mark.usefixtures("in_tests_usage")
def test_text_fits_80_columns_and_names_each_call_at_its_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _err = run(capsys, "usage", "sample_project")
    assert status == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    calls = json.loads(run(capsys, "usage", "sample_project", "--format", "json")[1])["calls"]
    operations = {(c["service"], c["operation"]) for c in calls if c["operation"]}
    services = {service for service, _operation in operations}
    assert lines[0].startswith(
        f"{len(calls)} calls of {len(operations)} operations in {len(services)} services"
    )
    at = lines.index(
        "sample_project/app/typed.py:12:16  ec2.describe_instances (DescribeInstances)"
    )
    assert lines[at + 1 : at + 3] == [
        "    passes  Filters[].Name, Filters[].Values[]",
        "    reads   Reservations[].Instances[].InstanceId",
    ]
    assert "sample_project/app/dynamic.py:13:12  s3.?" in lines
    assert "    not visible: method chosen at run time" in lines


def test_output_file_and_a_file_that_does_not_parse(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "broken.py").write_text("import boto3\ndef f(:\n")
    (code / "ok.py").write_text("import boto3\nboto3.client('s3').list_buckets()\n")
    saved = tmp_path / "usage.json"
    status, out, err = run(capsys, "usage", str(code), "--format", "json", "-o", str(saved))
    assert (status, out, err) == (0, "", "")
    document = json.loads(saved.read_text(encoding="utf-8"))
    jsonschema.validate(document, usage_schema())
    assert document["problems"] == [
        {
            "file": f"{code.as_posix()}/broken.py",
            "line": 2,
            "reason": "does not parse: invalid syntax",
        }
    ]
    assert [call["operation"] for call in document["calls"]] == ["ListBuckets"]


def test_a_missing_path_is_one_line_and_status_3(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "usage", "/no/such/folder")
    assert (status, out) == (3, "")
    assert err == "apidiff: error: /no/such/folder: no such file or directory\n"


def test_no_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capsys, "usage")
    assert status == 2
    assert err.startswith("apidiff: error: ") and len(err.splitlines()) == 1


def test_another_source_names_the_operations(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(
        capsys, "usage", str(SAMPLE), "--models", "bundled:botocore-1.44.8", "--format", "json"
    )
    assert status == 0
    document = json.loads(out)
    assert document["models"] == "botocore 1.44.8"
    s3 = [call for call in document["calls"] if call["service"] == "s3"]
    # The bundled release holds fsx, route53 and wafv2 only.
    assert s3 and all(call["reason"] == "service not in botocore 1.44.8" for call in s3)
