"""Which release pairs a site is built from, read from what the user typed.

- `bundled`: every bundled release paired with the bundled release just before it, where
  that is the botocore release just before it (1.20.40 → 1.20.41; not 1.20.41 → 1.20.72,
  whose bundles hold other services);
- `bundled:botocore-1.20.41`: that bundled release and its bundled predecessor;
- `botocore==A..botocore==B`: every release from A to B on the package index, each paired
  with the one before it (A with the one before A);
- any other source (`botocore==1.44.8`, a wheel, `installed`): it and the release before it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from apidiff.site.errors import SiteError
from apidiff.sources import PackageIndex, bundled_names, open_source, previous_release
from apidiff.sources.pypi import parse_release_spec, version_key

BUNDLED = "bundled"
_BUNDLED_PREFIX = "bundled:"
_RANGE = ".."


@dataclass(frozen=True, slots=True)
class ReleasePair:
    """Two sources to compare: a release (`new`) and the one before it (`old`)."""

    old: str
    new: str


def release_pairs(specs: Iterable[str], index: PackageIndex) -> tuple[ReleasePair, ...]:
    """The pairs the specs name, in order, each once."""
    pairs: dict[ReleasePair, None] = {}
    for spec in specs:
        for pair in _pairs_of(spec.strip(), index):
            pairs[pair] = None
    return tuple(pairs)


def _pairs_of(spec: str, index: PackageIndex) -> list[ReleasePair]:
    if spec == BUNDLED:
        return _bundled_pairs()
    if spec.startswith(_BUNDLED_PREFIX):
        return [_bundled_pair(spec)]
    if _RANGE in spec:
        return _range_pairs(spec, index)
    release = parse_release_spec(spec)
    if release is not None and release[0] == "botocore":
        previous = index.previous_version("botocore", release[1], spec)
        return [ReleasePair(f"botocore=={previous}", spec)]
    return [ReleasePair(previous_release(spec, open_source(spec, index), index), spec)]


def _bundled_versions() -> dict[str, str]:
    """Bundled release names by their botocore version."""
    return {
        name.removeprefix("botocore-"): name
        for name in bundled_names()
        if name.startswith("botocore-")
    }


def _bundled_predecessor(version: str) -> str | None:
    numbers = version_key(version)
    if len(numbers) != 3 or numbers[2] == 0:
        return None
    return ".".join(str(number) for number in (*numbers[:2], numbers[2] - 1))


def _bundled_pairs() -> list[ReleasePair]:
    versions = _bundled_versions()
    pairs = []
    for version in sorted(versions, key=version_key):
        previous = _bundled_predecessor(version)
        if previous in versions:
            pairs.append(
                ReleasePair(
                    _BUNDLED_PREFIX + versions[previous], _BUNDLED_PREFIX + versions[version]
                )
            )
    return pairs


def _bundled_pair(spec: str) -> ReleasePair:
    name = spec.removeprefix(_BUNDLED_PREFIX)
    versions = _bundled_versions()
    version = next((key for key, value in versions.items() if value == name), None)
    if version is None:
        raise SiteError(spec, f"no bundled release of that name (have: {', '.join(versions)})")
    previous = _bundled_predecessor(version)
    if previous not in versions:
        raise SiteError(
            spec, "the release before it is not bundled, so it has nothing to pair with"
        )
    return ReleasePair(_BUNDLED_PREFIX + versions[previous], spec)


def _range_pairs(spec: str, index: PackageIndex) -> list[ReleasePair]:
    first_spec, last_spec = (part.strip() for part in spec.split(_RANGE, 1))
    first, last = parse_release_spec(first_spec), parse_release_spec(last_spec)
    if first is None or last is None or first[0] != "botocore" or last[0] != "botocore":
        raise SiteError(spec, "a range is botocore==A..botocore==B")
    if version_key(first[1]) > version_key(last[1]):
        raise SiteError(spec, f"the range runs backwards: {first[1]} is after {last[1]}")
    versions = [last[1]]
    while version_key(versions[-1]) > version_key(first[1]):
        versions.append(index.previous_version("botocore", versions[-1], spec))
    if versions[-1] != first[1]:
        raise SiteError(spec, f"botocore {first[1]} is not a release on the package index")
    versions.append(index.previous_version("botocore", first[1], spec))
    versions.reverse()
    return [
        ReleasePair(f"botocore=={old}", f"botocore=={new}")
        for old, new in itertools.pairwise(versions)
    ]
