"""The command line: parse arguments, run the pipeline, print. Errors become one line here.

Exit status, the same for every command: 0 success; 1 findings at or above --fail-on;
2 usage error; 3 input that cannot be loaded or fetched.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click

from apidiff import __version__
from apidiff.compare import CompareOptions, compare_sources
from apidiff.errors import ApidiffError, ExitStatus
from apidiff.render import RENDERERS
from apidiff.report import Report
from apidiff.report.serialize import load_report
from apidiff.sources import ChangelogEntry, open_source
from apidiff.sources.changelog import read_changelog

_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apidiff")
def cli() -> None:
    """What changed between two versions of AWS service models.

    A SOURCE is a service-2.json[.gz] file, a folder in botocore's data/ layout, or
    bundled:NAME for models shipped with apidiff (bundled:botocore-1.20.41).
    """


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--service", "services", multiple=True, help="Only this service (repeatable).")
@_FORMAT
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The release date to print; default: the new models' release date.",
)
@click.option(
    "--changelog",
    "changelog_path",
    type=click.Path(exists=True, path_type=Path),
    help="botocore's .changes/<version>.json, CHANGELOG.rst, or a botocore checkout.",
)
@click.option("--no-docs", is_flag=True, help="Leave out the method documentation.")
@_OUTPUT
def notes(
    old: str,
    new: str,
    services: Sequence[str],
    output_format: str,
    date: dt.datetime | None,
    changelog_path: Path | None,
    no_docs: bool,
    output: Path | None,
) -> None:
    """Release notes of what changed from OLD to NEW, per service and api method."""
    old_source, new_source = open_source(old), open_source(new)
    changelog: tuple[ChangelogEntry, ...] | None = None
    if changelog_path is not None:
        changelog = read_changelog(changelog_path, new_source.provenance.version)
    report = compare_sources(
        old_source,
        new_source,
        CompareOptions(
            services=tuple(services),
            date=date.date() if date else None,
            changelog=changelog,
            with_docs=not no_docs,
        ),
    )
    _emit(report, output_format, output)


@cli.command()
@click.argument("report_file", type=click.Path(path_type=Path))
@_FORMAT
@_OUTPUT
def render(report_file: Path, output_format: str, output: Path | None) -> None:
    """Render a report saved with --format json in another format."""
    _emit(load_report(report_file), output_format, output)


def _emit(report: Report, output_format: str, output: Path | None) -> None:
    text = RENDERERS[output_format](report)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that it is either complete or absent, never half written."""
    directory = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="apidiff", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("apidiff: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(ExitStatus.USAGE if error.exit_code == 2 else error.exit_code)
    except ApidiffError as error:
        click.echo(f"apidiff: error: {error}", err=True)
        sys.exit(error.exit_status)
    except OSError as error:
        where = error.filename or "apidiff"
        click.echo(f"apidiff: error: {where}: {error.strerror or error}", err=True)
        sys.exit(ExitStatus.INPUT)
    sys.exit(ExitStatus.OK)
