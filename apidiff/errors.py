"""The failure families of apidiff, and the exit status each one ends the CLI with.

Every error is raised with the file (or spec) it concerns and the reason, so the CLI can
print it as one line. Nothing below the CLI prints or exits.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The exit statuses the CLI documents (apidiff/cli/__init__.py), and no others."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INPUT = 3
    # sysexits.h's EX_SOFTWARE: an unexpected exception, a bug in apidiff.
    BUG = 70
    # What a shell reports for a program stopped by SIGINT (Ctrl-C) ...
    INTERRUPTED = 130
    # ... and by SIGPIPE: standard output was closed early, as by `apidiff ... | head -1`.
    OUTPUT_CLOSED = 141


class ApidiffError(Exception):
    """An expected failure: shown to the user as one line, never as a traceback."""

    exit_status = ExitStatus.INPUT

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason

    def __reduce__(self) -> tuple[type[ApidiffError], tuple[str, str]]:
        # Raised in a worker process, an error is pickled back to the parent (parallel.py).
        return type(self), (self.where, self.reason)


class ModelLoadError(ApidiffError):
    """A model file that cannot be read, parsed or validated."""


class SourceError(ApidiffError):
    """A source spec that names nothing usable: a missing path, version or service."""


class FetchError(ApidiffError):
    """A download that failed or produced something other than what was asked for."""


class ChangelogError(ApidiffError):
    """A changelog file that cannot be read."""


class ReportLoadError(ApidiffError):
    """A saved report that cannot be read back."""


class ConfigError(ApidiffError):
    """An ignore file or configuration that cannot be used."""

    exit_status = ExitStatus.USAGE


class OutputError(ApidiffError):
    """An output file that cannot be written."""
