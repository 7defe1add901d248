"""`installed`: the botocore importable in the running Python, read from its data folder.

Nothing is imported from botocore but its location and version; the models are read from
disk like any folder in botocore's `data/` layout.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from apidiff.errors import SourceError
from apidiff.sources.base import ChangelogEntry, Provenance, ServiceFiles
from apidiff.sources.local import DirectorySource


class InstalledSource:
    """The models of the installed botocore, with its version as provenance."""

    def __init__(self, spec: str) -> None:
        try:
            botocore = importlib.import_module("botocore")
        except ImportError as error:
            raise SourceError(spec, f"no botocore is importable in this Python ({error})") from None
        location = getattr(botocore, "__file__", None)
        if location is None:
            raise SourceError(spec, "the importable botocore has no files on disk")
        data = Path(location).parent / "data"
        self._folder = DirectorySource(data, spec)
        version = getattr(botocore, "__version__", None)
        # An installed package does not record its release date, and guessing one from file
        # times would print a wrong date: it is left unknown. Where it is installed differs
        # from machine to machine, so a report records only the package's own folder.
        self.provenance = Provenance(
            spec=spec,
            location="botocore/data",
            package="botocore",
            version=version if isinstance(version, str) else None,
        )

    def services(self) -> tuple[str, ...]:
        return self._folder.services()

    def service_files(self, service: str) -> ServiceFiles:
        return self._folder.service_files(service)

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return None
