"""`apidiff check`, end to end through the CLI, on the bundled real model pairs.

1.20.73 -> 1.20.74 removes an operation and a member (breaking); 1.35.71 -> 1.35.72 has
only risky and safe changes; 1.20.40 -> 1.20.41 only safe ones. Seen on the wire,
1.20.73 -> 1.20.74 has findings at every level (MIXED).
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from apidiff.cli import main
from apidiff.cli.check import STEP_SUMMARY_LIMIT, append_step_summary
from apidiff.render.check import render_check_github, render_check_markdown
from apidiff.report.check import evaluate_check
from apidiff.report.serialize import check_schema, report_schema
from tests.conftest import FIXTURES, MODELS
from tests.report.test_check import synthetic_report

BREAKING = ("bundled:botocore-1.20.73", "bundled:botocore-1.20.74")
# invoicing is new in 1.35.72; bundled models hold only some services, so only
# --all-services compares a service one side lacks (as added).
RISKY = ("bundled:botocore-1.35.71", "bundled:botocore-1.35.72", "--all-services")
# For the sdk, 1.44.7 -> 1.44.8 (fsx, route53, wafv2) has one risky finding and no breaking one:
# route53's waiter HealthCheckSourceCreated polls up to 100 times instead of 40 (waiter.changed).
ONE_RISKY = ("bundled:botocore-1.44.7", "bundled:botocore-1.44.8")
SAFE = ("bundled:botocore-1.20.40", "bundled:botocore-1.20.41")
# On the wire, 1.20.73 -> 1.20.74 is 1 breaking (operation.removed), 6 risky (member.removed,
# and what a peer on the old model may receive: 4 enum.value.added and the UUID
# constraint.min.lowered, all in responses), 3 safe (operation.added, 2 shape.added).
# From the sdk perspective the enum values and the lowered minimum are not risky (info in
# responses, and the minimum is safe in requests), so the pair has no risky finding there.
MIXED = (*BREAKING, "--perspective", "wire")
PAIRS = pytest.mark.parametrize("pair", [BREAKING, RISKY, SAFE], ids=["breaking", "risky", "safe"])
SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
GITHUB_COMMENT_LIMIT = 65_536


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def check(capsys: pytest.CaptureFixture[str], pair: tuple[str, ...], *options: str) -> Any:
    """The JSON output of `check` on a pair, parsed."""
    _status, out, _err = run(capsys, "check", *pair, *options, "--format", "json")
    return json.loads(out)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No pyproject.toml of the repository, and no GitHub step summary of a CI run."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- exit status


def test_removed_operation_fails_the_build(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", *BREAKING)
    assert (status, err) == (1, "")
    assert "fails: 2 at or above breaking" in out.splitlines()[1]


def test_risky_and_safe_changes_pass_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", *ONE_RISKY)
    assert status == 0
    summary = out.splitlines()[1]
    assert summary.startswith("0 breaking, 1 risky, ")
    assert summary.endswith(" info (sdk perspective); passes")


def test_fail_on_risky_fails_on_risky_findings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", *ONE_RISKY, "--fail-on", "risky")
    assert status == 1
    # The waiter.changed finding (see ONE_RISKY).
    assert out.splitlines()[1].endswith("fails: 1 at or above risky")


def test_fail_on_none_always_passes(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", *BREAKING, "--fail-on", "none")
    assert status == 0
    assert "BREAKING (2)" in out


@pytest.mark.parametrize(("fail_on", "status"), [("breaking", 0), ("risky", 0), ("safe", 1)])
def test_safe_changes_fail_only_at_fail_on_safe(
    capsys: pytest.CaptureFixture[str], fail_on: str, status: int
) -> None:
    assert run(capsys, "check", *SAFE, "--fail-on", fail_on)[0] == status


@pytest.mark.parametrize(
    "args",
    [
        ("check", *BREAKING, "--perspective", "python"),
        ("check", *BREAKING, "--format", "pdf"),
        ("check", *BREAKING, "--fail-on", "fatal"),
        ("check", *BREAKING, "--min-severity", "fatal"),
        ("check", BREAKING[0]),
        ("check", *BREAKING, "extra"),
    ],
    ids=["perspective", "format", "fail-on", "min-severity", "one-source", "three-sources"],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    status, out, err = run(capsys, *args)
    assert (status, out) == (2, "")
    # One line, like every other error, pointing at the help.
    assert err.startswith("apidiff: error: ")
    assert err.endswith("(see 'apidiff check --help')\n")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("nowhere", "apidiff: error: nowhere: no such file or directory\n"),
        (
            "bundled:botocore-0",
            "apidiff: error: bundled:botocore-0: no bundled models of that name",
        ),
        (
            str(FIXTURES / "bad_models" / "not-json.json"),
            f"apidiff: error: {FIXTURES / 'bad_models' / 'not-json.json'}: not valid JSON",
        ),
    ],
    ids=["missing-path", "unknown-bundle", "bad-json"],
)
def test_unloadable_input_exits_3_with_one_line(
    capsys: pytest.CaptureFixture[str], old: str, message: str
) -> None:
    status, out, err = run(capsys, "check", old, BREAKING[1])
    assert (status, out) == (3, "")
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_unloadable_input_writes_no_output_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "findings.sarif"
    status, _out, _err = run(capsys, "check", "nowhere", BREAKING[1], "-o", str(target))
    assert status == 3
    assert not target.exists()


# --- what is shown


def test_min_severity_filters_what_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", *BREAKING, "--min-severity", "breaking")
    assert status == 1
    assert "BREAKING (2)" in out
    assert "RISKY" not in out
    assert "SAFE" not in out


def test_min_severity_info_shows_info_findings(capsys: pytest.CaptureFixture[str]) -> None:
    default = check(capsys, SAFE)
    everything = check(capsys, SAFE, "--min-severity", "info")
    shown = {finding["severity"] for finding in default["check"]["findings"]}
    assert "info" not in shown
    assert "info" in {finding["severity"] for finding in everything["check"]["findings"]}
    # Counts are of every finding, shown or not, so the summary never hides any.
    assert everything["check"]["counts"] == default["check"]["counts"]


def test_min_severity_does_not_change_the_gate(capsys: pytest.CaptureFixture[str]) -> None:
    # The risky finding is hidden by --min-severity breaking, yet still fails --fail-on risky.
    status, _out, _err = run(
        capsys, "check", *ONE_RISKY, "--fail-on", "risky", "--min-severity", "breaking"
    )
    assert status == 1


def test_text_groups_findings_by_severity_most_severe_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *MIXED, "--min-severity", "safe")
    lines = out.splitlines()
    assert lines[0] == "apidiff check: botocore 1.20.73 -> botocore 1.20.74"
    headings = [line for line in lines if re.fullmatch(r"[A-Z]+ \(\d+\)", line)]
    assert headings == ["BREAKING (1)", "RISKY (6)", "SAFE (3)"]
    # Seen from the wire: the operation a peer calls, and advice about peers, not Python.
    removed = lines.index(
        "  [operation.removed] iotdeviceadvisor: ListTestCases: ListTestCases removed"
    )
    assert lines.index("BREAKING (1)") < removed < lines.index("RISKY (6)")
    assert lines[removed + 1].startswith("    An api method was removed. The service may stop")
    assert lines[removed + 3] == "    affects: ListTestCases"
    member = lines.index(
        "  [member.removed] iotdeviceadvisor: SuiteRunConfiguration.secondaryDevice: "
        "secondaryDevice removed"
    )
    assert lines[member + 1] == (
        "      from StartSuiteRun request suiteRunConfiguration.secondaryDevice and GetSuiteRun "
        "response"
    )
    assert "request body" in lines[member + 3] and "AttributeError" not in out


def test_text_cuts_a_long_call_or_response_path_where_python_allows_a_space(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # qbusiness's BlockedPhrases is passed as one 112-character word of a call.
    _status, out, _err = run(capsys, "check", *RISKY[:2], "--min-severity", "info")
    lines = out.splitlines()
    body = [line for line in lines if line.startswith("    ")]
    assert body and all(len(line) <= 100 for line in body)
    cut = lines.index(
        "      client.update_chat_controls_configuration(blockedPhrasesConfigurationUpdate="
    )
    assert lines[cut + 1] == "      {'blockedPhrasesToCreateOrUpdate': ...})"


def test_text_fits_a_terminal_and_counts_what_it_does_not_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pair = ("bundled:botocore-1.44.7", "bundled:botocore-1.44.8")
    # A new wafv2 enum value reaches 64 api methods; it is in their error responses, so info
    # for the sdk, listed only with --min-severity info.
    _status, out, _err = run(capsys, "check", *pair, "--min-severity", "info")
    lines = out.splitlines()
    body = [line for line in lines if line.startswith("    ")]
    assert body and all(len(line) <= 100 for line in body)
    affects = next(
        index for index, line in enumerate(lines) if line.startswith("    affects: AssociateWebACL")
    )
    assert lines[affects + 1].startswith(" " * len("    affects: "))
    assert lines[affects + 1].endswith(" and 56 more")
    # "and N more" is never cut in two by the wrapping (fsx's list wraps right before it).
    assert not any(re.search(r" and \d+$", line) for line in lines)
    assert "             and 10 more" in lines
    assert not lines[-1].endswith("not listed (--min-severity info lists them).")
    # By default (risky and above) only the route53 waiter.changed is listed.
    _status, out, _err = run(capsys, "check", *pair)
    lines = out.splitlines()
    safe, info = re.search(r"(\d+) safe, (\d+) info", lines[1]).groups()  # type: ignore[union-attr]
    assert (
        lines[-1]
        == f"{safe} safe and {info} info findings not listed (--min-severity info lists them)."
    )


def test_safe_findings_are_listed_only_with_min_severity_safe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *MIXED)
    headings = [line for line in out.splitlines() if re.fullmatch(r"[A-Z]+ \(\d+\)", line)]
    assert headings == ["BREAKING (1)", "RISKY (6)"]
    # Counted all the same.
    assert out.splitlines()[1].startswith("1 breaking, 6 risky, 3 safe, ")


def test_output_option_writes_the_file_instead_of_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "check.txt"
    status, out, _err = run(capsys, "check", *BREAKING, "-o", str(target))
    assert (status, out) == (1, "")
    assert target.read_text(encoding="utf-8").startswith("apidiff check: botocore 1.20.73")


def test_service_option_limits_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    document = check(capsys, RISKY, "--service", "qbusiness", "--min-severity", "info")
    assert {finding["service"] for finding in document["check"]["findings"]} == {"qbusiness"}


# --- json


@PAIRS
def test_json_holds_findings_and_a_valid_report(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str]
) -> None:
    document = check(capsys, pair, "--min-severity", "info")
    jsonschema.validate(document["report"], report_schema())
    jsonschema.Draft202012Validator(check_schema()).validate(document)
    findings = document["check"]["findings"]
    counted = Counter(finding["severity"] for finding in findings)
    assert document["check"]["counts"] == {
        severity: counted[severity] for severity in ("breaking", "risky", "safe", "info")
    }
    assert document["check"]["failed"] is (pair == BREAKING)


def test_json_names_the_findings_below_min_severity_without_listing_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = check(capsys, BREAKING)
    jsonschema.Draft202012Validator(check_schema()).validate(document)
    hidden = document["check"]["hidden"]
    assert {item["severity"] for item in hidden} == {"safe", "info"}
    counts = document["check"]["counts"]
    assert len(hidden) == counts["safe"] + counts["info"]
    assert len(document["check"]["findings"]) == counts["breaking"] + counts["risky"]


def test_json_findings_carry_rule_explanation_and_paths(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = check(capsys, BREAKING)
    first = document["check"]["findings"][0]
    assert (first["rule"], first["severity"], first["service"]) == (
        "operation.removed",
        "breaking",
        "iotdeviceadvisor",
    )
    assert first["explanation"].startswith("An api method was removed.")
    member = document["check"]["findings"][1]
    assert member["operations"] == ["GetSuiteRun", "StartSuiteRun"]
    assert {path["position"] for path in member["paths"]} <= {"request", "response"}


# --- sarif


@PAIRS
def test_sarif_is_valid_against_the_sarif_2_1_0_schema(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str]
) -> None:
    status, out, _err = run(capsys, "check", *pair, "--format", "sarif", "--min-severity", "info")
    validator = jsonschema.Draft7Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = [error.message for error in validator.iter_errors(json.loads(out))]
    assert errors == []
    assert status == (1 if pair == BREAKING else 0)


def test_sarif_results_name_their_rule_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "check", *MIXED, "--format", "sarif", "--min-severity", "safe")
    run_ = json.loads(out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    levels = {result["ruleId"]: result["level"] for result in results}
    # Breaking, risky and safe on the wire (see MIXED).
    assert levels["operation.removed"] == "error"
    assert levels["member.removed"] == "warning"
    assert levels["enum.value.added"] == "warning"
    assert levels["operation.added"] == "note"
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["apidiff/v1"]
        assert result["message"]["text"]


def test_sarif_lists_safe_findings_only_with_min_severity_safe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *MIXED, "--format", "sarif")
    levels = Counter(result["level"] for result in json.loads(out)["runs"][0]["results"])
    # The 3 safe findings of MIXED are not results.
    assert levels == {"error": 1, "warning": 6}


def test_sarif_fingerprints_are_the_json_fingerprints(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "check", *RISKY, "--format", "sarif")
    sarif = [
        result["partialFingerprints"]["apidiff/v1"]
        for result in json.loads(out)["runs"][0]["results"]
    ]
    assert sarif == [
        finding["fingerprint"] for finding in check(capsys, RISKY)["check"]["findings"]
    ]


def test_sarif_regions_point_at_the_line_of_the_model_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *BREAKING, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    removal = results[0]["locations"][0]
    assert removal["physicalLocation"]["artifactLocation"]["uri"] == (
        "botocore/data/iotdeviceadvisor/2020-09-18/service-2.json"
    )
    old_model = MODELS / "botocore-1.20.73" / "iotdeviceadvisor" / "2020-09-18"
    lines = gzip.decompress((old_model / "service-2.json.gz").read_bytes()).decode().split("\n")
    region = removal["physicalLocation"]["region"]
    assert lines[region["startLine"] - 1][region["startColumn"] - 1 :].startswith(
        '"ListTestCases":{'
    )
    assert removal["logicalLocations"] == [
        {"name": "iotdeviceadvisor", "fullyQualifiedName": "iotdeviceadvisor", "kind": "module"},
        {
            "name": "ListTestCases",
            "fullyQualifiedName": "iotdeviceadvisor.ListTestCases",
            "kind": "function",
        },
    ]
    member = results[1]["locations"][0]["logicalLocations"]
    assert [location["kind"] for location in member] == [
        "module",
        "function",
        "function",
        "member",
        "member",
        "member",
    ]
    assert member[3]["fullyQualifiedName"] == (
        "iotdeviceadvisor.GetSuiteRun.response.suiteRunConfiguration.secondaryDevice"
    )
    assert member[5]["fullyQualifiedName"] == (
        "iotdeviceadvisor.SuiteRunConfiguration.secondaryDevice"
    )


# --- junit


def test_junit_failures_name_the_methods_and_member_paths(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *BREAKING, "--format", "junit")
    failures = ElementTree.fromstring(out).findall(".//testcase/failure")
    assert failures[1].get("message") == (
        "secondaryDevice removed from client.start_suite_run(suiteRunConfiguration="
        "{'secondaryDevice': ...}) and client.get_suite_run(...)['suiteRunConfiguration']"
        "['secondaryDevice'] (in GetSuiteRun response suiteRunConfiguration.secondaryDevice; "
        "StartSuiteRun request suiteRunConfiguration.secondaryDevice)"
    )
    text = (failures[1].text or "").splitlines()
    assert "operations: GetSuiteRun, StartSuiteRun" in text
    assert "  StartSuiteRun request suiteRunConfiguration.secondaryDevice" in text


def test_junit_has_a_failure_for_each_failing_finding(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "check", *MIXED, "--format", "junit")
    root = ElementTree.fromstring(out)
    failures = root.findall(".//testcase/failure")
    # MIXED shows 1 breaking and 6 risky findings: 7 cases, only the breaking one failing.
    assert [failure.get("type", "") for failure in failures] == ["breaking"]
    assert len(root.findall(".//testcase")) == 7
    assert sum(int(suite.get("failures", "0")) for suite in root.iter("testsuite")) == 1


def test_junit_fail_on_risky_fails_risky_cases_too(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "check", *MIXED, "--format", "junit", "--fail-on", "risky")
    failures = ElementTree.fromstring(out).findall(".//testcase/failure")
    assert Counter(failure.get("type") for failure in failures) == {"breaking": 1, "risky": 6}


def test_junit_without_findings_is_one_passing_case(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(
        capsys, "check", *SAFE, "--format", "junit", "--min-severity", "breaking"
    )
    root = ElementTree.fromstring(out)
    assert [case.get("name") for case in root.iter("testcase")] == ["no findings"]
    assert root.findall(".//failure") == []


# --- github


def test_github_annotates_errors_and_warnings_then_a_notice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _err = run(capsys, "check", *MIXED, "--format", "github")
    lines = out.splitlines()
    assert status == 1
    commands = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert commands == ["::error"] * 1 + ["::warning"] * 6 + [
        "::notice",
        "::group::apidiff",
        "::endgroup::",
    ]
    assert lines[0].startswith(
        "::error title=operation.removed (iotdeviceadvisor%3A ListTestCases)::"
    )
    assert lines[7].startswith("::notice title=apidiff::1 breaking, 6 risky, 3 safe, ")
    assert lines[7].endswith(" info (wire perspective); fails: 1 at or above breaking")
    # Every finding annotated: no line says some were left out.
    assert "more (see the full report" not in out


def test_github_lists_every_finding_shown_in_a_group_of_the_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *BREAKING, "--format", "github")
    lines = out.splitlines()
    group = lines[lines.index("::group::apidiff check: every finding, most severe first") + 1 :]
    listed = group[: group.index("::endgroup::")]
    findings = check(capsys, BREAKING)["check"]["findings"]
    assert [line.split(" [", 1)[0] for line in listed] == [
        f"{finding['severity']} {finding['location']}" for finding in findings
    ]
    assert listed[1].startswith(
        "breaking iotdeviceadvisor: SuiteRunConfiguration.secondaryDevice [member.removed] "
        "secondaryDevice removed from client.start_suite_run(suiteRunConfiguration="
        "{'secondaryDevice': ...}) and client.get_suite_run(...)['suiteRunConfiguration']"
        "['secondaryDevice']. In requests: Passing it raises ParamValidationError"
    )
    assert listed[1].endswith(
        "(affects GetSuiteRun response suiteRunConfiguration.secondaryDevice; "
        "StartSuiteRun request suiteRunConfiguration.secondaryDevice)"
    )


def test_github_appends_the_markdown_report_to_the_step_summary(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = write(tmp_path / "step-summary.md", "# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(capsys, "check", *BREAKING, "--format", "github")
    _status, markdown, _err = run(capsys, "check", *BREAKING, "--format", "markdown")
    assert summary.read_text(encoding="utf-8") == "# earlier step\n" + markdown


def test_other_formats_leave_the_step_summary_alone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = write(tmp_path / "step-summary.md", "")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(capsys, "check", *BREAKING, "--format", "sarif")
    assert summary.read_text(encoding="utf-8") == ""


def test_github_annotates_ten_a_level_most_severe_first_and_counts_the_rest() -> None:
    result = evaluate_check(synthetic_report(findings_per_service=20, services=2))
    lines = render_check_github(result).splitlines()
    assert len(result.failing) == 40
    errors = [line for line in lines if line.startswith("::error ")]
    assert errors == [
        line for line in lines[:10] if line.startswith("::error title=member.removed (service00")
    ]
    assert [line.split("%3A ", 1)[1].split(")", 1)[0] for line in errors] == [
        f"Shape{index:05d}.Field" for index in range(10)
    ]
    assert sum(line.startswith("::warning ") for line in lines) == 2
    notices = [line for line in lines if line.startswith("::notice ")]
    assert notices[0].startswith("::notice title=apidiff::40 breaking, 2 risky")
    # 42 shown, 12 annotated.
    assert notices[1] == (
        '::notice title=apidiff::and 30 more (see the full report: the group "apidiff check: '
        "every finding, most severe first\" in this step's log); GitHub "
        "annotates 10 errors and 10 warnings a step"
    )
    assert len(lines) == 12 + 2 + 1 + 42 + 1


def test_a_big_step_summary_keeps_the_most_severe_and_fits_what_is_left(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = evaluate_check(synthetic_report(findings_per_service=2000, services=3))
    earlier = "x" * (STEP_SUMMARY_LIMIT - 20_000) + "\n"
    summary = write(tmp_path / "summary.md", earlier)
    append_step_summary(summary, result)
    written = summary.read_bytes()
    assert len(written) <= STEP_SUMMARY_LIMIT
    markdown = written.decode("utf-8")[len(earlier) :]
    assert "| service00 | Shape00000.Field | `member.removed` |" in markdown
    assert re.search(
        r"_and \d+ more \(see the full report: the group .* in this step's log\)", markdown
    )


def test_a_full_step_summary_is_left_as_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = evaluate_check(synthetic_report(findings_per_service=5, services=1))
    earlier = "x" * (STEP_SUMMARY_LIMIT - 100)
    summary = write(tmp_path / "summary.md", earlier)
    append_step_summary(summary, result)
    assert summary.read_text("utf-8") == earlier
    assert capsys.readouterr().err == (
        f"apidiff: warning: {summary}: the step summary is nearly full; the check's summary "
        "was not added\n"
    )


# --- markdown


def test_markdown_has_a_summary_table_and_a_table_per_severity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *MIXED, "--format", "markdown")
    assert out.startswith("## apidiff check: botocore 1.20.73 → botocore 1.20.74\n")
    assert "| breaking | 1 |\n| risky | 6 |\n| safe | 3 |" in out
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings == ["### Breaking (1)", "### Risky (6)"]
    rows = [line for line in out.splitlines() if line.startswith("| iotdeviceadvisor |")]
    findings = check(capsys, MIXED)["check"]["findings"]
    assert [row.split(" | ")[2] for row in rows] == [f"`{finding['rule']}`" for finding in findings]
    assert "Listed: risky and above (safe and info findings are counted" in out
    assert "more (see the full report" not in out


def test_markdown_lists_safe_findings_with_min_severity_safe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(
        capsys, "check", *MIXED, "--format", "markdown", "--min-severity", "safe"
    )
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings == ["### Breaking (1)", "### Risky (6)", "### Safe (3)"]


def test_big_markdown_report_stays_under_the_github_comment_limit() -> None:
    result = evaluate_check(synthetic_report(findings_per_service=2000, services=3))
    markdown = render_check_markdown(result)
    assert len(markdown) < GITHUB_COMMENT_LIMIT
    assert "| breaking | 6000 |" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| service0")]
    assert rows[0].startswith("| service00 | Shape00000.Field |")
    # The rows kept are the first ones, whole; the rest are counted.
    shown = [f"| {finding.service} | {finding.where} |" for finding in result.findings]
    assert [row[: len(prefix)] for row, prefix in zip(rows, shown, strict=False)] == shown[
        : len(rows)
    ]
    assert markdown.endswith(
        f"_and {len(result.findings) - len(rows)} more (see the full report: the text or JSON "
        "output of `apidiff check` (`--format text`, `--format json`))._\n"
    )


# --- perspectives


def write_pair(tmp_path: Path, change: str, value: str) -> tuple[str, str]:
    """A real model (iotdeviceadvisor from 1.20.74), and a copy with one member's `change`
    set to `value`."""
    source = MODELS / "botocore-1.20.74" / "iotdeviceadvisor" / "2020-09-18" / "service-2.json.gz"
    document = json.loads(gzip.decompress(source.read_bytes()))
    paths = []
    for side in ("old", "new"):
        if side == "new":
            document["shapes"]["ListSuiteRunsRequest"]["members"]["maxResults"][change] = value
        folder = tmp_path / side / "iotdeviceadvisor" / "2020-09-18"
        folder.mkdir(parents=True)
        paths.append(str(write(folder / "service-2.json", json.dumps(document))))
    return paths[0], paths[1]


def test_wire_name_change_is_safe_for_sdk_and_breaking_on_the_wire(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pair = write_pair(tmp_path, "locationName", "MaxResults")
    sdk_status, sdk_out, _err = run(capsys, "check", *pair, "--min-severity", "safe")
    wire_status, wire_out, _err = run(capsys, "check", *pair, "--perspective", "wire")
    assert (sdk_status, wire_status) == (0, 1)
    assert "SAFE (1)\n  [wire.name.changed] iotdeviceadvisor: ListSuiteRunsRequest.maxResults" in (
        sdk_out
    )
    assert "BREAKING (1)\n  [wire.name.changed]" in wire_out


def test_stubber_perspective_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    document = check(capsys, BREAKING, "--perspective", "stubber")
    assert document["check"]["perspective"] == "stubber"
    assert document["check"]["failed"] is True


def test_removed_member_is_breaking_for_sdk_and_risky_on_the_wire(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def severity_of_removed_member(perspective: str) -> str:
        findings = check(capsys, BREAKING, "--perspective", perspective)["check"]["findings"]
        return str(next(f["severity"] for f in findings if f["rule"] == "member.removed"))

    assert severity_of_removed_member("sdk") == "breaking"
    assert severity_of_removed_member("wire") == "risky"


# --- ignore files and overrides

ACCEPT_BOTH = """
[[ignore]]
rule = "operation.removed"
operation = "ListTest*"
reason = "We never call ListTestCases"

[[ignore]]
rule = "member"
shape = "SuiteRun*"
member = "secondaryDevice"
reason = "Only one device in our tests"
"""


def test_ignore_entries_suppress_the_breaking_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ignores = write(tmp_path / "apidiff-ignore.toml", ACCEPT_BOTH)
    status, out, _err = run(capsys, "check", *BREAKING, "--ignore-file", str(ignores))
    assert status == 0
    assert "BREAKING" not in out
    ignored = out[out.index("IGNORED (2)") :].splitlines()
    assert ignored[1] == (
        f"  [operation.removed] iotdeviceadvisor: ListTestCases: We never call ListTestCases "
        f"({ignores}: ignore #1)"
    )
    assert ignored[2].startswith(
        "  [member.removed] iotdeviceadvisor: SuiteRunConfiguration.secondaryDevice: "
        "Only one device in our tests"
    )


def test_ignored_findings_are_listed_in_json_with_their_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ignores = write(tmp_path / "apidiff-ignore.toml", ACCEPT_BOTH)
    document = check(capsys, BREAKING, "--ignore-file", str(ignores))
    suppressed = document["check"]["suppressed"]
    assert [(item["rule"], item["ignored_by"]["reason"]) for item in suppressed] == [
        ("operation.removed", "We never call ListTestCases"),
        ("member.removed", "Only one device in our tests"),
    ]
    assert document["check"]["failed"] is False


def test_ignore_entry_that_matches_nothing_is_reported_unused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ignores = write(
        tmp_path / "ignore.toml",
        '[[ignore]]\nrule = "waiter.removed"\nservice = "sagemaker"\nreason = "Old waiter"\n',
    )
    status, out, _err = run(capsys, "check", *BREAKING, "--ignore-file", str(ignores))
    assert status == 1
    assert "UNUSED IGNORE ENTRIES\n" in out
    assert f"  {ignores}: ignore #1: rule waiter.removed matched nothing" in out
    unused = check(capsys, BREAKING, "--ignore-file", str(ignores))["check"]["unused_ignores"]
    assert unused == [
        {
            "where": f"{ignores}: ignore #1",
            "rule": "waiter.removed",
            "reason": "Old waiter",
            "service": "sagemaker",
            "operation": "*",
            "shape": "*",
            "member": "*",
            "expires": None,
        }
    ]


def test_expired_ignore_entry_is_not_applied_and_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ignores = write(
        tmp_path / "ignore.toml",
        ACCEPT_BOTH.replace(
            'reason = "We never call ListTestCases"',
            'reason = "We never call ListTestCases"\nexpires = 2021-06-30',
        ),
    )
    status, out, _err = run(capsys, "check", *BREAKING, "--ignore-file", str(ignores))
    assert status == 1
    assert "BREAKING (1)\n  [operation.removed]" in out
    assert "EXPIRED IGNORE ENTRIES (no longer applied)\n" in out
    assert f"  {ignores}: ignore #1: rule operation.removed expired on 2021-06-30" in out
    assert "UNUSED" not in out


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[[ignore]]\nrule = "no.such.rule"\nreason = "x"\n', '"rule" must name a rule'),
        ('[[ignore]]\nrule = "oper"\nreason = "x"\n', '"rule" must name a rule'),
        ('[[ignore]]\nrule = "member.removed"\n', '"reason" is required'),
        ('[[ignore]]\nrule = "member.removed"\nreason = "  "\n', '"reason" must be a sentence'),
        ('[[ignore]\nrule = "member.removed"\n', "not valid TOML"),
        (
            '[[ignore]]\nrule = "member"\nreason = "x"\nshapes = "A*"\n',
            'unknown key "shapes" (did you mean "shape"?)',
        ),
        ('[[ignore]]\nrule = "member"\nreason = "x"\nexpires = "soon"\n', '"expires" must be'),
        ('ignore = "member"\n', '"ignore" must be an array of tables'),
        (
            '[overrides]\n"operation.removed" = "fatal"\n',
            '[overrides]: "operation.removed" must be a severity',
        ),
        ('[overrides]\n"no.such" = "risky"\n', '[overrides]: unknown rule "no.such"'),
        (
            '[overrides]\n"operation.removed" = { python = "risky" }\n',
            '[overrides."operation.removed"]: unknown key "python"',
        ),
    ],
    ids=[
        "unknown-rule",
        "partial-prefix",
        "missing-reason",
        "blank-reason",
        "bad-toml",
        "unknown-key",
        "bad-expiry",
        "ignore-not-a-list",
        "bad-severity",
        "unknown-override",
        "unknown-perspective",
    ],
)
def test_bad_ignore_file_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, reason: str
) -> None:
    ignores = write(tmp_path / "ignore.toml", text)
    status, out, err = run(capsys, "check", *BREAKING, "--ignore-file", str(ignores))
    assert (status, out) == (2, "")
    assert err.startswith(f"apidiff: error: {ignores}: ")
    assert reason in err
    assert err.count("\n") == 1


def test_an_expiry_with_a_time_of_day_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # TOML reads this as a datetime, which is also a date; comparing it with today's date
    # must not end in a traceback.
    ignores = write(
        tmp_path / "ignore.toml",
        '[[ignore]]\nrule = "member"\nreason = "x"\nexpires = 2027-01-31T00:00:00\n',
    )
    status, _out, err = run(capsys, "check", *BREAKING, "--ignore-file", str(ignores))
    assert status == 2
    assert '"expires" must be a date' in err
    assert err.count("\n") == 1


def test_missing_ignore_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _out, err = run(capsys, "check", *BREAKING, "--ignore-file", str(tmp_path / "no.toml"))
    assert status == 2
    assert err == f"apidiff: error: {tmp_path / 'no.toml'}: no such file\n"


def test_pyproject_tool_apidiff_in_the_current_directory_is_picked_up(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tool_table = ACCEPT_BOTH.replace("[[ignore]]", "[[tool.apidiff.ignore]]")
    write(tmp_path / "pyproject.toml", '[project]\nname = "mine"\n' + tool_table)
    status, out, _err = run(capsys, "check", *BREAKING)
    assert status == 0
    assert "IGNORED (2)" in out
    assert "(pyproject.toml: ignore #1)" in out


def test_pyproject_of_a_parent_folder_is_picked_up(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool_table = ACCEPT_BOTH.replace("[[ignore]]", "[[tool.apidiff.ignore]]")
    write(tmp_path / "pyproject.toml", '[project]\nname = "mine"\n' + tool_table)
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "src" / "pkg")
    status, out, _err = run(capsys, "check", *BREAKING)
    assert status == 0
    assert "(../../pyproject.toml: ignore #1)" in out


def test_ignore_file_in_the_pyproject_spelling_is_applied(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tool_table = ACCEPT_BOTH.replace("[[ignore]]", "[[tool.apidiff.ignore]]")
    ignores = write(tmp_path / "apidiff-ignore.toml", tool_table)
    status, out, _err = run(capsys, "check", *BREAKING, "--ignore-file", str(ignores))
    assert status == 0
    assert "IGNORED (2)" in out


def test_pyproject_without_tool_apidiff_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "mine"\n')
    assert run(capsys, "check", *BREAKING)[0] == 1


def test_ignore_file_option_replaces_pyproject(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "pyproject.toml", ACCEPT_BOTH.replace("[[ignore]]", "[[tool.apidiff.ignore]]"))
    empty = write(tmp_path / "empty.toml", "")
    assert run(capsys, "check", *BREAKING)[0] == 0
    assert run(capsys, "check", *BREAKING, "--ignore-file", str(empty))[0] == 1


def test_overrides_lower_rules_so_the_build_passes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    overrides = write(
        tmp_path / "policy.toml",
        '[overrides]\n"operation.removed" = "risky"\n"member.removed" = "risky"\n',
    )
    status, out, _err = run(capsys, "check", *BREAKING, "--ignore-file", str(overrides))
    assert status == 0
    # The pair's only findings above safe are those two (the sdk sees no risky one).
    assert out.splitlines()[1].startswith("0 breaking, 2 risky")


def test_override_of_one_breaking_rule_leaves_the_other_failing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    overrides = write(tmp_path / "policy.toml", '[overrides]\n"operation.removed" = "risky"\n')
    status, out, _err = run(capsys, "check", *BREAKING, "--ignore-file", str(overrides))
    assert status == 1
    assert "BREAKING (1)\n  [member.removed]" in out


def test_overrides_raise_rules_so_the_build_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    overrides = write(tmp_path / "policy.toml", '[overrides]\n"enum.value.added" = "breaking"\n')
    status, out, _err = run(capsys, "check", *RISKY, "--ignore-file", str(overrides))
    assert status == 1
    assert "BREAKING (1)\n  [enum.value.added] qbusiness: AttachmentStatus" in out


def test_override_for_one_perspective_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    overrides = write(
        tmp_path / "policy.toml",
        '[overrides]\n"operation.removed" = { wire = "safe" }\n"member.removed" = "risky"\n',
    )
    sdk = run(capsys, "check", *BREAKING, "--ignore-file", str(overrides))[0]
    wire = run(capsys, "check", *BREAKING, "--ignore-file", str(overrides), "--perspective", "wire")
    assert (sdk, wire[0]) == (1, 0)


# --- fingerprints


def test_fingerprints_are_stable_across_runs_and_differ_between_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fingerprints() -> list[str]:
        document = check(capsys, RISKY, "--min-severity", "info")
        return [finding["fingerprint"] for finding in document["check"]["findings"]]

    first, second = fingerprints(), fingerprints()
    assert first == second
    assert len(set(first)) == len(first) > 100


def test_fingerprints_do_not_depend_on_the_perspective_or_the_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def by_rule_and_location(*options: str) -> dict[tuple[str, str], str]:
        findings = check(capsys, BREAKING, "--min-severity", "info", *options)["check"]["findings"]
        return {(item["rule"], item["location"]): item["fingerprint"] for item in findings}

    assert by_rule_and_location() == by_rule_and_location("--perspective", "wire")


# --- a single model file is the service its metadata names


def loose_copies(tmp_path: Path) -> tuple[str, str]:
    """The BREAKING pair's iotdeviceadvisor models as `old.json` and `new.json` in one
    folder: nothing in their paths names the service or its api version."""
    paths = []
    for side, version in (("old", "1.20.73"), ("new", "1.20.74")):
        source = MODELS / f"botocore-{version}" / "iotdeviceadvisor" / "2020-09-18"
        path = tmp_path / f"{side}.json"
        path.write_bytes(gzip.decompress((source / "service-2.json.gz").read_bytes()))
        paths.append(str(path))
    return paths[0], paths[1]


def test_a_loose_model_file_is_named_as_botocore_names_its_service(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    loose = check(capsys, loose_copies(tmp_path))
    assert {finding["service"] for finding in loose["check"]["findings"]} == {"iotdeviceadvisor"}


def test_the_same_change_has_the_same_fingerprint_from_a_file_and_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def identities(document: Any) -> list[tuple[str, str, str]]:
        findings = document["check"]["findings"]
        return sorted((f["service"], f["location"], f["fingerprint"]) for f in findings)

    loose = check(capsys, loose_copies(tmp_path))
    bundled = check(capsys, BREAKING, "--service", "iotdeviceadvisor")
    assert identities(loose) == identities(bundled)
    assert len(identities(loose)) > 1


def test_sarif_locates_a_loose_models_findings_in_botocores_layout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _status, out, _err = run(capsys, "check", *loose_copies(tmp_path), "--format", "sarif")
    sarif = json.loads(out)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"botocore/data/iotdeviceadvisor/2020-09-18/service-2.json"}


def test_ignore_entries_naming_the_service_match_a_loose_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ignores = write(
        tmp_path / "ignore.toml",
        '[[ignore]]\nrule = "operation.removed"\nservice = "iotdeviceadvisor"\n'
        'reason = "We never call it"\n',
    )
    document = check(capsys, loose_copies(tmp_path), "--ignore-file", str(ignores))
    assert [item["rule"] for item in document["check"]["suppressed"]] == ["operation.removed"]
    assert document["check"]["unused_ignores"] == []


# --- a partial source is compared on the services both sides hold


def test_check_says_which_services_a_partial_source_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 1.35.72 adds invoicing; 1.35.71's bundle does not hold it, so it cannot say so.
    status, out, _err = run(capsys, "check", *RISKY[:2])
    assert status == 0
    assert out.splitlines()[2] == (
        "Compared the 2 services both sides hold (cloudsearch, qbusiness); left out 1 only "
        "new holds, as bundled:botocore-1.35.71 holds only some services "
        "(--all-services compares them)."
    )
    assert "invoicing" not in out


def test_the_markdown_check_says_which_services_a_partial_source_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "check", *RISKY[:2], "--format", "markdown")
    paragraphs = out.split("\n\n")
    assert paragraphs[2] == (
        "Compared the 2 services both sides hold \\(cloudsearch, qbusiness\\); left out 1 only "
        "new holds, as bundled:botocore-1.35.71 holds only some services "
        "\\(--all-services compares them\\)."
    )
