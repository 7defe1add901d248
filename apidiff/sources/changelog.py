"""botocore's changelog, which no PyPI file carries: read from a checkout or a given file.

Accepted: a `.changes/<version>.json` file, a `CHANGELOG.rst`, or a botocore source
checkout (which holds both). Each entry's category is botocore's service folder name in
backquotes; `services_of` maps categories onto the services a source really has.

A `.changes` file says its release only in its name (`1.44.8.json`): one of another release
than the new models' is read all the same (it may be what the user means, say for a release
whose models were re-labelled), with a warning that names both versions.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

from apidiff.errors import ChangelogError
from apidiff.sources.base import ChangelogEntry

_RST_ENTRY = re.compile(r"^\* (?P<type>[\w-]+):(?P<category>``[^`]*``|[^:]*):\s*(?P<text>.*)$")
# Entries copied from botocore into boto3's and the CLI's changelogs name their origin.
_ORIGIN_PREFIX = re.compile(r"^\[``[\w-]+``\]\s*")


class ChangelogVersionWarning(UserWarning):
    """A changelog file of another release than the models it is printed with."""


def read_changelog(
    path: Path, version: str | None, *, warn: Callable[[str], None] | None = None
) -> tuple[ChangelogEntry, ...]:
    """The entries of one release from a changelog file or checkout at `path`.

    `warn` is told, in one line, of a `.changes` file named for another release than
    `version`; without it, a ChangelogVersionWarning is issued.
    """
    if path.is_dir():
        return _read_checkout(path, version)
    if path.suffix == ".json":
        entries = _read_changes_json(path)
        mismatch = _other_release(path, version)
        if mismatch is not None:
            if warn is None:
                warnings.warn(mismatch, ChangelogVersionWarning, stacklevel=2)
            else:
                warn(mismatch)
        return entries
    return _read_rst(path, _require(version, path))


def _other_release(path: Path, version: str | None) -> str | None:
    """Why the `.changes` file at `path` is not of release `version`; None where it is, or
    where either version is unknown (a file not named for its release cannot be told)."""
    if version is None:
        return None
    # Imported here: only a .changes file named on the command line is compared so, and
    # packaging's versions took 3 ms of every run that compares releases.
    from packaging.version import InvalidVersion, Version

    try:
        if Version(path.stem) == Version(version):
            return None
    except InvalidVersion:
        return None
    return (
        f"{path}: a changelog of botocore {path.stem}, but the new models are botocore"
        f" {version}; its entries are used all the same"
    )


def _read_checkout(root: Path, version: str | None) -> tuple[ChangelogEntry, ...]:
    release = _require(version, root)
    changes = root / ".changes" / f"{release}.json"
    if changes.is_file():
        return _read_changes_json(changes)
    rst = root / "CHANGELOG.rst"
    if rst.is_file():
        return _read_rst(rst, release)
    raise ChangelogError(str(root), f"neither .changes/{release}.json nor CHANGELOG.rst found")


def _require(version: str | None, path: Path) -> str:
    if version is None:
        raise ChangelogError(
            str(path), "the new models' botocore version is unknown, so the release cannot be found"
        )
    return version


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChangelogError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ChangelogError(str(path), f"cannot be read: {error}") from None


def _read_changes_json(path: Path) -> tuple[ChangelogEntry, ...]:
    try:
        entries = json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise ChangelogError(str(path), f"not valid JSON: {error}") from None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ChangelogError(str(path), "not a botocore .changes file (expected a list of entries)")
    return tuple(
        ChangelogEntry(
            type=str(entry.get("type", "")),
            category=str(entry.get("category", "")),
            description=_ORIGIN_PREFIX.sub("", str(entry.get("description", ""))),
        )
        for entry in entries
    )


def _read_rst(path: Path, version: str) -> tuple[ChangelogEntry, ...]:
    lines = _read_text(path).splitlines()
    try:
        start = next(
            index
            for index, line in enumerate(lines[:-1])
            if line.strip() == version and set(lines[index + 1].strip()) <= {"=", "-"}
        )
    except StopIteration:
        raise ChangelogError(str(path), f"has no section for version {version}") from None
    entries: list[ChangelogEntry] = []
    for line in lines[start + 2 :]:
        if line and set(line.strip()) <= {"=", "-"} and entries:
            break
        match = _RST_ENTRY.match(line.strip())
        if match:
            entries.append(
                ChangelogEntry(
                    type=match["type"],
                    category=match["category"],
                    description=_ORIGIN_PREFIX.sub("", match["text"]),
                )
            )
    return tuple(entries)


def descriptions_for(
    entries: Iterable[ChangelogEntry], service: str, known_services: Iterable[str] = ()
) -> tuple[str, ...]:
    """The changelog texts that belong to `service`."""
    return tuple(
        entry.description for entry in entries if service_of(entry, known_services) == service
    )


def service_of(entry: ChangelogEntry, known_services: Iterable[str] = ()) -> str:
    """The service folder an entry's category names.

    The category is usually the folder name; older entries sometimes use another spelling
    ("SageMaker", "sagemaker_runtime"), so unknown categories are matched ignoring case and
    punctuation against the services the source holds.
    """
    category = entry.category_name
    known = tuple(known_services)
    if not known or category in known:
        return category
    wanted = _squash(category)
    return next((service for service in known if _squash(service) == wanted), category)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())
