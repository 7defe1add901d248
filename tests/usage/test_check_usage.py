"""`apidiff check OLD NEW --usage PATH`, end to end through the CLI: only the findings that touch
the sample project's calls, at file:line:col, in every format of the check, the gate with and
without --strict-usage, and a saved check rendered again.

Real pairs of bundled releases compared downwards (the newer as OLD) give real removals:
1.44.8 -> 1.44.7 removes route53's AZAffinity (passed only in a nested dict literal), a
paginator and its operation, and wafv2's and fsx's enum values passed as literals;
1.20.41 -> 1.20.40 removes sagemaker's AutoMLCandidate.CandidateProperties, reached only by a
response read.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from apidiff.classify import Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.render.check import CHECK_RENDERERS, TEXT_WIDTH
from apidiff.report.check import Finding, evaluate_check
from apidiff.report.serialize import check_schema
from apidiff.sources import open_source
from apidiff.usage.output import usage_schema
from tests.cli.test_check import SARIF_SCHEMA, run
from tests.cli.test_check_render import without_regions
from tests.usage.conftest import SAMPLE, line_of

DOWN_1_44 = ("bundled:botocore-1.44.8", "bundled:botocore-1.44.7")
DOWN_1_20 = ("bundled:botocore-1.20.41", "bundled:botocore-1.20.40")
# Only wafv2's create_web_acl, passing none of the members the downgrade removes from it.
WAF_ONLY = """import boto3

waf = boto3.client("wafv2")


def make(name):
    return waf.create_web_acl(Name=name, Scope="REGIONAL")
"""


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A copy of the sample project as the current folder, as a CI job checks out a repository."""
    project = tmp_path / "repo"
    shutil.copytree(SAMPLE, project)
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    return project


def place(file: str, text: str, call: str, *, below: int = 0) -> str:
    """`file:line:col` of `call` on the line of the sample file holding `text` (or `below`
    lines under it), read from the file itself: columns from 1, in characters."""
    line = line_of(file, text) + below
    source = (SAMPLE / file).read_text(encoding="utf-8").splitlines()[line - 1]
    return f"{file}:{line}:{source.index(call) + 1}"


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(capsys, "check", *args)


# --- text


def test_text_names_each_touched_call_at_its_place(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = check(capsys, *DOWN_1_44, "--usage", ".")
    assert (status, err) == (1, "")
    assert all(len(line) <= TEXT_WIDTH for line in out.splitlines() if line.startswith("    app/"))
    lines = calls_unwrapped(out).splitlines()
    affinity = place(
        "app/network.py", "def upsert_near(", "self.route53.change_resource_record_sets", below=1
    )
    assert (
        f"    {affinity}: route53.change_resource_record_sets — passes parameter "
        "'ChangeBatch.Changes[].ResourceRecordSet.AZAffinity' (breaking, member.removed)"
    ) in lines
    acl = place("app/network.py", "def create_small_acl(", "self.wafv2", below=1)
    assert (
        f"    {acl}: wafv2.create_web_acl — passes 'KB_8' as "
        "'AssociationConfig.RequestBody{}.DefaultSizeInspectionLimit' (risky, enum.value.removed)"
    ) in lines
    header = lines.index(
        "  [member.removed] route53: ResourceRecordSet.AZAffinity: AZAffinity removed from"
    )
    # The header, its explanation (wrapped), then the calls it touches.
    first_call = next(i for i in range(header, len(lines)) if lines[i].startswith("    app/"))
    assert lines[first_call].startswith(f"    {affinity}: ")
    assert all(not line.startswith("  [") for line in lines[header + 1 : first_call])


def test_text_sets_apart_findings_in_called_operations_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = check(capsys, *DOWN_1_44, "--usage", ".")
    lines = out.splitlines()
    untouched = next(line for line in lines if line.startswith("IN OPERATIONS YOU CALL"))
    listed = lines[lines.index(untouched) + 1 :]
    # MULTI_AZ_3 is in fsx's CreateFileSystem, which the code calls passing MULTI_AZ_2.
    multi_az = next(n for n, line in enumerate(listed) if "value MULTI_AZ_3 removed" in line)
    assert listed[multi_az + 1].endswith(" (risky)")
    assert not any("MULTI_AZ_3" in line for line in lines[: lines.index(untouched)])
    # Operations nobody calls: counted in one line, never listed.
    assert not any("GetHostedZoneChangeBatch removed" in line for line in lines)
    (rest,) = [line for line in lines if "in operations your code never calls" in line]
    assert int(rest.split()[0]) > 10
    assert "3 touching your calls at or above breaking" in lines[1]


def test_a_response_key_only_a_read_reaches(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = check(capsys, *DOWN_1_20, "--usage", "app")
    read = place("app/clients.py", "job = client.describe_auto_ml_job(", "client.")
    assert status == 1
    assert (
        f"    {read}: sagemaker.describe_auto_ml_job — reads response key "
        "'BestCandidate.CandidateProperties' (breaking, member.removed)"
    ) in calls_unwrapped(out).splitlines()


def findings_down_1_44() -> list[Finding]:
    """What the check finds going down from 1.44.8 to 1.44.7, every severity."""
    old, new = open_source(DOWN_1_44[0]), open_source(DOWN_1_44[1])
    report = compare_sources(old, new, CompareOptions(with_docs=False))
    return list(evaluate_check(report, min_severity=Severity.INFO).findings)


def test_a_touched_call_of_a_removed_operation_names_it_as_the_finding_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (removed,) = [
        finding
        for finding in findings_down_1_44()
        if finding.rule.id == "operation.removed"
        and finding.where == "ListResourceRecordSetChanges"
    ]
    assert removed.message.startswith("client.list_resource_record_set_changes(")
    _status, out, _err = check(capsys, *DOWN_1_44, "--usage", ".")
    pages = place(
        "app/network.py",
        'get_paginator("list_resource_record_set_changes")',
        "self.route53.get_paginator",
    )
    assert (
        f"    {pages}: route53 paginator list_resource_record_set_changes — calls it: "
        f"{removed.message} (breaking, operation.removed)"
    ) in calls_unwrapped(out).splitlines()
    assert removed.record.change.description not in calls_unwrapped(out)


def calls_unwrapped(text: str) -> str:
    """The text output with each touched call on one line: a call's line goes on under it,
    indented eight spaces, where it is longer than the output's width."""
    return text.replace("\n        ", " ")


def test_files_given_by_absolute_path_are_named_from_the_current_folder(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    _status, relative, _err = check(capsys, *DOWN_1_20, "--usage", "app")
    _status, absolute, _err = check(capsys, *DOWN_1_20, "--usage", str(isolated / "app"))
    assert absolute == relative
    assert str(isolated) not in absolute


def test_a_file_that_does_not_parse_is_listed_as_not_read(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    (isolated / "app" / "broken.py").write_text("import boto3\ndef (:\n", encoding="utf-8")
    status, out, err = check(capsys, *DOWN_1_20, "--usage", ".")
    assert (status, err) == (1, "")
    lines = out.splitlines()
    assert lines[lines.index("FILES NOT READ (1)") + 1].startswith("  app/broken.py:2: ")
    assert "1 not read" in lines[2]


# --- the gate


def test_only_touching_findings_fail_unless_strict_usage(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    (isolated / "waf.py").write_text(WAF_ONLY, encoding="utf-8")
    # A breaking removal in create_web_acl's request, on a path the code does not pass.
    status, out, _err = check(capsys, *DOWN_1_44, "--usage", "waf.py")
    assert status == 0
    assert "; passes" in out.splitlines()[1]
    status, out, _err = check(capsys, *DOWN_1_44, "--usage", "waf.py", "--strict-usage")
    assert status == 1
    assert "strict usage); fails: 1 at or above breaking" in out.splitlines()[1]
    status, _out, _err = check(capsys, *DOWN_1_44, "--usage", ".", "--fail-on", "none")
    assert status == 0


def test_strict_usage_without_usage_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = check(capsys, *DOWN_1_44, "--strict-usage")
    assert status == 2
    assert "--strict-usage applies with --usage PATH" in err


# --- CI formats


def test_github_annotates_the_lines_of_the_calls_from_the_repository_root(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    # A step with `working-directory: repo`: annotations name files from the workspace.
    monkeypatch.setenv("GITHUB_WORKSPACE", str(isolated.parent))
    status, out, _err = check(capsys, *DOWN_1_44, "--usage", ".", "--format", "github")
    assert status == 1
    file, line, column = place(
        "app/network.py", "def upsert_near(", "self.route53.change_resource_record_sets", below=1
    ).split(":")
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert f"::error file=repo/{file},line={line},col={column}," in "\n".join(errors)
    assert len(errors) == 3  # the three breaking touches: member, paginator, operation
    warnings = [line for line in out.splitlines() if line.startswith("::warning ")]
    assert len(warnings) == 3 and all("file=repo/app/" in line for line in warnings)


def test_github_says_why_a_call_is_touched_then_the_findings_message_and_advice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (affinity,) = [
        finding
        for finding in findings_down_1_44()
        if finding.rule.id == "member.removed" and finding.where == "ResourceRecordSet.AZAffinity"
    ]
    _status, out, _err = check(capsys, *DOWN_1_44, "--usage", ".", "--format", "github")
    file, line, column = place(
        "app/network.py", "def upsert_near(", "self.route53.change_resource_record_sets", below=1
    ).split(":")
    (annotation,) = [
        annotation
        for annotation in out.splitlines()
        if annotation.startswith(f"::error file={file},line={line},col={column},")
    ]
    assert annotation.endswith(
        "::passes parameter 'ChangeBatch.Changes[].ResourceRecordSet.AZAffinity': "
        f"{affinity.message}. {affinity.advice}"
    )


def test_sarif_places_each_touch_in_the_users_file_with_the_model_related(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    # Code scanning reads files from the repository's root too.
    monkeypatch.setenv("GITHUB_WORKSPACE", str(isolated.parent))
    _status, out, _err = check(capsys, *DOWN_1_20, "--usage", ".", "--format", "sarif")
    document = json.loads(out)
    jsonschema.validate(document, SARIF_SCHEMA)
    file, line, column = place(
        "app/clients.py", "job = client.describe_auto_ml_job(", "client."
    ).split(":")
    (result,) = [
        result
        for result in document["runs"][0]["results"]
        if result["ruleId"] == "member.removed"
        and "CandidateProperties" in result["message"]["text"]
    ]
    (location,) = result["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": f"repo/{file}"},
        "region": {"startLine": int(line), "startColumn": int(column)},
    }
    (related,) = result["relatedLocations"]
    model = related["physicalLocation"]
    assert model["artifactLocation"]["uri"].startswith("botocore/data/sagemaker/")
    assert model["artifactLocation"]["uri"].endswith("/service-2.json")
    assert model["region"]["startLine"] > 1


def test_markdown_lists_each_touching_finding_with_its_calls_within_its_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = check(capsys, *DOWN_1_44, "--usage", ".", "--format", "markdown")
    lines = out.splitlines()
    affinity = place(
        "app/network.py", "def upsert_near(", "self.route53.change_resource_record_sets", below=1
    )
    item = next(
        number
        for number, line in enumerate(lines)
        if line.startswith(
            "- **breaking** `member.removed` route53: ResourceRecordSet.AZAffinity: "
            "AZAffinity removed from client.change\\_resource\\_record\\_sets\\("
        )
    )
    assert lines[item + 1].startswith(f"  - `{affinity}: route53.change_resource_record_sets — ")
    assert "### Touching your calls (6)" in lines
    assert any(line.startswith("### In operations you call, on paths") for line in lines)


def test_markdown_past_its_limit_counts_what_it_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from apidiff.render.check import check_markdown
    from apidiff.render.check_usage import UsageGate
    from apidiff.usage import scan_usage
    from apidiff.usage.match import match_usage

    old, new = open_source(DOWN_1_44[0]), open_source(DOWN_1_44[1])
    result = evaluate_check(compare_sources(old, new, CompareOptions(with_docs=False)))
    gate = UsageGate(match_usage(result, scan_usage(["."], old)))
    whole = check_markdown(result, limit=60_000, usage=gate)
    cut = check_markdown(result, limit=len(whole) - 200, usage=gate)
    assert len(cut) <= len(whole) - 200
    assert "_and " in cut and "_and " not in whole
    listed = len(gate.touching(result)) + len(gate.untouched(result))
    # Items of touching findings, and rows of the table after its header and separator.
    shown = cut.count("\n- **") + cut.count("\n| ") - 2
    (closing,) = [line for line in cut.splitlines() if line.startswith("_and ")]
    assert shown + int(closing.split()[1]) == listed


def test_junit_has_a_testcase_per_call_and_a_failure_per_failing_finding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = check(capsys, *DOWN_1_44, "--usage", ".", "--format", "junit")
    root = ElementTree.fromstring(out.encode("utf-8"))
    pages = place(
        "app/network.py",
        'get_paginator("list_resource_record_set_changes")',
        "self.route53.get_paginator",
    )
    (suite,) = [suite for suite in root if suite.get("name") == "app/network.py"]
    (case,) = [case for case in suite if case.get("name", "").startswith(f"{pages} ")]
    # The operation and its paginator are both removed: two failures on the one call.
    assert sorted(failure.get("type", "") for failure in case.iter("failure")) == [
        "breaking",
        "breaking",
    ]
    acl = place("app/network.py", "def create_small_acl(", "self.wafv2", below=1)
    (risky,) = [case for case in suite if case.get("name", "").startswith(f"{acl} ")]
    assert not list(risky.iter("failure"))  # risky: below --fail-on breaking
    assert int(suite.get("failures", "")) == 2


def test_json_holds_the_match_valid_against_the_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _err = check(
        capsys, *DOWN_1_44, "--usage", ".", "--format", "json", "--strict-usage"
    )
    document = json.loads(out)
    jsonschema.validate(document, check_schema())
    assert (status, document["check"]["failed"], document["check"]["strict_usage"]) == (
        1,
        True,
        True,
    )
    files = {touch["file"] for item in document["usage"]["touching"] for touch in item["touches"]}
    assert files == {"app/network.py", "app/typed.py"}
    fingerprints = {finding["fingerprint"] for finding in document["check"]["findings"]}
    assert {item["fingerprint"] for item in document["usage"]["touching"]} <= fingerprints | {
        hidden["fingerprint"] for hidden in document["check"]["hidden"]
    }


def test_the_check_schema_holds_the_usage_schemas_match_as_it_is() -> None:
    copied = check_schema()["$defs"]
    original = usage_schema()["$defs"]
    assert json.dumps(copied["usage_match"]).replace("usage_problem", "problem") == json.dumps(
        original["usage_match"]
    )
    assert copied["usage_problem"] == original["problem"]


# --- a saved check rendered again


@pytest.mark.parametrize(
    "options",
    [(), ("--strict-usage", "--min-severity", "info"), ("--fail-on", "risky")],
    ids=["default", "strict-info", "risky-gate"],
)
def test_a_saved_check_with_usage_renders_as_the_check_in_every_format(
    capsys: pytest.CaptureFixture[str], isolated: Path, options: tuple[str, ...]
) -> None:
    (isolated / "broken.py").write_text("import boto3\nx = (\n", encoding="utf-8")
    saved = isolated.parent / "check.json"
    status, _out, _err = check(
        capsys, *DOWN_1_44, "--usage", ".", *options, "--format", "json", "-o", str(saved)
    )
    for output_format in sorted(CHECK_RENDERERS):
        direct_status, direct, _err = check(
            capsys, *DOWN_1_44, "--usage", ".", *options, "--format", output_format
        )
        assert direct_status == status
        again_status, again, err = run(capsys, "render", str(saved), "--format", output_format)
        assert (again_status, err) == (0, "")
        if output_format == "sarif":
            assert without_regions(json.loads(again)) == without_regions(json.loads(direct))
        else:
            assert again == direct, output_format


def test_a_saved_check_naming_a_finding_it_does_not_hold_is_one_line(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    saved = isolated.parent / "check.json"
    check(capsys, *DOWN_1_20, "--usage", ".", "--format", "json", "-o", str(saved))
    document: dict[str, Any] = json.loads(saved.read_text(encoding="utf-8"))
    document["usage"]["untouched"].append("000000000000")
    saved.write_text(json.dumps(document), encoding="utf-8")
    status, out, err = run(capsys, "render", str(saved))
    assert status != 0 and out == ""
    assert err.count("\n") == 1 and "000000000000" in err and str(saved) in err


def test_the_step_summary_beside_the_annotations_lists_the_touching_findings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    summary = isolated.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    check(capsys, *DOWN_1_20, "--usage", ".", "--format", "github")
    written = summary.read_text(encoding="utf-8")
    read = place("app/clients.py", "job = client.describe_auto_ml_job(", "client.")
    assert "### Touching your calls (1)" in written
    assert f"  - `{read}: sagemaker.describe_auto_ml_job — reads response key " in written


def test_a_usage_path_that_does_not_exist_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = check(capsys, *DOWN_1_20, "--usage", "no/such/folder")
    assert (status, out) == (3, "")
    assert err == "apidiff: error: no/such/folder: no such file or directory\n"


def test_markdown_names_the_first_files_not_read_and_counts_the_others(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    for number in range(25):
        (isolated / f"old_{number:02}.py").write_text("print 'boto'\n", encoding="utf-8")
    _status, out, _err = check(capsys, *DOWN_1_20, "--usage", ".", "--format", "markdown")
    lines = out.splitlines()
    assert "Files not read (25):" in lines
    named = [line for line in lines if line.startswith("- old\\_")]
    assert [line.split(":")[0] for line in named] == [f"- old\\_{n:02}.py" for n in range(20)]
    assert any(line.startswith("- and 5 more (see ") for line in lines)
