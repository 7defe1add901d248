"""`apidiff site SOURCES... --out DIR`: a static site of release pairs, built or updated."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from apidiff.cli import cli
from apidiff.cli.output import OFFLINE_OPTION
from apidiff.cli.progress import ProgressDisplay
from apidiff.site.build import build_site
from apidiff.site.pairs import release_pairs
from apidiff.sources import PackageIndex


class SiteProgress(ProgressDisplay):
    """The download and comparison bars, and one for the build's steps."""

    def step(self, what: str, done: int, total: int) -> None:
        self._show("building site", done, total, what)


@cli.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site's folder: created, or brought up to date.",
)
@click.option(
    "--from-reports",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Build from the stored Reports in this folder (a site's reports/) alone.",
)
@click.option(
    "--search/--no-search",
    default=True,
    help="Build the search index (needs pagefind[bin]); on by default.",
)
@OFFLINE_OPTION
def site(
    sources: Sequence[str], out: Path, from_reports: Path | None, search: bool, offline: bool
) -> None:
    """Build a browsable site of what changed, release by release, into OUT.

    A SOURCE is `bundled` (every bundled release after its bundled predecessor),
    `botocore==A..botocore==B` (every release from A to B, cached from PyPI), or one
    release (`botocore==1.44.8`, `bundled:botocore-1.20.41`) added with the one before it.
    Pairs already in the site are not diffed again, and only pages that change are written.
    """
    if not sources and from_reports is None:
        raise click.UsageError("give SOURCES, or --from-reports with a folder of stored reports")
    display = SiteProgress()
    with display:
        index = PackageIndex.from_environment(offline=offline, progress=display.downloading)
        pairs = release_pairs(sources, index)
        summary = build_site(
            out,
            pairs,
            index,
            from_reports=from_reports,
            step=display.step,
            comparing=display.comparing,
            search=search,
        )
    click.echo(
        f"{out}: {summary.releases} releases ({summary.diffed} written anew);"
        f" {summary.written} files written, {summary.kept} unchanged",
        err=True,
    )
