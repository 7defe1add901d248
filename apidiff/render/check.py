"""Every output format of `apidiff check`, each reading only the CheckResult (and its Report).

Every format lists findings in the CheckResult's order, most severe first across all services,
and where GitHub caps what it shows (annotations, comment and summary sizes) the least severe
are the ones left out, with a closing line that says how many and where the rest are.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from apidiff import __version__
from apidiff.classify import RULES, Severity
from apidiff.diff import Reach
from apidiff.model import Position
from apidiff.render.style import visible
from apidiff.report.check import CheckResult, Finding
from apidiff.report.regions import ModelPlace, Region, Side, model_place
from apidiff.report.serialize import check_to_json, json_text

# GitHub shows at most ten annotations of each level a step (and fifty a job): the most severe
# findings are annotated, every finding is listed in the step's log.
GITHUB_ANNOTATIONS_PER_LEVEL = 10
_GITHUB_GROUP = "apidiff check: every finding, most severe first"
# Where the step summary written beside the annotations sends a reader for the rest.
GITHUB_FULL_REPORT = f'the group "{_GITHUB_GROUP}" in this step\'s log'
# The Markdown is a pull-request comment (GitHub refuses one over 65,536 characters) and the
# step summary (1 MiB a step, or GitHub drops all of it). One budget fits both, with room
# for the closing lines; the findings it leaves out are the least severe, and every finding
# is in the log and the text and JSON outputs.
MARKDOWN_LIMIT = 60_000
# A change reached by hundreds of methods names the first few in a table cell.
_OPERATIONS_IN_A_CELL = 5

_SARIF_LEVELS = {
    Severity.BREAKING: "error",
    Severity.RISKY: "warning",
    Severity.SAFE: "note",
    Severity.INFO: "note",
}
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Every character XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets): the C0 controls but
# tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. A model's names and
# documentation can hold any of them (JSON writes them as \u0000 or \ud800), and one of
# them left in a JUnit file makes the whole file unreadable to every consumer.
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile("[\r\n]+")

# Findings and the regions of their model files (see apidiff/report/regions.py), by service
# and fingerprint.
Regions = Mapping[tuple[str, str], Region]


def render_check_text(result: CheckResult) -> str:
    from apidiff.render.environment import render_template

    return render_template("check.txt.j2", result=result, severities=_descending())


def render_check_markdown(result: CheckResult) -> str:
    return check_markdown(result, limit=MARKDOWN_LIMIT)


def check_markdown(
    result: CheckResult,
    *,
    limit: int,
    rest: str = "the text or JSON output of `apidiff check` (`--format text`, `--format json`)",
) -> str:
    """The check as Markdown of at most `limit` characters: the counts, then one table per
    severity, most severe first; findings past the limit are counted in a closing line that
    points at `rest`, where every finding is."""
    from apidiff.render.environment import escape_markdown

    head = [
        f"## apidiff check: {escape_markdown(result.report.old.label)} → "
        f"{escape_markdown(result.report.new.label)}",
        "",
        result.summary,
        "",
    ]
    if result.report.coverage_summary:
        head += [escape_markdown(result.report.coverage_summary), ""]
    head += ["| severity | findings |", "| --- | ---: |"]
    head += [f"| {severity.value} | {result.count(severity)} |" for severity in _descending()]
    unshown = [s for s in _descending() if s.rank < result.min_severity.rank and result.count(s)]
    if unshown:
        names = " and ".join(severity.value for severity in unshown)
        head += [
            "",
            f"Listed: {result.min_severity.value} and above ({names} findings are "
            f"counted, and listed with `--min-severity {unshown[0].value}`).",
        ]
    tail = []
    if result.suppressed:
        tail += ["", f"{len(result.suppressed)} findings ignored by policy."]
    body, left_out = _markdown_tables(result.findings, limit - _size([*head, *tail]) - 400)
    if left_out:
        body += ["", f"_and {left_out} more (see the full report: {rest})._"]
    return "\n".join([*head, *body, *tail]) + "\n"


def _markdown_tables(findings: Sequence[Finding], budget: int) -> tuple[list[str], int]:
    """One table per severity within `budget` characters, and how many findings did not fit."""
    lines: list[str] = []
    used = 0
    for number, finding in enumerate(findings):
        opening = number == 0 or findings[number - 1].severity is not finding.severity
        group = (
            [
                "",
                f"### {finding.severity.value.capitalize()} "
                f"({sum(1 for f in findings if f.severity is finding.severity)})",
                "",
                "| service | where | rule | change | affects |",
                "| --- | --- | --- | --- | --- |",
            ]
            if opening
            else []
        )
        row = _markdown_row(finding)
        cost = _size([*group, row])
        if used + cost > budget:
            return lines, len(findings) - number
        lines += [*group, row]
        used += cost
    return lines, 0


def _markdown_row(finding: Finding) -> str:
    operations = finding.operations
    affects = ", ".join(operations[:_OPERATIONS_IN_A_CELL])
    if len(operations) > _OPERATIONS_IN_A_CELL:
        affects += f" and {len(operations) - _OPERATIONS_IN_A_CELL} more"
    cells = (
        finding.service,
        finding.where,
        f"`{finding.rule.id}`",
        finding.record.change.description,
        affects,
    )
    return "| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |"


def _markdown_cell(text: str) -> str:
    from apidiff.render.environment import escape_markdown

    if text.startswith("`"):
        return text  # a rule id: letters, digits and dots
    return escape_markdown(_visible_text(str(visible(_LINE_BREAKS.sub(" ", text)))))


def _size(lines: Sequence[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def render_check_json(result: CheckResult) -> str:
    return json_text(check_to_json(result))


def render_check_github(result: CheckResult) -> str:
    """Workflow commands: the most severe findings as annotations, the counts, how many were
    not annotated, then every finding shown, one a line, in a collapsed group of the log."""
    lines = []
    annotated = 0
    for severity, level in ((Severity.BREAKING, "error"), (Severity.RISKY, "warning")):
        chosen = [finding for finding in result.findings if finding.severity is severity]
        for finding in chosen[:GITHUB_ANNOTATIONS_PER_LEVEL]:
            title = _github_escape(f"{finding.rule.id} ({finding.location})", property_value=True)
            lines.append(f"::{level} title={title}::{_github_escape(_one_line(finding))}")
            annotated += 1
    lines.append(f"::notice title=apidiff::{_github_escape(result.summary)}")
    left_out = len(result.findings) - annotated
    if left_out:
        cap = GITHUB_ANNOTATIONS_PER_LEVEL
        note = (
            f"and {left_out} more (see the full report: {GITHUB_FULL_REPORT}); GitHub "
            f"annotates {cap} errors and {cap} warnings a step"
        )
        lines.append(f"::notice title=apidiff::{_github_escape(note)}")
    if result.findings:
        lines.append(f"::group::{_GITHUB_GROUP}")
        lines += [_log_line(finding) for finding in result.findings]
        lines.append("::endgroup::")
    return "\n".join(lines) + "\n"


def _log_line(finding: Finding) -> str:
    # A plain line that starts with a severity: no model text can start a workflow command.
    text = f"{finding.severity.value} {finding.location} [{finding.rule.id}] {_one_line(finding)}"
    return str(visible(_LINE_BREAKS.sub(" ", text)))


def _one_line(finding: Finding) -> str:
    text = f"{finding.record.change.description}. {finding.rule.advice}"
    if finding.record.reaches:
        text += f" (affects {_reaches_text(finding.record.reaches)})"
    return text


def _reaches_text(reaches: Sequence[Reach], shown: int = _OPERATIONS_IN_A_CELL) -> str:
    text = "; ".join(_reach_text(reach) for reach in reaches[:shown])
    return text + (f"; and {len(reaches) - shown} more" if len(reaches) > shown else "")


def _reach_text(reach: Reach) -> str:
    """A method as a reach meets it: `PutAsset request Forms[].FormTypeId`."""
    if reach.position is Position.OPERATION:
        return reach.operation
    return " ".join(part for part in (reach.operation, reach.position.value, reach.path) if part)


def render_check_junit(result: CheckResult) -> str:
    suites = ElementTree.Element("testsuites", name="apidiff check")
    by_service = result.by_service
    failing = set(map(id, result.failing))
    for service, findings in by_service.items():
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=service,
            tests=str(len(findings)),
            failures=str(sum(1 for finding in findings if id(finding) in failing)),
        )
        for finding in findings:
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"{service}.{finding.rule.id}", name=finding.location
            )
            if id(finding) in failing:
                failure = ElementTree.SubElement(
                    case, "failure", type=finding.severity.value, message=_failure_message(finding)
                )
                failure.text = "\n".join(_failure_lines(finding))
            else:
                output = ElementTree.SubElement(case, "system-out")
                output.text = f"{finding.severity.value}: {finding.record.change.description}"
    if not by_service:
        suite = ElementTree.SubElement(suites, "testsuite", name="apidiff", tests="1", failures="0")
        ElementTree.SubElement(suite, "testcase", classname="apidiff", name="no findings")
    for element in suites.iter():
        element.attrib = {key: _visible_text(value) for key, value in element.attrib.items()}
        element.text = element.text and _visible_text(element.text)
    ElementTree.indent(suites)
    body: str = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _failure_message(finding: Finding) -> str:
    """One line a CI test view shows: what changed, and which methods and paths it reaches."""
    message = finding.record.change.description
    if finding.record.reaches:
        message += f" (in {_reaches_text(finding.record.reaches)})"
    return message


def _failure_lines(finding: Finding) -> Iterator[str]:
    yield f"{finding.rule.summary}. {finding.rule.advice}"
    yield f"where: {finding.location}"
    if finding.operations:
        yield f"operations: {', '.join(finding.operations)}"
    for reach in finding.record.reaches:
        yield f"  {_reach_text(reach)}"
    yield f"rule: {finding.rule.id}; fingerprint: {finding.record.fingerprint}"


def render_check_sarif(result: CheckResult, regions: Regions | None = None) -> str:
    """SARIF 2.1.0; `regions` places each finding at its line of the model file, where the
    model files were at hand (a check, not a saved check rendered again)."""
    rule_index = {rule.id: index for index, rule in enumerate(RULES)}
    document = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "apidiff",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.id,
                                "shortDescription": {"text": rule.summary},
                                "help": {"text": rule.advice},
                            }
                            for rule in RULES
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _sarif_result(finding, rule_index, result, regions or {})
                    for finding in result.findings
                ],
            }
        ],
    }
    return json.dumps(_visible_strings(document), indent=2, ensure_ascii=False) + "\n"


def _visible_text(text: str) -> str:
    """`text` with each character XML 1.0 forbids written as JSON writes it (`\\u0000`).

    Not U+FFFD: the notation is the model file's own, so the name can still be found there,
    and two names that differ only in such a character still differ in the report.
    """
    return _NOT_IN_XML.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def _visible_strings(value: Any) -> Any:
    # SARIF is JSON: it escapes a control character, but a lone surrogate it can only write as
    # half a pair, which UTF-8 cannot encode and strict parsers refuse. Its viewers show text
    # as HTML, which forbids the same characters XML does: one notation for both formats.
    if isinstance(value, str):
        return _visible_text(value)
    if isinstance(value, dict):
        return {key: _visible_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_visible_strings(item) for item in value]
    return value


def _sarif_result(
    finding: Finding, rule_index: dict[str, int], result: CheckResult, regions: Regions
) -> Any:
    change = finding.record.change
    place = model_place(change)
    physical: dict[str, Any] = {"artifactLocation": {"uri": _model_uri(finding, place, result)}}
    region = regions.get((finding.service, finding.record.fingerprint))
    if region is not None:
        physical["region"] = {"startLine": region.line, "startColumn": region.column}
    return {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index[finding.rule.id],
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": f"{change.description}. {finding.rule.advice}"},
        "locations": [
            {"physicalLocation": physical, "logicalLocations": _logical_locations(finding)}
        ],
        "partialFingerprints": {"apidiff/v1": finding.record.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "perspective": result.perspective.value,
            "operations": list(finding.operations),
        },
    }


def _logical_locations(finding: Finding) -> list[dict[str, str]]:
    """The service, each method the change reaches, the path to it there as a caller writes
    it, and the model's own name for it (Shape.member, Shape or Operation)."""
    service = finding.service
    change = finding.record.change
    locations = [{"name": service, "fullyQualifiedName": service, "kind": "module"}]
    locations += [
        {"name": operation, "fullyQualifiedName": f"{service}.{operation}", "kind": "function"}
        for operation in finding.operations
    ]
    locations += [
        {
            "name": reach.path.rsplit(".", 1)[-1],
            "fullyQualifiedName": ".".join(
                (service, reach.operation, reach.position.value, reach.path)
            ),
            "kind": "member",
        }
        for reach in finding.record.reaches
        if reach.path
    ]
    if change.shape:
        locations.append(
            {
                "name": change.member or change.shape,
                "fullyQualifiedName": f"{service}.{finding.where}",
                "kind": "member" if change.member else "type",
            }
        )
    return locations


def _model_uri(finding: Finding, place: ModelPlace, result: CheckResult) -> str:
    """The model file's path in botocore, as a URI reference: a name with a space or a control
    character percent-encoded, so the SARIF `uri` stays one."""
    service = next(s for s in result.report.services if s.service == finding.service)
    versions = (service.old_api_version, service.new_api_version)
    if place.side is Side.NEW:
        versions = versions[::-1]
    api_version = next((version for version in versions if version), "")
    segments = ("botocore", "data", finding.service, api_version, place.file.value)
    return "/".join(urllib.parse.quote(_visible_text(segment), safe="") for segment in segments)


def _descending() -> list[Severity]:
    return sorted(Severity, key=lambda severity: -severity.rank)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        escaped = escaped.replace(":", "%3A").replace(",", "%2C")
    # The Actions log is a terminal of sorts: it obeys escape sequences.
    return str(visible(escaped))


CHECK_RENDERERS: dict[str, Callable[[CheckResult], str]] = {
    "text": render_check_text,
    "markdown": render_check_markdown,
    "json": render_check_json,
    "github": render_check_github,
    "junit": render_check_junit,
    "sarif": render_check_sarif,
}
