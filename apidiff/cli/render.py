"""`apidiff render FILE.json`: any output format from a report or a check saved as JSON."""

from __future__ import annotations

import os
from pathlib import Path

import click

from apidiff.classify import Severity
from apidiff.cli import cli
from apidiff.cli.check import append_step_summary, located_for
from apidiff.cli.output import COLOR_OPTION, OUTPUT_OPTION, emit_report, write_output
from apidiff.errors import ConfigError
from apidiff.render import RENDERERS
from apidiff.render.check import CHECK_RENDERERS
from apidiff.report.serialize import (
    check_from_json,
    is_check_document,
    read_json_file,
    report_from_json,
)


@cli.command()
@click.argument("report_file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(set(RENDERERS) | set(CHECK_RENDERERS))),
    default="text",
    show_default=True,
    help="Output format: a report's (text, markdown, json) or, for a check saved with "
    "`apidiff check --format json`, any of the check's.",
)
@click.option(
    "--min-severity",
    type=click.Choice([severity.value for severity in Severity]),
    help="A saved check: list findings this severe or worse (default: as the check did).",
)
@OUTPUT_OPTION
@COLOR_OPTION
def render(
    report_file: Path,
    output_format: str,
    min_severity: str | None,
    output: Path | None,
    color: str,
) -> None:
    """Render a report or a check saved with --format json in another format."""
    document = read_json_file(report_file)
    if is_check_document(document):
        result = check_from_json(
            document,
            str(report_file),
            min_severity=Severity(min_severity) if min_severity else None,
        )
        usage = None
        if "usage" in document:
            from apidiff.render.check_usage import gate_from_json

            strict = bool(document["check"].get("strict_usage"))
            saved = gate_from_json(document["usage"], result, strict=strict, where=str(report_file))
            usage = located_for(saved, output_format)
        write_output(CHECK_RENDERERS[output_format](result, usage=usage), output)
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if output_format == "github" and step_summary:
            append_step_summary(Path(step_summary), result, usage)
        return
    if output_format not in RENDERERS:
        raise ConfigError(
            str(report_file),
            f"a report renders as {', '.join(sorted(RENDERERS))}; --format {output_format} "
            "renders a check (saved with `apidiff check --format json`)",
        )
    if min_severity:
        raise ConfigError(
            str(report_file), "--min-severity applies to a check, and this is a report"
        )
    emit_report(report_from_json(document, str(report_file)), output_format, output, color=color)
