"""A tightened pattern's counterexample reaches the reader: in the check's text and JSON, in the
saved Report (valid against its schema), and again when a saved check is rendered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from apidiff.cli import main
from apidiff.resources import schema_path
from tests.conftest import FIXTURES

WITNESS = "'z' matches the old pattern and not the new one"


@pytest.fixture
def tightened_pair(tmp_path: Path) -> tuple[str, str]:
    document = json.loads((FIXTURES / "bad_models" / "valid.json").read_text(encoding="utf-8"))
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    # The request member Name now rejects the letter z: 'z' is the shortest string to show it.
    document["shapes"]["Name"]["pattern"] = "^[a-y]+$"
    new = tmp_path / "new.json"
    new.write_text(json.dumps(document), encoding="utf-8")
    return str(old), str(new)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_the_text_shows_a_string_the_old_pattern_accepts_and_the_new_rejects(
    capsys: pytest.CaptureFixture[str], tightened_pair: tuple[str, str]
) -> None:
    out = run(capsys, "check", *tightened_pair)

    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if "constraint.pattern.tightened" in line)
    # The finding's line, wrapped: its continuation lines are indented further.
    end = next(n for n in range(start + 1, len(lines)) if not lines[n].startswith("      "))
    finding = " ".join(line.strip() for line in lines[start:end])
    assert "pattern ^[a-z]+$ -> ^[a-y]+$ in client.get_foo(Name=...)" in finding
    assert finding.endswith(f" ({WITNESS})")
    assert re.search("^[a-z]+$", "z") and not re.search("^[a-y]+$", "z")


def test_the_detail_is_kept_in_the_report_and_a_saved_check_renders_it_again(
    capsys: pytest.CaptureFixture[str], tightened_pair: tuple[str, str], tmp_path: Path
) -> None:
    saved = tmp_path / "check.json"
    run(capsys, "check", *tightened_pair, "--format", "json", "-o", str(saved))
    document = json.loads(saved.read_text(encoding="utf-8"))

    records = [
        record
        for service in document["report"]["services"]
        for record in service["changes"]
        if record["rule"] == "constraint.pattern.tightened"
    ]
    assert [record["detail"] for record in records] == [WITNESS]
    # Records with nothing more to say carry no detail key at all.
    assert all(
        "detail" not in record
        for service in document["report"]["services"]
        for record in service["changes"]
        if record["rule"] != "constraint.pattern.tightened"
    )
    report_schema = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document["report"], report_schema)
    check_schema = json.loads(schema_path("check.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, check_schema)
    assert [finding["message"] for finding in document["check"]["findings"]] == [
        "pattern ^[a-z]+$ -> ^[a-y]+$ in client.get_foo(Name=...) and "
        f"client.get_foo(...)['Names'][0] ({WITNESS})"
    ]

    rendered = run(capsys, "render", str(saved))
    assert WITNESS in " ".join(rendered.split())  # wrapped at 100 columns
