"""Sources on the local disk: one model file, a folder in botocore's `data/` layout, or a
model piped to standard input.

A folder may carry a `provenance.json` (what the bundled models in `models/` have): the
botocore version, its release date and its changelog entries.

Each holds only some of botocore's services, so its provenance says it is partial.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import sys
import zlib
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from apidiff.errors import SourceError
from apidiff.sources.base import (
    ENDPOINT_RULES_KIND,
    MODEL_KIND,
    PAGINATORS_KIND,
    PARTITIONS_KIND,
    WAITERS_KIND,
    ChangelogEntry,
    ModelFile,
    Provenance,
    ServiceFiles,
    extras_names,
    file_names,
    portable_location,
)

MODEL_NAMES = file_names(MODEL_KIND)
_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")


def _first_existing(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / name for name in names if (folder / name).is_file()), None)


def _read(path: Path, kind: str | None = None) -> ModelFile:
    """The file at `path`, with the extras of `kind` beside it where there are any."""
    extras = _first_existing(path.parent, extras_names(kind)) if kind else None
    try:
        return ModelFile(str(path), path.read_bytes(), _read(extras) if extras else None)
    except OSError as error:
        raise SourceError(str(path), error.strerror or "cannot be read") from None


def _companion(folder: Path, kind: str) -> ModelFile | None:
    path = _first_existing(folder, file_names(kind))
    return _read(path, kind) if path else None


def _service_files(service: str | None, version_dir: Path, model_path: Path) -> ServiceFiles:
    """The files in `version_dir`; without a `service` name, named as botocore would name
    them (see `_names`)."""
    model = _read(model_path, MODEL_KIND)
    name, api_version = (service, version_dir.name) if service else _names(version_dir, model)
    return ServiceFiles(
        service=name,
        api_version=api_version,
        model=model,
        paginators=_companion(version_dir, PAGINATORS_KIND),
        waiters=_companion(version_dir, WAITERS_KIND),
        endpoint_rules=_companion(version_dir, ENDPOINT_RULES_KIND),
        partitions=_partitions(version_dir),
    )


def _partitions(version_dir: Path) -> ModelFile | None:
    """The partitions.json of the data folder `version_dir` is in (`<data>/<service>/<api>/`),
    where it has one."""
    path = _first_existing(version_dir.parent.parent, file_names(PARTITIONS_KIND))
    return _read(path) if path else None


def _names(version_dir: Path, model: ModelFile) -> tuple[str, str]:
    """The service name and api version of a model in `version_dir`.

    In botocore's layout (`<service>/<api-version>/`) the folders say both; elsewhere the
    folder is whatever the user called it, so the model's metadata says them.
    """
    if _API_VERSION.fullmatch(version_dir.name) and version_dir.parent.name:
        return version_dir.parent.name, version_dir.name
    metadata = _metadata(model.data)
    return (
        botocore_name(metadata) or version_dir.name or Path(model.path).stem,
        str(metadata.get("apiVersion") or version_dir.name),
    )


class _OneModel:
    """A source of one service's model: a file, or standard input."""

    provenance: Provenance
    _files: ServiceFiles

    def services(self) -> tuple[str, ...]:
        return (self._files.service,)

    def service_files(self, service: str) -> ServiceFiles:
        if service != self._files.service:
            raise SourceError(self.provenance.spec, f"holds no service {service!r}")
        return self._files

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return None


class FileSource(_OneModel):
    """A single service-2.json[.gz], with the paginators and waiters found beside it."""

    def __init__(self, path: Path, spec: str) -> None:
        self.provenance = Provenance(spec=spec, location=portable_location(path), partial=True)
        self._files = _service_files(None, path.parent, path)


STDIN_SPECS = ("-", "/dev/stdin")
_STDIN_PATH = "<stdin>"


class StdinSource(_OneModel):
    """One model piped to standard input, named from its metadata (see `botocore_name`)."""

    def __init__(self, data: bytes, spec: str) -> None:
        self.provenance = Provenance(spec=spec, location=_STDIN_PATH, partial=True)
        model = ModelFile(_STDIN_PATH, data)
        metadata = _metadata(data)
        self._files = ServiceFiles(
            service=botocore_name(metadata) or "stdin",
            api_version=str(metadata.get("apiVersion") or "unknown"),
            model=model,
        )


def open_stdin(spec: str, stream: BinaryIO | None = None) -> StdinSource:
    """The model on standard input (`-` or `/dev/stdin`), read whole, once."""
    stream = stream if stream is not None else sys.stdin.buffer
    if stream.isatty():
        raise SourceError(spec, "standard input is a terminal: pipe a service model into it")
    data = stream.read()
    if not data:
        raise SourceError(spec, "standard input is empty (only one of OLD and NEW can read it)")
    return StdinSource(data, spec)


def botocore_name(metadata: dict[str, Any]) -> str | None:
    """The name botocore gives the service a model describes: its `data/` folder's name.

    botocore derives it from `serviceId`, lower-cased with spaces as hyphens, except for the
    services botocore lists in `CLIENT_NAME_TO_HYPHENIZED_SERVICE_ID_OVERRIDES` (`elbv2` for
    "Elastic Load Balancing v2"). Over botocore 1.44.8's 445 services this names 444 right:
    `pinpoint-sms-voice` is the same model as `sms-voice`. Models older than `serviceId`
    fall back to their `endpointPrefix`, then `signingName`.
    """
    service_id = metadata.get("serviceId")
    if isinstance(service_id, str) and service_id.strip():
        hyphenized = service_id.strip().replace(" ", "-").lower()
        return _service_names_by_hyphenized_id().get(hyphenized, hyphenized)
    for key in ("endpointPrefix", "signingName"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _service_names_by_hyphenized_id() -> dict[str, str]:
    # Imported here: botocore.utils costs a tenth of a second, paid only by a loose model.
    from botocore import utils

    overrides: dict[str, str] = getattr(utils, "CLIENT_NAME_TO_HYPHENIZED_SERVICE_ID_OVERRIDES", {})
    return {hyphenized: name for name, hyphenized in overrides.items()}


def _metadata(data: bytes) -> dict[str, Any]:
    """A model's `metadata` object, or {} where the bytes are not a model.

    A model that cannot be read is the model stage's to explain, with its file and reason;
    here it only goes without a name from its metadata.
    """
    try:
        text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        document = json.loads(text)
    except (OSError, EOFError, zlib.error, ValueError, RecursionError):
        return {}
    metadata = document.get("metadata") if isinstance(document, dict) else None
    return metadata if isinstance(metadata, dict) else {}


class DirectorySource:
    """A folder of `<service>/<api-version>/service-2.json[.gz]`, or one service's folder."""

    def __init__(self, root: Path, spec: str) -> None:
        self._root = root
        self._spec = spec
        self._own = _own_model(root)
        self._index = {} if self._own else _index_services(root)
        if not self._own and not self._index:
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
        _check_manifest(manifest, path)
        return manifest

    @property
    def provenance(self) -> Provenance:
        manifest = self._manifest
        released = manifest.get("released")
        return Provenance(
            spec=self._spec,
            location=portable_location(self._root),
            partial=True,
            package=manifest.get("package"),
            version=manifest.get("version"),
            released=dt.date.fromisoformat(released) if released is not None else None,
        )

    def services(self) -> tuple[str, ...]:
        return (self._own.service,) if self._own else tuple(sorted(self._index))

    def service_files(self, service: str) -> ServiceFiles:
        if self._own is not None and service == self._own.service:
            return self._own
        if service not in self._index:
            raise SourceError(self._spec, f"holds no service {service!r}")
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


def _check_manifest(manifest: dict[str, Any], path: Path) -> None:
    """Refuse a provenance.json whose fields are not what `provenance` and `changelog` read,
    so a hand-edited one is a one-line error naming it rather than a crash in between."""
    for key in ("package", "version", "released"):
        if manifest.get(key) is not None and not isinstance(manifest[key], str):
            raise SourceError(str(path), f'unreadable provenance: "{key}" is not a string')
    released = manifest.get("released")
    if released is not None:
        try:
            dt.date.fromisoformat(released)
        except ValueError:
            raise SourceError(
                str(path),
                f'unreadable provenance: "released" is not a YYYY-MM-DD date: {released!r}',
            ) from None
    entries = manifest.get("changelog", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise SourceError(str(path), 'unreadable provenance: "changelog" is not a list of objects')


def _own_model(root: Path) -> ServiceFiles | None:
    """The files of the model in `root` itself (an api version's folder, or any folder the
    user put one model in), or None where it holds none."""
    model = _first_existing(root, MODEL_NAMES)
    return _service_files(None, root, model) if model is not None else None


def _index_services(root: Path) -> dict[str, tuple[Path, Path]]:
    """Each service's newest api-version folder and model file under `root`: a data folder
    (services inside) or one service's folder (api versions inside).
    """
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
