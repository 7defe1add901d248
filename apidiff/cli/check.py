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
from apidiff.cli.output import OFFLINE_OPTION, OUTPUT_OPTION, SERVICE_OPTION, write_output
from apidiff.cli.progress import ProgressDisplay
from apidiff.compare import CompareOptions, compare_sources
from apidiff.errors import ExitStatus
from apidiff.render.check import CHECK_RENDERERS, render_check_markdown
from apidiff.report.check import evaluate_check
from apidiff.sources import PackageIndex, open_source

_SEVERITIES = [severity.value for severity in Severity]


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
    default=Severity.SAFE.value,
    show_default=True,
    help="Show findings this severe or worse (independent of --fail-on).",
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
        report = compare_sources(
            open_source(old, index),
            open_source(new, index),
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
    write_output(CHECK_RENDERERS[output_format](result), output)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as summary:
            summary.write(render_check_markdown(result))
    return ExitStatus.FINDINGS if result.failing else ExitStatus.OK
