"""Sources on the local disk: one model file, or a folder in botocore's `data/` layout.

A folder may carry a `provenance.json` (what the bundled models in `models/` have): the
botocore version, its release date and its changelog entries.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from apidiff.errors import SourceError
from apidiff.sources.base import ChangelogEntry, ModelFile, Provenance, ServiceFiles

MODEL_NAMES = ("service-2.json", "service-2.json.gz")
PAGINATOR_NAMES = ("paginators-1.json", "paginators-1.json.gz")
WAITER_NAMES = ("waiters-2.json", "waiters-2.json.gz")
_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")


def _first_existing(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / name for name in names if (folder / name).is_file()), None)


def _read(path: Path) -> ModelFile:
    try:
        return ModelFile(str(path), path.read_bytes())
    except OSError as error:
        raise SourceError(str(path), error.strerror or "cannot be read") from None


def _service_files(service: str, version_dir: Path, model: Path) -> ServiceFiles:
    paginators = _first_existing(version_dir, PAGINATOR_NAMES)
    waiters = _first_existing(version_dir, WAITER_NAMES)
    return ServiceFiles(
        service=service,
        api_version=version_dir.name,
        model=_read(model),
        paginators=_read(paginators) if paginators else None,
        waiters=_read(waiters) if waiters else None,
    )


class FileSource:
    """A single service-2.json[.gz], with the paginators and waiters found beside it."""

    def __init__(self, path: Path, spec: str) -> None:
        self._path = path
        self.provenance = Provenance(spec=spec, location=str(path))
        parent = path.parent
        # In botocore's layout the folder above the api version is the service's name.
        in_layout = _API_VERSION.fullmatch(parent.name) is not None
        self._service = parent.parent.name if in_layout else (parent.name or path.stem)

    def services(self) -> tuple[str, ...]:
        return (self._service,)

    def service_files(self, service: str) -> ServiceFiles:
        if service != self._service:
            raise SourceError(self.provenance.location, f"holds no service {service!r}")
        return _service_files(service, self._path.parent, self._path)

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return None


class DirectorySource:
    """A folder of `<service>/<api-version>/service-2.json[.gz]`, or one service's folder."""

    def __init__(self, root: Path, spec: str) -> None:
        self._root = root
        self._spec = spec
        self._index = _index_services(root)
        if not self._index:
            raise SourceError(
                str(root),
                "no service models found (expected <service>/<api-version>/service-2.json)",
            )

    @cached_property
    def _manifest(self) -> dict[str, Any]:
        path = self._root / "provenance.json"
        if not path.is_file():
            return {}
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SourceError(str(path), f"unreadable provenance: {error}") from None
        if not isinstance(manifest, dict):
            raise SourceError(str(path), "unreadable provenance: not a JSON object")
        return manifest

    @property
    def provenance(self) -> Provenance:
        manifest = self._manifest
        released = manifest.get("released")
        return Provenance(
            spec=self._spec,
            location=str(self._root),
            package=manifest.get("package"),
            version=manifest.get("version"),
            released=dt.date.fromisoformat(released) if released else None,
        )

    def services(self) -> tuple[str, ...]:
        return tuple(sorted(self._index))

    def service_files(self, service: str) -> ServiceFiles:
        if service not in self._index:
            raise SourceError(str(self._root), f"holds no service {service!r}")
        version_dir, model = self._index[service]
        return _service_files(service, version_dir, model)

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        if "changelog" not in self._manifest:
            return None
        return tuple(
            ChangelogEntry(
                type=str(entry.get("type", "")),
                category=str(entry.get("category", "")),
                description=str(entry.get("description", "")),
            )
            for entry in self._manifest.get("changelog", ())
        )


def _index_services(root: Path) -> dict[str, tuple[Path, Path]]:
    """Each service's newest api-version folder and model file under `root`.

    `root` may be a data folder (services inside), one service's folder (api versions
    inside) or one api version's folder (the model inside).
    """
    own_model = _first_existing(root, MODEL_NAMES)
    if own_model is not None:
        service = root.parent.name if _API_VERSION.fullmatch(root.name) else root.name
        return {service: (root, own_model)}
    newest = _newest_version(root)
    if newest is not None:
        return {root.name: newest}
    found = {}
    for child in sorted(root.iterdir()) if root.is_dir() else ():
        if child.is_dir():
            version = _newest_version(child)
            if version is not None:
                found[child.name] = version
    return found


def _newest_version(service_dir: Path) -> tuple[Path, Path] | None:
    # Api versions are ISO dates, so the newest sorts last.
    for version_dir in sorted(service_dir.iterdir(), reverse=True):
        if version_dir.is_dir():
            model = _first_existing(version_dir, MODEL_NAMES)
            if model is not None:
                return version_dir, model
    return None
