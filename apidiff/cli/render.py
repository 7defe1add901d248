"""`apidiff render REPORT.json`: any output format from a report saved as JSON."""

from __future__ import annotations

from pathlib import Path

import click

from apidiff.cli import cli
from apidiff.cli.output import COLOR_OPTION, FORMAT_OPTION, OUTPUT_OPTION, emit_report
from apidiff.report.serialize import load_report


@cli.command()
@click.argument("report_file", type=click.Path(path_type=Path))
@FORMAT_OPTION
@OUTPUT_OPTION
@COLOR_OPTION
def render(report_file: Path, output_format: str, output: Path | None, color: str) -> None:
    """Render a report saved with --format json in another format."""
    emit_report(load_report(report_file), output_format, output, color=color)
