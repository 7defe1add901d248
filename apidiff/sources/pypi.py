"""Releases of botocore (and boto3) from a package index speaking PyPI's JSON API.

A release is named like a requirement (`parse_requirement`): `botocore==X.Y.Z`, or a range
such as `botocore>=1.44,<1.45` that stands for the newest release it admits. `botocore==X.Y.Z` is
looked up with `/pypi/botocore/X.Y.Z/json` (or, on an index without the
per-release endpoint, in the package's listing `/pypi/botocore/json`); its wheel is downloaded,
checked against the sha256 the index gives, and kept in the cache (`cache.py`). A release met
before is served from the cache without a request. `boto3==X.Y.Z` stands for the botocore
release that boto3 release was built for: the lower bound of its wheel's `Requires-Dist`.
The HTTP itself (timeouts, retries) is `fetch.py`'s.

Configuration, from the environment: `APIDIFF_PYPI_URL` (the index, default https://pypi.org),
`APIDIFF_CACHE_DIR`, `APIDIFF_OFFLINE=1` (the cache only), `APIDIFF_TIMEOUT` (seconds per
request), `APIDIFF_RETRIES` and `APIDIFF_BACKOFF` (the first pause between tries, doubled each
time). Proxies come from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, as urllib reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import struct
import threading
import urllib.parse
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apidiff.errors import ConfigError, FetchError, SourceError
from apidiff.sources.archive import ZipArchive, ZipData, ZipError
from apidiff.sources.cache import CacheBusyError, ReleaseFile, WheelCache, default_cache_dir
from apidiff.sources.wheel import WheelSource, open_zip, wheel_version

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

    from apidiff.sources.fetch import HttpFetcher

PYPI_URL = "https://pypi.org"
INDEX_URL_VARIABLE = "APIDIFF_PYPI_URL"
RELEASE_PACKAGES = ("botocore", "boto3")
# The patterns only some runs use are kept as text, compiled (and cached) by `re` on first
# use: compiling them all took 2 ms of every run that opens a release by a plain pin.
# What makes a spec read as a requirement rather than a path: a package name followed by
# extras, a version operator or a direct reference ("@"). `models/botocore-1.20.41` or
# `./botocore==1.0` never match: a name holds no "/".
_REQUIREMENT_LIKE = (
    r"(?s)\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?P<rest>[\[=!<>~@].*)"
)
# Another package's name reads as a requirement only when a version follows: `a=b.json` or
# `notes[1].json` are files that do not exist, not requirements.
# The spec nearly every run names, a pin of a plain version (`botocore==1.44.8`): read
# without packaging's requirement parser, whose import (markers, platform tags and their
# tokenizer) took 25 ms of `apidiff release`. Leading zeros are left to packaging, which
# normalises them away.
_PLAIN_PIN = re.compile(
    r"\s*(?P<name>botocore|boto3)\s*==\s*(?P<version>(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*)\s*",
    re.IGNORECASE,
)
_VERSION_CLAUSE = r"\s*(===|==|!=|<=|>=|~=|<|>)\s*\d"
_SPECIFIER_PARTS = r"(?s)\s*(?P<operator>===|==|!=|<=|>=|~=|<|>)?\s*(?P<version>.*?)\s*"
# A version's release numbers; a final release (what pip picks by default) is nothing else:
# no pre-, post-, dev- or local part.
_RELEASE_NUMBERS = re.compile(r"\d+(\.\d+)*")
_BOTOCORE_REQUIREMENT = (
    r"(?i)botocore\s*(\[[^\]]*\])?\s*\(?\s*(?P<specifiers>[<>=!~][^;)]*)?\)?\s*(;(?P<marker>.*))?"
)
_LOWER_BOUND = r"(>=|==|~=)\s*(?P<version>[0-9][\w.]*)"

_YES = ("1", "true", "yes", "on")
# How long a download waits for another process's download into the same cache: a whole
# botocore wheel over a slow link, not a hung process (the OS frees a dead one's lock).
_LOCK_PATIENCE = 600.0

# Called with (file name, bytes received, bytes expected or None) while a wheel downloads.
DownloadProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Where releases come from and how hard to try; `from_environment` reads the variables."""

    cache_dir: Path
    index_url: str = PYPI_URL
    offline: bool = False
    # Which switch made it offline, named where something is missing from the cache.
    offline_switch: str = "--offline"
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    @classmethod
    def from_environment(cls, *, offline: bool = False) -> FetchSettings:
        offline_by_environment = os.environ.get("APIDIFF_OFFLINE", "").lower() in _YES
        return cls(
            cache_dir=default_cache_dir(),
            index_url=os.environ.get(INDEX_URL_VARIABLE) or PYPI_URL,
            offline=offline or offline_by_environment,
            offline_switch="--offline" if offline else "APIDIFF_OFFLINE",
            timeout=_number_from_environment("APIDIFF_TIMEOUT", 30.0),
            retries=int(_number_from_environment("APIDIFF_RETRIES", 3)),
            backoff=_number_from_environment("APIDIFF_BACKOFF", 0.5),
        )


def _number_from_environment(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(name, f"not a number: {value!r}") from None
    if number < 0:
        raise ConfigError(name, f"must not be negative: {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class ReleaseRequirement:
    """A release of botocore or boto3 named like a requirement: one version or a range."""

    package: str
    specifier: SpecifierSet

    @property
    def pinned(self) -> str | None:
        """The version of an exact pin (`==1.44.8`, `===1.44.8`); None for a range."""
        from packaging.version import Version

        specifiers = list(self.specifier)
        if len(specifiers) != 1 or specifiers[0].version.endswith(".*"):
            return None
        (only,) = specifiers
        if only.operator == "===":
            return only.version
        return str(Version(only.version)) if only.operator == "==" else None

    def admits(self, versions: Iterable[str]) -> list[str]:
        """Those of `versions` the range admits. Pre-releases only where the specifier names
        one: packaging alone falls back to them when no final release matches, which would
        make `botocore>1.35.72` open a release candidate."""
        valid = [version for version in versions if _is_version(version)]
        return list(self.specifier.filter(valid, prereleases=bool(self.specifier.prereleases)))


def parse_requirement(spec: str) -> ReleaseRequirement | None:
    """The release a requirement-like spec names; None where the spec does not read as one.

    Names are compared as packaging normalises them (`Botocore`, `BOTO3`); extras are
    ignored (they change no model). SourceError for one that reads as a requirement but
    names no usable release: another package, a version that is not one, a URL, a marker.
    """
    # Imported here, as in the functions below: packaging takes 30 ms to import, and a run
    # from bundled models or files never reads a requirement.
    from packaging.specifiers import SpecifierSet

    pin = parse_plain_pin(spec)
    if pin is not None:
        package, version = pin
        return ReleaseRequirement(package, SpecifierSet(f"=={version}"))
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    shape = re.fullmatch(_REQUIREMENT_LIKE, spec)
    if shape is None:
        return None
    package = canonicalize_name(shape["name"])
    if package not in RELEASE_PACKAGES:
        if re.match(_VERSION_CLAUSE, shape["rest"]) is None:
            return None
        raise SourceError(
            spec, f"only botocore and boto3 releases are sources (not {shape['name']})"
        )
    try:
        requirement = Requirement(spec.strip())
    except InvalidRequirement:
        raise SourceError(spec, _why_not_a_specifier(shape["rest"])) from None
    if requirement.url is not None:
        target = requirement.url.strip()
        example = f" (say {package}=={target})" if _is_version(target) else ""
        raise SourceError(
            spec, f"a direct reference (@) is not a release; write {package}==VERSION{example}"
        )
    if requirement.marker is not None:
        raise SourceError(spec, "environment markers (after ;) have no meaning for a source")
    if not requirement.specifier:
        raise SourceError(spec, f"names no version; write {package}==X.Y.Z or a range")
    return ReleaseRequirement(package, requirement.specifier)


def parse_plain_pin(spec: str) -> tuple[str, str] | None:
    """(package, version) of a pin of a plain version (`botocore==1.44.8`), the version as
    packaging normalises it; None for any other spec, though it may pin a release too.

    Read without packaging: a run that names its releases so never imports its specifiers,
    7 ms of `apidiff release`.
    """
    plain = _PLAIN_PIN.fullmatch(spec)
    # Without leading zeros, a plain version is already in packaging's normal form.
    return None if plain is None else (plain["name"].lower(), plain["version"])


def _why_not_a_specifier(text: str) -> str:
    """The reason a requirement's version part does not parse, for the first clause that fails."""
    from packaging.specifiers import InvalidSpecifier, Specifier

    for clause in text.lstrip("[").split("]", 1)[-1].split(","):
        try:
            Specifier(clause.strip())
        except InvalidSpecifier:
            parts = re.fullmatch(_SPECIFIER_PARTS, clause)
            assert parts is not None  # Every part of that pattern is optional.
            if not parts["operator"]:
                return f"not a version specifier: {clause.strip()!r} (write ==X.Y.Z, >=X.Y, ...)"
            version = parts["version"]
            if not _is_version(version.removesuffix(".*")):
                return f"not a version: {version!r}"
            return f"not a version specifier: {clause.strip()!r}"
    return f"not a requirement: {text.strip()!r}"


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def parse_release_spec(spec: str) -> tuple[str, str] | None:
    """(package, version) of a spec pinning one release (`botocore==X.Y.Z`, `Boto3 == X.Y.Z`);
    None for any other spec, a range included."""
    requirement = parse_requirement(spec)
    if requirement is None or requirement.pinned is None:
        return None
    return requirement.package, requirement.pinned


def version_key(version: str) -> tuple[int, ...]:
    """The release numbers of a version, for ordering: 1.20.9 before 1.20.10."""
    match = _RELEASE_NUMBERS.match(version)
    return tuple(int(part) for part in match[0].split(".")) if match else ()


@dataclass(frozen=True, slots=True)
class _Listing:
    """A package's releases as the index listed them.

    `versions`: the final, unyanked releases that have a wheel, in version order; `wheels`:
    the wheel of every release that has one; `known`: every version listed; `yanked`: the
    releases whose every file is yanked.
    """

    versions: tuple[str, ...]
    wheels: Mapping[str, ReleaseFile] = field(default_factory=dict)
    known: frozenset[str] = frozenset()
    yanked: frozenset[str] = frozenset()


class _NotFoundError(Exception):
    """The index has no such document (404)."""


class PackageIndex:
    """Releases, their wheels and listings, from the cache first and the index where needed."""

    def __init__(self, settings: FetchSettings, progress: DownloadProgress | None = None) -> None:
        self.settings = settings
        self.cache = WheelCache(settings.cache_dir)
        self._progress = progress
        self._listings: dict[str, _Listing] = {}

    @classmethod
    def from_environment(
        cls, *, offline: bool = False, progress: DownloadProgress | None = None
    ) -> PackageIndex:
        return cls(FetchSettings.from_environment(offline=offline), progress)

    @property
    def _index_url(self) -> str:
        url = self.settings.index_url
        parts = urllib.parse.urlsplit(url)
        # Checked before the first request, not when settings are read: a run that needs no
        # index (local files, a cached release) is not stopped by a variable it never uses.
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                INDEX_URL_VARIABLE,
                f"not an http:// or https:// URL: {url!r} (the default is {PYPI_URL})",
            )
        return url.rstrip("/")

    def resolve(self, requirement: ReleaseRequirement, spec: str) -> str:
        """The version a requirement names: its pin, or the newest release its range admits.

        A range is resolved against the index's listing (the cached one when offline);
        yanked releases and those without a wheel are passed over, as pip passes them over.
        """
        if requirement.pinned is not None:
            return requirement.pinned
        package = requirement.package
        if self.settings.offline:
            cached = self.cache.read_versions(package)
            if cached is None:
                self._require_online(spec, what=f"a list of {package} releases")
            candidates: Iterable[str] = cached or ()
            where = f"the cached list of {package} releases"
        else:
            listing = self._listing(package, spec)
            candidates = (version for version in listing.wheels if version not in listing.yanked)
            where = self._index_url
        admitted = requirement.admits(candidates)
        if not admitted:
            raise SourceError(
                spec, f"no {package} release on {where} matches {requirement.specifier}"
            )
        from packaging.version import Version

        return max(admitted, key=Version)

    def open_botocore(self, version: str, spec: str) -> WheelSource:
        """The models of botocore `version`, from its wheel."""
        release, data, wheel = self._release_wheel("botocore", version, spec)
        return WheelSource(
            data,
            spec,
            # The wheel's own name, not its path in the cache: reports are the same bytes on
            # every machine.
            release.filename,
            opened=wheel,
            version=release.version,
            released=release.released,
            checked=True,
        )

    def botocore_version_of_boto3(self, version: str, spec: str) -> str:
        """The botocore release a boto3 release was built for: its requirement's lower bound."""
        _release, _data, wheel = self._release_wheel("boto3", version, spec)
        try:
            metadata = next(
                wheel.read(wheel.member(name)).decode("utf-8")
                for name in wheel.names()
                if name.endswith(".dist-info/METADATA")
            )
        except (
            ZipError,
            zlib.error,
            EOFError,
            struct.error,
            StopIteration,
            UnicodeDecodeError,
            KeyError,
        ) as error:
            raise SourceError(spec, f"its wheel has no readable METADATA ({error})") from None
        pinned = botocore_lower_bound(metadata)
        if pinned is None:
            raise SourceError(spec, "its wheel names no lower bound for botocore")
        return pinned

    def release(self, package: str, version: str, spec: str) -> ReleaseFile:
        """The wheel of one release as the cache's record or else the index describes it
        (unchecked: `_release_wheel` checks the wheel it names)."""
        cached = self.cache.read_release(package, version)
        if cached is not None:
            return cached
        self._require_online(spec)
        return self._release_from_index(package, version, spec)

    def _release_wheel(
        self, package: str, version: str, spec: str
    ) -> tuple[ReleaseFile, ZipData, ZipArchive]:
        """A release's wheel, checked against its sha256 and against the version it holds:
        its bytes, and opened (its directory of a few thousand files is read once, here).

        The sha256 proves only that the wheel is the one the record names: a record that names
        another release's wheel (edited by hand, or from a mirror that mixed them up) would
        serve 1.44.7 as 1.44.8. So the version in the wheel's dist-info must be the one asked
        for; a cached record that fails is removed and the release asked of the index again.
        """
        cached = self.cache.read_release(package, version)
        if cached is not None:
            data, wheel = self._opened_wheel(cached, spec)
            held = wheel_version(wheel, package)
            if wheel is not None and _same_version(held, version):
                return cached, data, wheel
            self.cache.discard_release(package, version)
            if self.settings.offline:
                raise FetchError(
                    spec,
                    f"the cache's record of {package} {version} named a wheel of"
                    f" {_described(package, held)}, and has been removed;"
                    f" {self.settings.offline_switch} is set, so it was not fetched again",
                )
        self._require_online(spec)
        release = self._release_from_index(package, version, spec)
        data = self.wheel(release, spec)
        wheel = open_zip(data)
        held = wheel_version(wheel, package)
        if wheel is None or not _same_version(held, version):
            raise FetchError(
                spec,
                f"{release.url} is a wheel of {_described(package, held)}, not of"
                f" {package} {version}; it was not used",
            )
        # Written once the wheel proved to be the release's, so a record is never a guess.
        self.cache.write_release(release)
        return release, data, wheel

    def wheel(self, release: ReleaseFile, spec: str) -> ZipData:
        """The bytes of a release's wheel, checked against its sha256; downloaded if needed."""
        data = self._cached_wheel(release, spec)
        if data is not None:
            return data
        self._require_online(spec)
        # Under the cache's lock, so that two processes wanting the same wheel download it
        # once: the second finds it in the cache when the first lets go.
        try:
            with self.cache.locked(_LOCK_PATIENCE):
                data = self._cached_wheel(release, spec)
                if data is not None:
                    return data
                for leftover in self.cache.leftovers(locked=True).paths:
                    leftover.unlink(missing_ok=True)
                return self._download(release, spec)
        except CacheBusyError as error:
            raise FetchError(spec, f"{error.where}: {error.reason}") from None

    def _opened_wheel(self, release: ReleaseFile, spec: str) -> tuple[ZipData, ZipArchive | None]:
        """The bytes of a release's wheel, as `wheel` gives them, and the zip they hold.

        A cached wheel's directory is read while its sha256 is worked out on another core
        (hashlib lets go of the GIL): the hash takes 10-15 ms for a botocore wheel, the
        directory 3, and a release is compared only once both wheels are open. A damaged
        copy's zip is dropped.
        """
        data = self.cache.read_wheel(release.sha256)
        if data is None:
            data = self.wheel(release, spec)
            return data, open_zip(data)
        hashing = _Sha256InBackground(data)
        wheel = open_zip(data)
        if hashing.hexdigest() == release.sha256:
            return data, wheel
        self._discard_damaged(release, spec)
        data = self.wheel(release, spec)
        return data, open_zip(data)

    def _cached_wheel(self, release: ReleaseFile, spec: str) -> ZipData | None:
        """The cache's copy of a wheel where it is intact; a damaged one is removed."""
        data = self.cache.read_wheel(release.sha256)
        if data is None:
            return None
        if hashlib.sha256(data).hexdigest() == release.sha256:
            return data
        self._discard_damaged(release, spec)
        return None

    def _discard_damaged(self, release: ReleaseFile, spec: str) -> None:
        """Remove a damaged cached copy of a wheel, so that it is fetched again now or on the
        next run; FetchError where fetching is off."""
        self.cache.discard_wheel(release.sha256)
        if self.settings.offline:
            raise FetchError(
                spec,
                f"the cached {release.filename} was damaged (sha256 mismatch) and has been"
                f" removed; {self.settings.offline_switch} is set, so it was not fetched again",
            )

    def previous_version(self, package: str, version: str, spec: str) -> str:
        """The final, unyanked release just before `version`, in version order."""
        key = version_key(version)
        versions = self.cache.read_versions(package)
        # A cached listing serves only if it already knew a release at least as new: then no
        # release before `version` can have appeared since.
        if versions is None or not any(version_key(known) >= key for known in versions):
            self._require_online(spec, what=f"a list of {package} releases reaching {version}")
            versions = self._listing(package, spec).versions
        earlier = [known for known in versions if version_key(known) < key]
        if not earlier:
            raise SourceError(spec, f"no {package} release before {version} on {self._index_url}")
        return max(earlier, key=version_key)

    def _require_online(self, spec: str, what: str = "") -> None:
        if self.settings.offline:
            raise FetchError(
                spec,
                f"{what + ' is ' if what else ''}not in the cache at {self.settings.cache_dir}"
                f" and {self.settings.offline_switch} is set",
            )

    def _release_from_index(self, package: str, version: str, spec: str) -> ReleaseFile:
        listed = self._listings.get(package)
        if listed is not None and version in listed.wheels:
            return listed.wheels[version]
        url = f"{self._index_url}/pypi/{package}/{version}/json"
        try:
            document = self._get_json(url, spec)
        except _NotFoundError:
            # Some mirrors serve only the package's listing, not the per-release endpoint.
            listing = self._listing(package, spec)
            if version not in listing.known:
                raise SourceError(spec, f"no such release on {self._index_url}") from None
            if version not in listing.wheels:
                raise SourceError(spec, f"the release on {self._index_url} has no wheel") from None
            return listing.wheels[version]
        entries = document.get("urls") if isinstance(document, dict) else None
        release = _wheel_of(package, version, entries, url)
        if release is None:
            raise SourceError(spec, f"the release on {self._index_url} has no wheel")
        return release

    def _listing(self, package: str, spec: str) -> _Listing:
        if package not in self._listings:
            url = f"{self._index_url}/pypi/{package}/json"
            try:
                document = self._get_json(url, spec)
            except _NotFoundError:
                raise SourceError(spec, f"no package {package} on {self._index_url}") from None
            releases = document.get("releases") if isinstance(document, dict) else None
            if not isinstance(releases, dict):
                raise FetchError(spec, f"{url} is not a PyPI JSON API answer (no releases)")
            listing = _listing_of(package, releases, url)
            self.cache.write_versions(package, listing.versions)
            self._listings[package] = listing
        return self._listings[package]

    def _get_json(self, url: str, spec: str) -> Any:
        """The JSON document at `url`; _NotFoundError where the index has none."""
        body = self._http.get(url, spec)
        if body is None:
            raise _NotFoundError(url)
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise FetchError(spec, f"{url} did not answer with JSON: {error}") from None

    def _download(self, release: ReleaseFile, spec: str) -> bytes:
        def report(done: int) -> None:
            if self._progress is not None:
                self._progress(release.filename, done, release.size)

        with self.cache.new_wheel() as (stream, temporary):
            digest = self._http.download(release.url, spec, stream, release.size, report)
            stream.close()
            if digest != release.sha256:
                raise FetchError(
                    spec,
                    f"{release.url} does not match its sha256"
                    f" (expected {release.sha256}, got {digest}); nothing was cached",
                )
            path = self.cache.keep_wheel(temporary, release.sha256)
        return path.read_bytes()

    @cached_property
    def _http(self) -> HttpFetcher:
        # Imported on first use: a run served from the cache never loads urllib, http or ssl.
        from apidiff.sources.fetch import HttpFetcher

        settings = self.settings
        return HttpFetcher(settings.timeout, settings.retries, settings.backoff)


class _Sha256InBackground:
    """The sha256 of some bytes, worked out on a thread of its own from the moment it is made."""

    def __init__(self, data: ZipData) -> None:
        self._digest = ""
        self._thread = threading.Thread(target=self._work, args=(data,), daemon=True)
        self._thread.start()

    def _work(self, data: ZipData) -> None:
        self._digest = hashlib.sha256(data).hexdigest()

    def hexdigest(self) -> str:
        self._thread.join()
        return self._digest


def _same_version(held: str | None, wanted: str) -> bool:
    if held is None:
        return False
    if held == wanted:
        return True  # As written nearly always: packaging is not imported to say so.
    from packaging.version import InvalidVersion, Version

    try:
        return Version(held) == Version(wanted)
    except InvalidVersion:
        return False


def _described(package: str, version: str | None) -> str:
    return f"{package} {version}" if version else f"no {package} version (no dist-info)"


def _wheel_of(package: str, version: str, entries: Any, base_url: str) -> ReleaseFile | None:
    """The release's wheel among the index's file entries, preferring an unyanked one."""
    if not isinstance(entries, list):
        return None
    wheels = [
        entry
        for entry in entries
        if isinstance(entry, dict)
        and entry.get("packagetype") == "bdist_wheel"
        and str(entry.get("filename", "")).endswith(".whl")
        and isinstance(entry.get("digests"), dict)
        and entry["digests"].get("sha256")
        and entry.get("url")
    ]
    if not wheels:
        return None
    entry = min(wheels, key=lambda entry: bool(entry.get("yanked")))
    size = entry.get("size")
    return ReleaseFile(
        package=package,
        version=version,
        filename=str(entry["filename"]),
        # Mirrors give file URLs relative to the JSON document's.
        url=urllib.parse.urljoin(base_url, str(entry["url"])),
        sha256=str(entry["digests"]["sha256"]).lower(),
        size=size if isinstance(size, int) else None,
        uploaded=_upload_time(entry),
    )


def _upload_time(entry: Mapping[str, Any]) -> dt.datetime | None:
    stamp = entry.get("upload_time_iso_8601") or entry.get("upload_time")
    if not isinstance(stamp, str):
        return None
    try:
        uploaded = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    # PyPI's older `upload_time` has no zone; it is UTC.
    return uploaded if uploaded.tzinfo else uploaded.replace(tzinfo=dt.UTC)


def _listing_of(package: str, releases: Mapping[str, Any], url: str) -> _Listing:
    wheels: dict[str, ReleaseFile] = {}
    versions: list[str] = []
    yanked: set[str] = set()
    for version, entries in releases.items():
        wheel = _wheel_of(package, version, entries, url)
        if wheel is None:
            continue
        wheels[version] = wheel
        if all(isinstance(entry, dict) and entry.get("yanked") for entry in entries):
            yanked.add(version)
        elif _RELEASE_NUMBERS.fullmatch(version):
            versions.append(version)
    return _Listing(
        versions=tuple(sorted(versions, key=version_key)),
        wheels=wheels,
        known=frozenset(releases),
        yanked=frozenset(yanked),
    )


def botocore_lower_bound(metadata: str) -> str | None:
    """The `>=` (or `==`) version of botocore in a wheel METADATA's Requires-Dist lines."""
    for line in metadata.splitlines():
        if not line.lower().startswith("requires-dist:"):
            continue
        match = re.fullmatch(_BOTOCORE_REQUIREMENT, line.split(":", 1)[1].strip())
        if match is None or "extra" in (match["marker"] or ""):
            continue
        for specifier in (match["specifiers"] or "").split(","):
            bound = re.fullmatch(_LOWER_BOUND, specifier.strip())
            if bound:
                return bound["version"]
    return None
