"""`apidiff render CHECK.json`: a check saved with `--format json` renders in every format of
the check exactly as the check itself does (SARIF without the regions, which need the model
files), and a file that is not one is a one-line error naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apidiff.render.check import CHECK_RENDERERS
from tests.cli.test_check import BREAKING, PAIRS, RISKY, run, write

ACCEPT_ONE = """
[[ignore]]
rule = "operation.removed"
operation = "ListTest*"
reason = "We never call ListTestCases"
expires = 2099-12-31

[[ignore]]
rule = "waiter.removed"
reason = "matches nothing"
"""


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def without_regions(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: without_regions(item) for key, item in value.items() if key != "region"}
    if isinstance(value, list):
        return [without_regions(item) for item in value]
    return value


def saved_check(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "check.json"
    status, _out, err = run(capsys, "check", *args, "--format", "json", "-o", str(target))
    assert status in (0, 1), err
    return target


@PAIRS
@pytest.mark.parametrize(
    "options",
    [(), ("--min-severity", "info"), ("--fail-on", "risky", "--min-severity", "breaking")],
    ids=["default", "info", "risky-gate"],
)
def test_a_saved_check_renders_as_the_check_in_every_format(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    pair: tuple[str, ...],
    options: tuple[str, ...],
) -> None:
    saved = saved_check(capsys, tmp_path, *pair, *options)
    for output_format in sorted(CHECK_RENDERERS):
        _status, direct, _err = run(capsys, "check", *pair, *options, "--format", output_format)
        status, rendered, err = run(capsys, "render", str(saved), "--format", output_format)
        assert (status, err) == (0, ""), output_format
        if output_format == "sarif":
            assert without_regions(json.loads(direct)) == json.loads(rendered)
            assert "region" in direct or '"results": []' in direct
            # No location has a region (a rule's advice may speak of signing regions).
            assert without_regions(json.loads(rendered)) == json.loads(rendered)
        else:
            assert rendered == direct, output_format


def test_a_saved_check_keeps_its_ignores_and_their_dates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ignores = write(tmp_path / "ignore.toml", ACCEPT_ONE)
    options = ("--ignore-file", str(ignores))
    saved = saved_check(capsys, tmp_path, *BREAKING, *options)
    for output_format in ("text", "json", "markdown"):
        _status, direct, _err = run(capsys, "check", *BREAKING, *options, "--format", output_format)
        _status, rendered, _err = run(capsys, "render", str(saved), "--format", output_format)
        assert rendered == direct
    assert "IGNORED (1)" in direct or "ignored by policy" in direct


def test_a_saved_check_renders_with_more_findings_than_it_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = saved_check(capsys, tmp_path, *RISKY)
    _status, direct, _err = run(
        capsys, "check", *RISKY, "--min-severity", "info", "--format", "junit"
    )
    _status, rendered, _err = run(
        capsys, "render", str(saved), "--min-severity", "info", "--format", "junit"
    )
    assert rendered == direct


def test_a_saved_check_rendered_for_github_writes_the_step_summary_as_the_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    saved = saved_check(capsys, tmp_path, *BREAKING)
    by_check = write(tmp_path / "by-check.md", "")
    by_render = write(tmp_path / "by-render.md", "")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(by_check))
    run(capsys, "check", *BREAKING, "--format", "github")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(by_render))
    run(capsys, "render", str(saved), "--format", "github")
    assert by_render.read_text("utf-8") == by_check.read_text("utf-8") != ""


def test_a_saved_report_still_renders_as_a_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    run(capsys, "notes", *BREAKING, "--format", "json", "--no-docs", "-o", str(report))
    status, out, err = run(capsys, "render", str(report), "--format", "text")
    assert (status, err) == (0, "")
    assert out


def test_a_report_asked_for_a_check_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    run(capsys, "notes", *BREAKING, "--format", "json", "--no-docs", "-o", str(report))
    status, out, err = run(capsys, "render", str(report), "--format", "sarif")
    assert (status, out) == (2, "")
    assert err.startswith(f"apidiff: error: {report}: a report renders as json, markdown, text")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda document: document.pop("check_format"),
            "a check report of format none, written by an older apidiff; this one reads "
            "format 1: run the check again with --format json",
        ),
        (
            lambda document: document["check"].pop("hidden"),
            "not an apidiff check report: at check: 'hidden' is a required property",
        ),
        (
            lambda document: document["check"]["findings"][0].update(fingerprint="0" * 16),
            "is not in its report",
        ),
        (
            lambda document: document["check"].update(min_severity="fatal"),
            "not an apidiff check report: at check/min_severity",
        ),
        (
            lambda document: document["report"].pop("services"),
            "not an apidiff report: at (top)",
        ),
    ],
    ids=["no-format", "missing-key", "unknown-finding", "bad-severity", "bad-report"],
)
def test_a_damaged_check_is_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, edit: Any, message: str
) -> None:
    saved = saved_check(capsys, tmp_path, *BREAKING)
    document = json.loads(saved.read_text("utf-8"))
    edit(document)
    saved.write_text(json.dumps(document), "utf-8")
    status, out, err = run(capsys, "render", str(saved), "--format", "sarif")
    assert (status, out) == (3, "")
    assert err.startswith(f"apidiff: error: {saved}: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_file_that_is_not_json_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = write(tmp_path / "check.json", '{"check": ')
    status, _out, err = run(capsys, "render", str(broken), "--format", "github")
    assert status == 3
    assert err.startswith(f"apidiff: error: {broken}: cannot be read")
    assert err.count("\n") == 1
