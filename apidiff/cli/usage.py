"""`apidiff usage PATH...`: the boto3 calls a code base makes, read without running it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from apidiff.cli import cli
from apidiff.cli.output import OFFLINE_OPTION, OUTPUT_OPTION, write_output
from apidiff.model.verdicts import ModelVerdicts
from apidiff.sources import PackageIndex, open_source
from apidiff.sources.cache import default_cache_dir
from apidiff.usage import scan_usage
from apidiff.usage.output import render_usage_json, render_usage_text

_RENDERERS = {"text": render_usage_text, "json": render_usage_json}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--models",
    default="installed",
    show_default=True,
    help="The SOURCE whose service models name the operations (see `apidiff --help`).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(_RENDERERS)),
    default="text",
    show_default=True,
)
@OFFLINE_OPTION
@OUTPUT_OPTION
def usage(
    paths: Sequence[str], models: str, output_format: str, offline: bool, output: Path | None
) -> None:
    """What the Python code under PATHS calls: services, operations, parameters passed and
    response keys read, each at file:line:col. The code is read, never imported or run;
    files that do not parse are listed and skipped."""
    index = PackageIndex.from_environment(offline=offline)
    source = open_source(models, index)
    found = scan_usage(paths, source, ModelVerdicts(default_cache_dir()))
    write_output(_RENDERERS[output_format](found), output)
