"""Every output format of `apidiff check`, each reading only the CheckResult (and its Report)."""

from __future__ import annotations

import json
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from typing import Any

from apidiff import __version__
from apidiff.classify import RULES, Severity
from apidiff.render.style import visible
from apidiff.report.check import CheckResult, Finding
from apidiff.report.serialize import json_text, report_to_json

# GitHub shows at most ten annotations of each level per step; the rest go to the summary.
GITHUB_ANNOTATIONS_PER_LEVEL = 10
# GitHub rejects comments over 65,536 characters; leave room for a closing note.
MARKDOWN_LIMIT = 60_000

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


def render_check_text(result: CheckResult) -> str:
    from apidiff.render.environment import render_template

    return render_template("check.txt.j2", result=result, severities=_descending())


def render_check_markdown(result: CheckResult) -> str:
    from apidiff.render.environment import render_template

    text = render_template("check.md.j2", result=result, severities=_descending())
    if len(text) <= MARKDOWN_LIMIT:
        return text
    kept = text[: text.rfind("\n", 0, MARKDOWN_LIMIT)]
    unclosed = kept.count("<details") - kept.count("</details>")
    return (
        kept
        + "\n\n</details>" * unclosed
        + "\n\n_The report was cut to fit a comment; run `apidiff check` with "
        "`--format text` or `--format json` for all findings._\n"
    )


def render_check_json(result: CheckResult) -> str:
    document = {
        "check": {
            "perspective": result.perspective.value,
            "fail_on": result.fail_on.value if result.fail_on else None,
            "min_severity": result.min_severity.value,
            "failed": bool(result.failing),
            "counts": {severity.value: result.count(severity) for severity in _descending()},
            "findings": [_finding_json(finding) for finding in result.findings],
            "suppressed": [
                _finding_json(item.finding)
                | {"ignored_by": item.entry.where, "reason": item.entry.reason}
                for item in result.suppressed
            ],
            "unused_ignores": [entry.where for entry in result.unused_ignores],
            "expired_ignores": [entry.where for entry in result.expired_ignores],
        },
        "report": report_to_json(result.report),
    }
    return json_text(document)


def render_check_github(result: CheckResult) -> str:
    """Workflow commands: the most severe findings as annotations, then a one-line summary."""
    lines = []
    for severity, level in ((Severity.BREAKING, "error"), (Severity.RISKY, "warning")):
        chosen = [finding for finding in result.findings if finding.severity is severity]
        for finding in chosen[:GITHUB_ANNOTATIONS_PER_LEVEL]:
            title = _github_escape(f"{finding.rule.id} ({finding.location})", property_value=True)
            message = _github_escape(f"{finding.record.change.description}. {finding.rule.advice}")
            lines.append(f"::{level} title={title}::{message}")
    lines.append(f"::notice title=apidiff::{_github_escape(result.summary)}")
    return "\n".join(lines) + "\n"


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
                    case,
                    "failure",
                    type=finding.severity.value,
                    message=finding.record.change.description,
                )
                failure.text = f"{finding.rule.summary}. {finding.rule.advice}"
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


def render_check_sarif(result: CheckResult) -> str:
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
                "results": [
                    _sarif_result(finding, rule_index, result) for finding in result.findings
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


def _sarif_result(finding: Finding, rule_index: dict[str, int], result: CheckResult) -> Any:
    change = finding.record.change
    service = next(s for s in result.report.services if s.service == finding.service)
    api_version = service.new_api_version or service.old_api_version
    qualified = ".".join(
        part for part in (finding.service, change.shape or change.operation, change.member) if part
    )
    return {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index[finding.rule.id],
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": f"{change.description}. {finding.rule.advice}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _model_uri(finding.service, api_version)}
                },
                "logicalLocations": [{"fullyQualifiedName": qualified}],
            }
        ],
        "partialFingerprints": {"apidiff/v1": finding.record.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "perspective": result.perspective.value,
            "operations": list(finding.operations),
        },
    }


def _model_uri(service: str, api_version: str | None) -> str:
    """The model file's path in botocore, as a URI reference: a name with a space or a control
    character percent-encoded, so the SARIF `uri` stays one."""
    segments = ("botocore", "data", service, api_version or "", "service-2.json")
    return "/".join(urllib.parse.quote(_visible_text(segment), safe="") for segment in segments)


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule.id,
        "severity": finding.severity.value,
        "service": finding.service,
        "location": finding.location,
        "message": finding.record.change.description,
        "explanation": f"{finding.rule.summary}. {finding.rule.advice}",
        "operations": list(finding.operations),
        "paths": [
            {"operation": reach.operation, "position": reach.position.value, "path": reach.path}
            for reach in finding.record.reaches
        ],
        "fingerprint": finding.record.fingerprint,
    }


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
