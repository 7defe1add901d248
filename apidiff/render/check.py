"""Every output format of `apidiff check`, each reading only the CheckResult (and its Report).

Every format lists findings in the CheckResult's order, most severe first across all services,
and where GitHub caps what it shows (annotations, comment and summary sizes) the least severe
are the ones left out, with a closing line that says how many and where the rest are.
"""

from __future__ import annotations

import json
import re
import textwrap
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from apidiff import __version__
from apidiff.classify import RULES, Severity
from apidiff.diff import Reach
from apidiff.model import Position
from apidiff.render.style import visible
from apidiff.report.check import CheckResult, Finding
from apidiff.report.regions import ModelPlace, Region, Side, model_place
from apidiff.report.serialize import check_to_json, json_text

if TYPE_CHECKING:
    # Imported where a check has usage: the scan's package takes a third of a check's start.
    from apidiff.render.check_usage import UsageGate
    from apidiff.usage.match import Touch

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
# A code base of old Python 2 files can have thousands that do not parse: the first are named.
_PROBLEMS_LISTED = 20
# A change reached by hundreds of methods names the first few in a table cell.
_OPERATIONS_IN_A_CELL = 5
# The text output is read in a terminal or a CI log: a finding's explanation and the methods
# it affects are wrapped to this width, and a change that reaches every method of a service
# names the first few, not sixty.
TEXT_WIDTH = 100
_OPERATIONS_IN_TEXT = 8

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


def render_check_text(result: CheckResult, *, usage: UsageGate | None = None) -> str:
    from apidiff.render.environment import render_template

    helpers = {"wrapped": _wrapped, "affects": _affects, "not_listed": _not_listed_line}
    if usage is None:
        return render_template(
            "check.txt.j2", result=result, severities=_descending(), usage=None, **helpers
        )
    from apidiff.render import check_usage

    return render_template(
        "check.txt.j2",
        result=result,
        severities=_descending(),
        usage=usage,
        **helpers,
        usage_summary=check_usage.usage_summary,
        scanned_line=check_usage.scanned_line,
        touch_line=check_usage.touch_line,
        elsewhere_line=check_usage.elsewhere_line,
        problem_line=check_usage.problem_line,
        untouched_title=check_usage.UNTOUCHED_TITLE,
    )


def _wrapped(text: str, indent: int = 4, hanging: int = 0) -> str:
    """A paragraph of the text output: indented, wrapped to TEXT_WIDTH, never split in a word
    but a call or path longer than a line; `hanging` indents the lines after the first
    further (under a label's value)."""
    prefix = " " * indent
    room = TEXT_WIDTH - indent - hanging
    return textwrap.fill(
        " ".join(_subscripts_packed(word, room) for word in text.split(" ")),
        width=TEXT_WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix + " " * hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _subscripts_packed(word: str, room: int) -> str:
    """A word too long for a line, such as a response path `client.get_x(...)['A'][0]['B']`
    or a call `client.put_x(Long={'Nested':`, cut into parts that fit `room` before a
    subscript or a brace and after an opening parenthesis or `=` (where a space is still
    Python); any other word as it is."""
    if len(word) <= room:
        return word
    parts = re.split(r"(?=[\[{])|(?<=[(=])", word)
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + len(part) > room:
            lines.append(part)
        else:
            lines[-1] += part
    return " ".join(lines)


def _affects(finding: Finding) -> str:
    """The api methods a finding reaches, the first few by name and the rest counted."""
    operations = finding.operations
    shown = ", ".join(operations[:_OPERATIONS_IN_TEXT])
    if len(operations) > _OPERATIONS_IN_TEXT:
        # Joined by no-break spaces while wrapped, so "and 10 more" is never cut in two.
        more = len(operations) - _OPERATIONS_IN_TEXT
        shown += " " + "\N{NO-BREAK SPACE}".join(("and", str(more), "more"))
    wrapped = _wrapped(f"affects: {shown}", hanging=len("affects: "))
    return wrapped.replace("\N{NO-BREAK SPACE}", " ")


def _not_listed_line(result: CheckResult) -> str:
    """Which findings are counted in the summary but below --min-severity, so not listed."""
    below = [
        severity
        for severity in _descending()
        if severity.rank < result.min_severity.rank and result.count(severity)
    ]
    if not below:
        return ""
    counted = " and ".join(f"{result.count(severity)} {severity.value}" for severity in below)
    lowest = below[-1].value
    return f"{counted} findings not listed (--min-severity {lowest} lists them)."


def render_check_markdown(result: CheckResult, *, usage: UsageGate | None = None) -> str:
    return check_markdown(result, limit=MARKDOWN_LIMIT, usage=usage)


def check_markdown(
    result: CheckResult,
    *,
    limit: int,
    rest: str = "the text or JSON output of `apidiff check` (`--format text`, `--format json`)",
    usage: UsageGate | None = None,
) -> str:
    """The check as Markdown of at most `limit` characters: the counts, then one table per
    severity, most severe first; findings past the limit are counted in a closing line that
    points at `rest`, where every finding is. With `usage`, the findings touching the code,
    each with its calls, then those in operations it calls."""
    from apidiff.render.environment import escape_markdown

    if usage:
        from apidiff.render.check_usage import usage_summary

    head = [
        f"## apidiff check: {escape_markdown(result.report.old.label)} → "
        f"{escape_markdown(result.report.new.label)}",
        "",
        usage_summary(result, usage) if usage else result.summary,
        "",
    ]
    if result.report.coverage_summary:
        head += [escape_markdown(result.report.coverage_summary), ""]
    if usage:
        return _usage_markdown(result, usage, head, limit, rest)
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


def _usage_markdown(
    result: CheckResult, usage: UsageGate, head: list[str], limit: int, rest: str
) -> str:
    """Each touching finding as an item with its calls below it, then a table of the findings
    in operations the code calls, then the counts of the rest, within `limit` characters."""
    from apidiff.render import check_usage

    head = [*head, _markdown_cell(check_usage.scanned_line(usage))]
    tail = []
    if usage.unlisted(result):
        tail += [
            "",
            f"{usage.unlisted(result)} more below {result.min_severity.value} touch or reach "
            "your calls (listed with a lower `--min-severity`).",
        ]
    tail += ["", _markdown_cell(check_usage.elsewhere_line(usage))]
    problems = usage.match.usage.problems
    if problems:
        tail += ["", f"Files not read ({len(problems)}):", ""]
        tail += [
            f"- {_markdown_cell(check_usage.problem_line(p))}" for p in problems[:_PROBLEMS_LISTED]
        ]
        if len(problems) > _PROBLEMS_LISTED:
            tail.append(f"- and {len(problems) - _PROBLEMS_LISTED} more (see {rest})")
    if result.suppressed:
        tail += ["", f"{len(result.suppressed)} findings ignored by policy."]
    budget = limit - _size([*head, *tail]) - 400
    touching = usage.touching(result)
    body: list[str] = ["", f"### Touching your calls ({len(touching)})", ""] if touching else []
    left_out = 0
    for number, touched in enumerate(touching):
        finding = touched.finding
        item = [
            f"- **{finding.severity.value}** `{finding.rule.id}` "
            f"{_markdown_cell(finding.location)}: "
            f"{_markdown_cell(finding.message)}"
        ]
        item += [
            f"  - `{_code_span(check_usage.touch_line(finding, touch))}`"
            for touch in touched.touches
        ]
        if _size([*body, *item]) > budget:
            left_out = len(touching) - number
            break
        body += item
    untouched = usage.untouched(result)
    if untouched and not left_out:
        group = [
            "",
            f"### {check_usage.UNTOUCHED_TITLE.capitalize()} ({len(untouched)})",
            "",
            "| service | where | rule | change | affects |",
            "| --- | --- | --- | --- | --- |",
        ]
        rows, unfit = _fitting([_markdown_row(f) for f in untouched], budget - _size(body) - 200)
        body += [*group, *rows] if rows else []
        left_out = unfit
    elif untouched:
        left_out += len(untouched)
    if left_out:
        body += ["", f"_and {left_out} more (see the full report: {rest})._"]
    return "\n".join([*head, *body, *tail]) + "\n"


def _fitting(lines: Sequence[str], budget: int) -> tuple[list[str], int]:
    """The first lines within `budget` characters, and how many did not fit."""
    used = 0
    for number, line in enumerate(lines):
        used += len(line) + 1
        if used > budget:
            return list(lines[:number]), len(lines) - number
    return list(lines), 0


def _code_span(text: str) -> str:
    # A backtick would close the span: none in a model's names, but a file's name may hold one.
    return str(visible(_LINE_BREAKS.sub(" ", text))).replace("`", "'")


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
        finding.message,
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


def render_check_json(result: CheckResult, *, usage: UsageGate | None = None) -> str:
    document = check_to_json(result)
    if usage:
        from apidiff.render import check_usage

        # The verdict and the choice that made it; the match beside the findings it names.
        document["check"]["failed"] = bool(usage.failing(result))
        document["check"]["strict_usage"] = usage.strict
        document["usage"] = check_usage.gate_to_json(usage)
    return json_text(document)


def render_check_github(result: CheckResult, *, usage: UsageGate | None = None) -> str:
    """Workflow commands: the most severe findings as annotations, the counts, how many were
    not annotated, then every finding shown, one a line, in a collapsed group of the log.
    With `usage`, the annotations are on the lines of the user's calls."""
    if usage:
        return _usage_github(result, usage)
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


def _usage_github(result: CheckResult, usage: UsageGate) -> str:
    """An annotation at each call a breaking or risky finding touches (most severe findings
    first, as many as GitHub shows), then every touch and finding listed in the log."""
    from apidiff.render import check_usage

    lines = []
    touching = usage.touching(result)
    annotated = 0
    annotations = 0
    for severity, level in ((Severity.BREAKING, "error"), (Severity.RISKY, "warning")):
        touches = [
            (touched.finding, touch)
            for touched in touching
            if touched.finding.severity is severity
            for touch in touched.touches
        ]
        annotations += len(touches)
        for finding, touch in touches[:GITHUB_ANNOTATIONS_PER_LEVEL]:
            place = touch.call.location
            properties = ",".join(
                f"{name}={_github_escape(str(value), property_value=True)}"
                for name, value in (
                    ("file", place.file),
                    ("line", place.line),
                    ("col", place.column),
                    ("title", f"{finding.rule.id} ({check_usage.call_name(touch.call)})"),
                )
            )
            message = f"{check_usage.touch_message(finding, touch)}. {finding.advice}"
            lines.append(f"::{level} {properties}::{_github_escape(message)}")
            annotated += 1
    lines.append(
        f"::notice title=apidiff::{_github_escape(check_usage.usage_summary(result, usage))}"
    )
    if annotations > annotated:
        cap = GITHUB_ANNOTATIONS_PER_LEVEL
        note = (
            f"and {annotations - annotated} more (see the full report: {GITHUB_FULL_REPORT}); "
            f"GitHub annotates {cap} errors and {cap} warnings a step"
        )
        lines.append(f"::notice title=apidiff::{_github_escape(note)}")
    for problem in usage.match.usage.problems:
        properties = f"file={_github_escape(problem.file, property_value=True)}"
        if problem.line:
            properties += f",line={problem.line}"
        note = f"not read: {problem.reason}"
        lines.append(f"::notice {properties},title=apidiff::{_github_escape(note)}")
    untouched = usage.untouched(result)
    if touching or untouched:
        lines.append(f"::group::{_GITHUB_GROUP}")
        lines += [
            _plain_line(
                f"{touched.finding.severity.value} "
                f"{check_usage.touch_line(touched.finding, touch, described=True)}"
            )
            for touched in touching
            for touch in touched.touches
        ]
        lines += [f"{check_usage.UNTOUCHED_TITLE}: {_log_line(finding)}" for finding in untouched]
        lines.append(_plain_line(check_usage.elsewhere_line(usage)))
        lines.append("::endgroup::")
    return "\n".join(lines) + "\n"


def _plain_line(text: str) -> str:
    # Lines start with a severity, a fixed title or a number: none starts a workflow command.
    return str(visible(_LINE_BREAKS.sub(" ", text)))


def _log_line(finding: Finding) -> str:
    # A plain line that starts with a severity: no model text can start a workflow command.
    text = f"{finding.severity.value} {finding.location} [{finding.rule.id}] {_one_line(finding)}"
    return str(visible(_LINE_BREAKS.sub(" ", text)))


def _one_line(finding: Finding) -> str:
    text = f"{finding.message}. {finding.advice}"
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


def render_check_junit(result: CheckResult, *, usage: UsageGate | None = None) -> str:
    suites = ElementTree.Element("testsuites", name="apidiff check")
    if usage:
        _usage_junit(suites, result, usage)
        return _junit_text(suites)
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
            _junit_case(suite, finding, failed=id(finding) in failing)
    if not by_service:
        suite = ElementTree.SubElement(suites, "testsuite", name="apidiff", tests="1", failures="0")
        ElementTree.SubElement(suite, "testcase", classname="apidiff", name="no findings")
    return _junit_text(suites)


def _usage_junit(suites: ElementTree.Element, result: CheckResult, usage: UsageGate) -> None:
    """One suite per file of the user's code, one testcase per call a finding touches, with a
    failure per finding that fails the build; then the findings in operations the code
    calls, on paths it does not use, failing only with --strict-usage."""
    from apidiff.render import check_usage
    from apidiff.usage.match import touches_by_call

    failing = set(map(id, usage.failing(result)))
    calls = touches_by_call(usage.touching(result))
    files = sorted({call.location.file for call, _findings in calls})
    for file in files:
        here = [(call, found) for call, found in calls if call.location.file == file]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=file,
            tests=str(len(here)),
            failures=str(sum(1 for _call, found in here if _fails(found, failing))),
        )
        for call, found in here:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=file,
                name=f"{call.location} {check_usage.call_name(call)}",
                file=file,
                line=str(call.location.line),
            )
            passing = []
            for finding, touch in found:
                message = check_usage.touch_message(finding, touch)
                if id(finding) in failing:
                    failure = ElementTree.SubElement(
                        case, "failure", type=finding.severity.value, message=message
                    )
                    failure.text = "\n".join(_failure_lines(finding))
                else:
                    passing.append(f"{finding.severity.value}: {message} ({finding.rule.id})")
            if passing:
                ElementTree.SubElement(case, "system-out").text = "\n".join(passing)
    untouched = usage.untouched(result)
    if untouched:
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=check_usage.UNTOUCHED_TITLE,
            tests=str(len(untouched)),
            failures=str(sum(1 for finding in untouched if id(finding) in failing)),
        )
        for finding in untouched:
            _junit_case(suite, finding, failed=id(finding) in failing)
    if not files and not untouched:
        suite = ElementTree.SubElement(suites, "testsuite", name="apidiff", tests="1", failures="0")
        ElementTree.SubElement(
            suite, "testcase", classname="apidiff", name="no finding touches your calls"
        )


def _fails(found: Sequence[tuple[Finding, Touch]], failing: set[int]) -> bool:
    return any(id(finding) in failing for finding, _touch in found)


def _junit_case(suite: ElementTree.Element, finding: Finding, *, failed: bool) -> None:
    """A finding as a test case: a failure when it fails the build, else its line as output."""
    case = ElementTree.SubElement(
        suite, "testcase", classname=f"{finding.service}.{finding.rule.id}", name=finding.location
    )
    if failed:
        failure = ElementTree.SubElement(
            case, "failure", type=finding.severity.value, message=_failure_message(finding)
        )
        failure.text = "\n".join(_failure_lines(finding))
    else:
        output = ElementTree.SubElement(case, "system-out")
        output.text = f"{finding.severity.value}: {finding.message}"


def _junit_text(suites: ElementTree.Element) -> str:
    for element in suites.iter():
        element.attrib = {key: _visible_text(value) for key, value in element.attrib.items()}
        element.text = element.text and _visible_text(element.text)
    ElementTree.indent(suites)
    body: str = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _failure_message(finding: Finding) -> str:
    """One line a CI test view shows: what changed, and which methods and paths it reaches."""
    message = finding.message
    if finding.record.reaches:
        message += f" (in {_reaches_text(finding.record.reaches)})"
    return message


def _failure_lines(finding: Finding) -> Iterator[str]:
    yield f"{finding.rule.summary}. {finding.advice}"
    yield f"where: {finding.location}"
    if finding.operations:
        yield f"operations: {', '.join(finding.operations)}"
    for reach in finding.record.reaches:
        yield f"  {_reach_text(reach)}"
    yield f"rule: {finding.rule.id}; fingerprint: {finding.record.fingerprint}"


def render_check_sarif(
    result: CheckResult, regions: Regions | None = None, *, usage: UsageGate | None = None
) -> str:
    """SARIF 2.1.0; `regions` places each finding at its line of the model file, where the
    model files were at hand (a check, not a saved check rendered again). With `usage`, a
    result per call a finding touches, in the user's file, the model's place related to it;
    then the findings in operations the code calls, at their model place."""
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
                "results": (
                    _usage_sarif_results(usage, rule_index, result, regions or {})
                    if usage
                    else [
                        _sarif_result(finding, rule_index, result, regions or {})
                        for finding in result.findings
                    ]
                ),
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
        "message": {"text": f"{finding.message}. {finding.advice}"},
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


def _usage_sarif_results(
    usage: UsageGate, rule_index: dict[str, int], result: CheckResult, regions: Regions
) -> list[Any]:
    from apidiff.render import check_usage

    results = []
    for touched in usage.touching(result):
        model = _sarif_result(touched.finding, rule_index, result, regions)
        (model_location,) = model["locations"]
        for touch in touched.touches:
            place = touch.call.location
            results.append(
                model
                | {
                    "message": {
                        "text": f"{check_usage.call_name(touch.call)}: "
                        f"{check_usage.touch_message(touched.finding, touch)}. "
                        f"{touched.finding.advice}"
                    },
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": _file_uri(place.file)},
                                "region": {"startLine": place.line, "startColumn": place.column},
                            },
                            "logicalLocations": model_location["logicalLocations"],
                        }
                    ],
                    "relatedLocations": [
                        {
                            "id": 1,
                            "physicalLocation": model_location["physicalLocation"],
                            "message": {"text": "where the model changes"},
                        }
                    ],
                    "partialFingerprints": {
                        "apidiff/v1": touched.finding.record.fingerprint,
                        "apidiff/call/v1": f"{check_usage.call_name(touch.call)}@{place.file}",
                    },
                }
            )
    for finding in usage.untouched(result):
        untouched = _sarif_result(finding, rule_index, result, regions)
        if not usage.strict:
            untouched["level"] = "note"  # they do not fail the build: shown, not raised
        results.append(untouched)
    return results


def _file_uri(file: str) -> str:
    """A file of the user's code as a URI reference: relative to where the check ran (the
    repository's root in CI), or a file: URI where it lies elsewhere."""
    if Path(file).is_absolute():
        return Path(file).as_uri()
    return urllib.parse.quote(_visible_text(file), safe="/")


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


class CheckRenderer(Protocol):
    def __call__(self, result: CheckResult, *, usage: UsageGate | None = None) -> str: ...


CHECK_RENDERERS: dict[str, CheckRenderer] = {
    "text": render_check_text,
    "markdown": render_check_markdown,
    "json": render_check_json,
    "github": render_check_github,
    "junit": render_check_junit,
    "sarif": render_check_sarif,
}
