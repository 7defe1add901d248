"""The command line: parse arguments, run the pipeline, print. Errors become one line here.

Exit status, the same for every command: 0 success; 1 findings at or above --fail-on;
2 usage error; 3 input that cannot be loaded or fetched. Each command lives in its own
module of this package and registers itself on `cli`.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence

import click

from apidiff import __version__
from apidiff.errors import ApidiffError, ExitStatus


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apidiff")
def cli() -> None:
    """What changed between two versions of AWS service models.

    A SOURCE is a service-2.json[.gz] file, a folder in botocore's data/ layout, a
    botocore wheel, botocore==X.Y.Z or boto3==X.Y.Z (fetched from PyPI and cached),
    installed (the botocore in this Python), or bundled:NAME for models shipped with
    apidiff (bundled:botocore-1.20.41).
    """


# Comparing one service makes tens of thousands of dicts and lists in a burst (its parsed
# models, their indexes, its documentation), nearly all alive until the service is done and
# none in a cycle; at the default threshold, a collection every 700 new containers, the
# collector scans them again and again for nothing. Raised, it cut `apidiff release` over a
# whole botocore release by 12% without documentation and by 20% with it, at the same peak
# memory. Cycles are still collected, only less often.
_COLLECTION_THRESHOLDS = (100_000, 50, 50)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Raise the garbage collector's thresholds for one command, then put them back."""
    previous = gc.get_threshold()
    gc.set_threshold(*_COLLECTION_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def main(argv: Sequence[str] | None = None) -> None:
    # Imported for their side effect: each module adds its command to `cli`.
    from apidiff.cli import check, kinds, notes, release, render, serve, site  # noqa: F401

    try:
        with _fewer_collections():
            status = cli.main(args=argv, prog_name="apidiff", standalone_mode=False)
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
    sys.exit(status if isinstance(status, int) else ExitStatus.OK)
