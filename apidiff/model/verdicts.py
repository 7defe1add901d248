"""Models already found valid, remembered by their bytes so each is checked once per machine.

Checking a model against the schema and its references costs about as much as diffing it, and
a botocore release is compared again and again (each release against the next, a site rebuilt,
CI runs). A verdict is an empty file named by the sha256 of the model file's bytes, in a folder
named by what did the checking (this apidiff version, its schema and the code of the checks):
a change to any of them checks everything again. Only "valid" is remembered: a bad model is
always checked, so its error is always the full one. The files are a shortcut, never a source
of truth to repair: one that cannot be written is left out, and the model is checked again
next time.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from apidiff import __version__
from apidiff.resources import schema_path

FOLDER = "valid-models"
SCHEMA_NAME = "service-model.schema.json"


class ModelVerdicts:
    """The models known to be valid, in a folder of the cache."""

    def __init__(self, cache_root: Path) -> None:
        self._folder = cache_root / FOLDER / _checker_fingerprint()

    def known_valid(self, data: bytes) -> bool:
        return self._path(data).exists()

    def remember_valid(self, data: bytes) -> None:
        path = self._path(data)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # An empty file is whole the moment it exists: no temporary file is needed.
            path.touch()
        except OSError:
            pass  # A read-only or full cache only costs the check next time.

    def _path(self, data: bytes) -> Path:
        return self._folder / hashlib.sha256(data).hexdigest()


@cache
def _checker_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    digest.update(schema_path(SCHEMA_NAME).read_bytes())
    # A development checkout changes the checks without changing its version number.
    digest.update(Path(__file__).with_name("document.py").read_bytes())
    return digest.hexdigest()[:16]
