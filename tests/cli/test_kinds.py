"""`apidiff kinds`: every rule of the table, in text, Markdown and JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from apidiff.classify import RULES, Perspective, Severity
from apidiff.cli import main

RULE_IDS = [rule.id for rule in RULES]
SEVERITIES = {severity.value for severity in Severity}
# A Markdown table cell boundary: a pipe not escaped with a backslash.
_CELL_BOUNDARY = re.compile(r"(?<!\\)\|")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_text_lists_every_rule_id_on_its_own_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "kinds")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert [line for line in lines if line in RULE_IDS] == RULE_IDS


def test_text_explains_each_rule_and_gives_its_severities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "kinds")
    lines = out.splitlines()
    for rule in RULES:
        block = "\n".join(lines[lines.index(rule.id) : lines.index(rule.id) + 3])
        assert f"{rule.summary}. {rule.advice}" in block
        for perspective in Perspective:
            verdict = rule.verdicts[perspective]
            assert f"{perspective.value}: {verdict.request.value}/{verdict.response.value}" in block


def test_text_indents_everything_but_the_rule_ids(capsys: pytest.CaptureFixture[str]) -> None:
    # Only rule ids start at the left margin, so the list can be scanned (and grepped) by id.
    _status, out, _err = run(capsys, "kinds")
    flush_left = [line for line in out.splitlines() if line and not line[0].isspace()]
    assert flush_left == RULE_IDS


def test_markdown_has_one_table_row_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "kinds", "--format", "markdown")
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "| rule | meaning | sdk | stubber | wire |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows = [line for line in lines[2:] if line]
    assert [row.split("`")[1] for row in rows] == RULE_IDS


def test_markdown_rows_have_five_cells_and_the_severities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "kinds", "--format", "markdown")
    rows = [line for line in out.splitlines()[2:] if line]
    for rule, row in zip(RULES, rows, strict=True):
        cells = [cell.strip() for cell in _CELL_BOUNDARY.split(row)[1:-1]]
        assert len(cells) == 5, rule.id
        assert cells[2:] == [
            f"{rule.verdicts[perspective].request.value} / "
            f"{rule.verdicts[perspective].response.value}"
            for perspective in Perspective
        ]


def test_json_lists_every_rule_with_severity_per_perspective_and_position(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _err = run(capsys, "kinds", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert [entry["id"] for entry in document] == RULE_IDS
    for rule, entry in zip(RULES, document, strict=True):
        assert entry["summary"] == rule.summary
        assert entry["advice"] == rule.advice
        assert set(entry["severity"]) == {"sdk", "stubber", "wire"}
        for perspective in Perspective:
            severity = entry["severity"][perspective.value]
            assert set(severity) == {"request", "response"}
            assert set(severity.values()) <= SEVERITIES
            assert severity == {
                "request": rule.verdicts[perspective].request.value,
                "response": rule.verdicts[perspective].response.value,
            }


def test_rule_ids_are_unique(capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(run(capsys, "kinds", "--format", "json")[1])
    ids = [entry["id"] for entry in document]
    assert len(ids) == len(set(ids))


def test_kinds_writes_to_an_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "kinds.md"
    status, out, _err = run(capsys, "kinds", "--format", "markdown", "-o", str(target))
    assert (status, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("| rule | meaning |")


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "kinds", "--format", "sarif")
    assert (status, out) == (2, "")
