"""`apidiff cache info` and `apidiff cache clean`: the download cache, shown and pruned.

The cache folder (APIDIFF_CACHE_DIR, or the platform's cache folder) holds the wheels
fetched from the package index, what the index said of each release, the verdicts of
models already found valid, and the notes' compiled templates. Nothing in it is needed:
whatever is removed is fetched, checked or compiled again when next wanted.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

import click

from apidiff.classify.pattern_verdicts import SUBFOLDER as PATTERNS_SUBFOLDER
from apidiff.cli import cli
from apidiff.model.verdicts import FOLDER as VERDICTS_FOLDER
from apidiff.render.environment import TEMPLATES_FOLDER
from apidiff.sources.cache import CachedFiles, WheelCache, default_cache_dir, files_below

# How long `clean` waits for a download in another process to finish before giving up.
CLEAN_PATIENCE = 10.0
_VERDICTS = "model verdicts"
_PATTERN_VERDICTS = "pattern verdicts"
_TEMPLATES = "compiled templates"
_UNITS = ("kB", "MB", "GB", "TB")


@cli.group(name="cache")
def cache_commands() -> None:
    """The download cache: where it is, what it holds, and cleaning it."""


@cache_commands.command()
def info() -> None:
    """Where the cache is, its size, and what it holds."""
    cache = WheelCache(default_cache_dir())
    kinds = (*cache.contents(), *_derived(cache.root))
    click.echo(f"cache: {cache.root}")
    width = max(len(files.kind) for files in kinds)
    for files in kinds:
        click.echo(f"  {files.kind:<{width}}  {len(files.paths):>6}  {_size(files.size):>9}")
    click.echo(f"  {'total':<{width}}  {'':>6}  {_size(sum(files.size for files in kinds)):>9}")


@cache_commands.command()
@click.option(
    "--older-than",
    "older_than",
    # A century at most: past about 2,000 years a date before now is not a date at all.
    type=click.FloatRange(min=0, max=36_500),
    callback=lambda _context, _parameter, days: _a_number_of_days(days),
    metavar="DAYS",
    help="Remove only what has not been used for DAYS days; default: everything.",
)
def clean(older_than: float | None) -> None:
    """Remove the cache's files (or those unused for DAYS days), and say what was freed.

    A download going on in another apidiff process is waited for; its files are never
    removed while it runs.
    """
    cache = WheelCache(default_cache_dir())
    age = None if older_than is None else dt.timedelta(days=older_than)
    removed = cache.clean(age, CLEAN_PATIENCE, others=_derived(cache.root))
    click.echo(_freed(cache.root, removed))


def _derived(root: Path) -> tuple[CachedFiles, ...]:
    """What apidiff worked out and kept rather than downloaded: model verdicts, pattern
    verdicts (kept among the model verdicts), templates."""
    patterns = root / VERDICTS_FOLDER / PATTERNS_SUBFOLDER
    return (
        files_below(_VERDICTS, root / VERDICTS_FOLDER, excluding=patterns),
        files_below(_PATTERN_VERDICTS, patterns),
        files_below(_TEMPLATES, root / TEMPLATES_FOLDER),
    )


def _a_number_of_days(days: float | None) -> float | None:
    # FloatRange lets NaN through: it is neither below nor above any bound.
    if days is not None and math.isnan(days):
        raise click.BadParameter("not a number of days", param_hint="'--older-than'")
    return days


def _freed(root: Path, removed: Sequence[CachedFiles]) -> str:
    total = sum(files.size for files in removed)
    counts = ", ".join(f"{len(files.paths)} {files.kind}" for files in removed)
    return f"freed {_size(total)} in {root}: {counts}"


def _size(size: int) -> str:
    """A size in bytes as people read it: 512 B, 1.2 kB, 13.4 MB (powers of 1000)."""
    value, unit = float(size), "B"
    for larger in _UNITS:
        if value < 1000:
            break
        value, unit = value / 1000, larger
    return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
