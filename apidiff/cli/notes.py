"""`apidiff notes OLD NEW`: release notes of what changed, per service and api method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click

from apidiff.cli import cli
from apidiff.cli.output import (
    CHANGELOG_OPTION,
    COLOR_OPTION,
    FORMAT_OPTION,
    NO_DOCS_OPTION,
    OFFLINE_OPTION,
    OUTPUT_OPTION,
    SERVICE_OPTION,
    emit_report,
    warn,
)
from apidiff.cli.progress import ProgressDisplay
from apidiff.compare import CompareOptions, compare_sources
from apidiff.sources import ChangelogEntry, PackageIndex, open_source
from apidiff.sources.changelog import read_changelog

# Beside SERVICE_OPTION in spirit; release and check take it from here.
ALL_SERVICES_OPTION = click.option(
    "--all-services",
    is_flag=True,
    help="Where a side holds only some services (a folder, bundled models, one file), "
    "compare the services only one side holds too, as added or removed; by default they "
    "are left out.",
)


@cli.command()
@click.argument("old")
@click.argument("new")
@SERVICE_OPTION
@ALL_SERVICES_OPTION
@FORMAT_OPTION
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The release date to print; default: the new models' release date.",
)
@CHANGELOG_OPTION
@NO_DOCS_OPTION
@OFFLINE_OPTION
@OUTPUT_OPTION
@COLOR_OPTION
def notes(
    old: str,
    new: str,
    services: Sequence[str],
    all_services: bool,
    output_format: str,
    date: dt.datetime | None,
    changelog_path: Path | None,
    no_docs: bool,
    offline: bool,
    output: Path | None,
    color: str,
) -> None:
    """Release notes of what changed from OLD to NEW, per service and api method."""
    with ProgressDisplay() as display:
        index = PackageIndex.from_environment(offline=offline, progress=display.downloading)
        old_source, new_source = open_source(old, index), open_source(new, index)
        changelog: tuple[ChangelogEntry, ...] | None = None
        if changelog_path is not None:
            changelog = read_changelog(changelog_path, new_source.provenance.version, warn=warn)
        report = compare_sources(
            old_source,
            new_source,
            CompareOptions(
                services=tuple(services),
                all_services=all_services,
                date=date.date() if date else None,
                changelog=changelog,
                with_docs=not no_docs,
            ),
            progress=display.comparing,
        )
    emit_report(report, output_format, output, color=color)
