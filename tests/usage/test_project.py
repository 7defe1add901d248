"""The scan of a whole code base: the same calls and problems whether its files are scanned in
one process or in batches on several, and JSON output the same bytes as `json` writes."""

from __future__ import annotations

import gc
import json
import os
import shutil
from pathlib import Path

import pytest

from apidiff import parallel
from apidiff.usage import CallKind, CallSite, Location, ScanProblem, Usage, project
from apidiff.usage.output import render_usage_json, usage_to_json
from apidiff.usage.project import scan_paths
from apidiff.usage.scan import scan_source
from tests.usage.conftest import SAMPLE

# A module offering a client factory, modules calling through it (found only by the second
# pass, with what the first learned), and modules making their own clients.
_FACTORY = 'import boto3\n\n\ndef make_sqs():\n    return boto3.client("sqs")\n'
_IMPORTER = (
    "from shared.factory import make_sqs\n\n\n"
    "def drain_{index}():\n"
    '    response = make_sqs().receive_message(QueueUrl="q-{index}")\n'
    '    return response["Messages"]\n'
)
_MAKER = (
    "import boto3\n\n\nclass Lister{index}:\n"
    "    def __init__(self):\n"
    '        self.s3 = boto3.client("s3")\n\n'
    "    def keys(self):\n"
    '        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket="b{index}")\n'
    '        return [item["Key"] for page in pages for item in page["Contents"]]\n'
)
_PLAIN = "def double_{index}(value):\n    return value * 2\n"


def _write_code_base(root: Path, files: int) -> None:
    (root / "shared").mkdir()
    (root / "shared" / "factory.py").write_text(_FACTORY)
    for index in range(files):
        folder = root / f"package_{index // 50}"
        folder.mkdir(exist_ok=True)
        template = (_IMPORTER, _MAKER, _PLAIN)[index % 3]
        (folder / f"module_{index:04d}.py").write_text(template.format(index=index))
    (root / "package_0" / "broken.py").write_text("import boto3\n\ndef broken(:\n")


def test_several_processes_find_what_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_code_base(tmp_path, 600)
    monkeypatch.setenv("APIDIFF_JOBS", "1")
    alone = scan_paths([str(tmp_path)])
    monkeypatch.setenv("APIDIFF_JOBS", "3")
    spread = scan_paths([str(tmp_path)])
    assert spread == alone
    methods = [call.method for call in alone.calls]
    assert methods.count("receive_message") == 200
    assert methods.count("list_objects_v2") == 200
    assert [problem.file for problem in alone.problems] == [
        (tmp_path / "package_0" / "broken.py").as_posix()
    ]


def test_the_scan_takes_every_core_or_apidiff_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APIDIFF_JOBS", raising=False)
    monkeypatch.setattr(parallel, "available_cores", lambda: 4)
    assert project._scan_processes() == 4
    monkeypatch.setenv("APIDIFF_JOBS", "3")
    assert project._scan_processes() == 3


def test_the_scan_leaves_no_cycles_to_collect() -> None:
    # Scans of many files run without collections: what one leaves in cycles would pile up.
    # The sample's files hold classes, methods, properties and functions within functions.
    for path in sorted((SAMPLE / "app").glob("*.py")):
        gc.collect()
        gc.disable()
        try:
            scan_source(path.read_bytes(), path.name, f"app.{path.stem}")
            left = gc.collect()
        finally:
            gc.enable()
        assert (path.name, left) == (path.name, 0)


def _usage(file: str) -> Usage:
    call = CallSite(
        location=Location(file, 3, 5),
        service="s3",
        operation="ListObjectsV2",
        method="list_objects_v2",
        kind=CallKind.CALL,
        parameters=("Bucket",),
        response_keys=("Contents", "Contents[].Key"),
        reason='tab\there, quote " and é',
    )
    problem = ScanProblem(file, 1, "does not parse: invalid syntax")
    return Usage(files=2, calls=(call,), problems=(problem,), models="botocore 1.44.8")


@pytest.mark.parametrize(
    "file",
    [
        "app/jobs.py",
        "app/données\u2028.py",
        # A name that is not UTF-8, as Python keeps it: orjson refuses lone surrogates.
        os.fsdecode(b"app/caf\xe9.py"),
    ],
)
def test_json_is_what_json_dumps_writes(file: str) -> None:
    expected = json.dumps(usage_to_json(_usage(file)), indent=2, ensure_ascii=False) + "\n"
    assert render_usage_json(_usage(file)) == expected


def test_a_file_name_that_is_not_utf8_is_scanned_and_written(tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "app" / "clients.py", tmp_path / os.fsdecode(b"caf\xe9.py"))
    scanned = scan_paths([str(tmp_path)])
    assert scanned.calls
    assert all(call.location.file.endswith(os.fsdecode(b"caf\xe9.py")) for call in scanned.calls)
