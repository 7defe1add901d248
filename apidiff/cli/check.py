"""`apidiff check OLD NEW`: classify every change, explain it, and gate the build."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from apidiff.classify import Perspective, Severity
from apidiff.classify.policy import discover_policy
from apidiff.cli import cli
from apidiff.cli.notes import ALL_SERVICES_OPTION
from apidiff.cli.output import OFFLINE_OPTION, OUTPUT_OPTION, SERVICE_OPTION, warn, write_output
from apidiff.cli.progress import ProgressDisplay
from apidiff.compare import CompareOptions, compare_sources
from apidiff.errors import ExitStatus, OutputError
from apidiff.render.check import (
    CHECK_RENDERERS,
    GITHUB_FULL_REPORT,
    MARKDOWN_LIMIT,
    check_markdown,
    render_check_sarif,
)
from apidiff.report.check import DEFAULT_MIN_SEVERITY, CheckResult, evaluate_check
from apidiff.report.regions import find_regions, source_reader
from apidiff.sources import PackageIndex, open_source

_SEVERITIES = [severity.value for severity in Severity]
# GitHub's limit for one step's summary file, in bytes.
STEP_SUMMARY_LIMIT = 1 << 20


@cli.command()
@click.argument("old")
@click.argument("new")
@SERVICE_OPTION
@ALL_SERVICES_OPTION
@click.option(
    "--perspective",
    type=click.Choice([perspective.value for perspective in Perspective]),
    default=Perspective.SDK.value,
    show_default=True,
    help="sdk: code calling boto3; stubber: tests using Stubber; wire: peers on the protocol.",
)
@click.option(
    "--fail-on",
    type=click.Choice([*_SEVERITIES, "none"]),
    default=Severity.BREAKING.value,
    show_default=True,
    help="Exit 1 when a finding is this severe or worse.",
)
@click.option(
    "--min-severity",
    type=click.Choice(_SEVERITIES),
    default=DEFAULT_MIN_SEVERITY.value,
    show_default=True,
    help="List findings this severe or worse (every finding is counted, and --fail-on "
    "decides alone what fails).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(CHECK_RENDERERS)),
    default="text",
    show_default=True,
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ignore entries and severity overrides (TOML: [[ignore]] or [[tool.apidiff.ignore]]); "
    "default: [tool.apidiff] of the nearest pyproject.toml that has one, from the current "
    "folder upward.",
)
@OFFLINE_OPTION
@OUTPUT_OPTION
def check(
    old: str,
    new: str,
    services: Sequence[str],
    all_services: bool,
    perspective: str,
    fail_on: str,
    min_severity: str,
    output_format: str,
    ignore_file: Path | None,
    offline: bool,
    output: Path | None,
) -> int:
    """What in NEW can break code written against OLD. Exit 1 on findings at --fail-on."""
    policy = discover_policy(ignore_file, Path.cwd())
    with ProgressDisplay() as display:
        index = PackageIndex.from_environment(offline=offline, progress=display.downloading)
        old_source, new_source = open_source(old, index), open_source(new, index)
        report = compare_sources(
            old_source,
            new_source,
            CompareOptions(services=tuple(services), all_services=all_services, with_docs=False),
            progress=display.comparing,
        )
    result = evaluate_check(
        report,
        perspective=Perspective(perspective),
        policy=policy,
        fail_on=None if fail_on == "none" else Severity(fail_on),
        min_severity=Severity(min_severity),
    )
    if output_format == "sarif":
        # Only SARIF points into the model files: read again, a service at a time.
        regions = find_regions(result.findings, source_reader(old_source, new_source))
        write_output(render_check_sarif(result, regions), output)
    else:
        write_output(CHECK_RENDERERS[output_format](result), output)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and step_summary:
        append_step_summary(Path(step_summary), result)
    return ExitStatus.FINDINGS if result.failing else ExitStatus.OK


def append_step_summary(path: Path, result: CheckResult) -> None:
    """The check as Markdown after what earlier commands of the step wrote, within what is
    left of GitHub's limit for the whole file (which it drops whole when it is over)."""
    try:
        written = path.stat().st_size
    except OSError:
        written = 0
    # Characters of at most four UTF-8 bytes each.
    room = (STEP_SUMMARY_LIMIT - written) // 4
    markdown = check_markdown(result, limit=min(MARKDOWN_LIMIT, room), rest=GITHUB_FULL_REPORT)
    if written + len(markdown.encode("utf-8")) > STEP_SUMMARY_LIMIT:
        warn(f"{path}: the step summary is nearly full; the check's summary was not added")
        return
    try:
        with path.open("a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as error:
        raise OutputError(str(path), f"cannot write the step summary: {error.strerror}") from None
