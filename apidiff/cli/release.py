"""`apidiff release NEW [--since OLD]`: the notes of every service a botocore release changed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from apidiff.cli import cli
from apidiff.cli.notes import ALL_SERVICES_OPTION
from apidiff.cli.output import (
    CHANGELOG_OPTION,
    COLOR_OPTION,
    FORMAT_OPTION,
    OFFLINE_OPTION,
    OUTPUT_OPTION,
    SERVICE_OPTION,
    emit_report,
    warn,
)
from apidiff.cli.progress import ProgressDisplay
from apidiff.compare import CompareOptions, compare_sources
from apidiff.sources import ChangelogEntry, PackageIndex, open_source, previous_release
from apidiff.sources.changelog import read_changelog


@cli.command()
@click.argument("new")
@click.option(
    "--since",
    "old",
    metavar="OLD",
    help="Compare with this source; default: the release just before NEW on the index.",
)
@SERVICE_OPTION
@ALL_SERVICES_OPTION
@FORMAT_OPTION
@CHANGELOG_OPTION
@click.option(
    "--docs/--no-docs",
    default=False,
    help="Add each changed api method's documentation (left out by default: a whole release "
    "of it is tens of megabytes).",
)
@click.option(
    "--jobs",
    "-j",
    "processes",
    type=click.IntRange(min=1),
    help="Compare services in this many processes at once; default: APIDIFF_JOBS, else one "
    "per core (one where the release changes little).",
)
@OFFLINE_OPTION
@OUTPUT_OPTION
@COLOR_OPTION
def release(
    new: str,
    old: str | None,
    services: Sequence[str],
    all_services: bool,
    output_format: str,
    changelog_path: Path | None,
    docs: bool,
    processes: int | None,
    offline: bool,
    output: Path | None,
    color: str,
) -> None:
    """What changed in a release: every service added, removed or changed from OLD to NEW.

    NEW is usually botocore==X.Y.Z or boto3==X.Y.Z (fetched from PyPI and cached), but any
    SOURCE works; OLD defaults to the final, unyanked release before NEW. An overview of the
    changed services comes first, then each one's notes; --docs adds the documentation of
    every changed api method.
    """
    with ProgressDisplay() as display:
        index = PackageIndex.from_environment(offline=offline, progress=display.downloading)
        new_source = open_source(new, index)
        old_source = open_source(old or previous_release(new, new_source, index), index)
        changelog: tuple[ChangelogEntry, ...] | None = None
        if changelog_path is not None:
            changelog = read_changelog(changelog_path, new_source.provenance.version, warn=warn)
        report = compare_sources(
            old_source,
            new_source,
            CompareOptions(
                services=tuple(services),
                all_services=all_services,
                changelog=changelog,
                with_docs=docs,
                processes=processes,
            ),
            progress=display.comparing,
        )
    emit_report(report, output_format, output, color=color, overview=True, docs=docs)
