#!/usr/bin/env python3
"""Rebuild ``models/``: a few real service models copied out of botocore wheels from PyPI.

The tests and docs of apidiff need real model pairs that run offline, so this script copies only
the services named in ``BUNDLE`` out of each release's wheel, never a whole release.

Each model file is the JSON text exactly as the wheel ships it (botocore >= 1.32 ships it
gzipped; it is unpacked first), gzipped again with mtime 0 so that a rebuild gives the same bytes.
``provenance.json`` records where the files came from and the release's changelog entries for the
bundled services. The changelog is not on PyPI (it lives in botocore's git repository), so it
comes from ``--changelog``: a botocore checkout, or a JSON file like ``bundled_changelogs.json``.

    python scripts/bundle_models.py                 # rebuild every folder in BUNDLE
    python scripts/bundle_models.py --check         # rebuild in a temp dir, compare with models/
    python scripts/bundle_models.py --only 1.20.41 --changelog ~/src/botocore
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypedDict

# What models/ holds: one folder per release, with these services (every api-version folder of
# each). README.md in models/ says what each pair exercises; keep the two in step.
BUNDLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    # The reference pair (awsapichanges.info, 2021-03-30), plus cloudsearch: two api-versions,
    # unchanged.
    ("1.20.40", ("cloudsearch", "sagemaker")),
    ("1.20.41", ("cloudsearch", "sagemaker")),
    # 72->73: a map's max changes (events), docs-only (detective).
    # 73->74: operation, member and shapes removed, enums added (iotdeviceadvisor), docs-only (a2i).
    ("1.20.72", ("detective", "events", "iotdeviceadvisor", "sagemaker-a2i-runtime")),
    ("1.20.73", ("detective", "events", "iotdeviceadvisor", "sagemaker-a2i-runtime")),
    ("1.20.74", ("detective", "events", "iotdeviceadvisor", "sagemaker-a2i-runtime")),
    # A shape becomes recursive through a list, members become required (lexv2-runtime).
    ("1.20.94", ("cloudsearch", "lexv2-runtime", "redshift-data")),
    ("1.20.95", ("cloudsearch", "lexv2-runtime", "redshift-data")),
    # Wheels of this era ship .json.gz: enum value renamed, requirement and limits dropped,
    # paginators changed (qbusiness); invoicing is new in 1.35.72.
    ("1.35.71", ("cloudsearch", "qbusiness")),
    ("1.35.72", ("cloudsearch", "invoicing", "qbusiness")),
    # rest-xml: members and operations added, a waiter's maxAttempts and paginators changed
    # (route53). Changes inside recursive shapes, reached from several operations (fsx, wafv2).
    ("1.44.7", ("fsx", "route53", "wafv2")),
    ("1.44.8", ("fsx", "route53", "wafv2")),
)

PACKAGE = "botocore"
# The model files, and the sdk-extras that botocore's loader merges into each as it loads it:
# the model botocore uses is the two together, so a bundled service carries both.
MODEL_FILES = (
    "service-2",
    "paginators-1",
    "waiters-2",
    "service-2.sdk-extras",
    "paginators-1.sdk-extras",
    "waiters-2.sdk-extras",
    "endpoint-rule-set-1",
)
# The release's partitions (regions, DNS suffixes) that the endpoint rule sets resolve against;
# wheels from botocore 1.28 on carry it.
PARTITIONS_MEMBER = "botocore/data/partitions.json"
PIP_FLAGS = ("--quiet", "--no-deps", "--only-binary=:all:")
PYPI_JSON_URL = "https://pypi.org/pypi/{package}/{version}/json"
PYPI_SIMPLE_URL = "https://pypi.org/simple/{package}/"
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "models"
DEFAULT_CHANGELOG = HERE / "bundled_changelogs.json"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "apidiff-botocore-wheels"

_MEMBER_RE = re.compile(
    r"^botocore/data/(?P<service>[^/]+)/(?P<api>[^/]+)/(?P<kind>[^/]+?)\.json(?P<gz>\.gz)?$"
)
# A CHANGELOG.rst entry: "* api-change:``sagemaker``: Some text".
_RST_ENTRY_RE = re.compile(
    r"^\* (?P<type>[^:]+):(?P<category>``[^`]+``|[^:]+): (?P<description>.*)$"
)


class ChangelogEntry(TypedDict):
    category: str
    description: str
    type: str


@dataclass(frozen=True)
class WheelInfo:
    filename: str
    sha256: str
    uploaded: datetime


ChangelogLookup = Callable[[str], list[ChangelogEntry] | None]


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _get_json(url: str, accept: str = "application/json") -> Any:
    request = urllib.request.Request(
        url, headers={"Accept": accept, "User-Agent": "apidiff-bundle-models"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _is_wheel_of(filename: str, version: str) -> bool:
    return filename.startswith(f"{PACKAGE}-{version}-") and filename.endswith(".whl")


@functools.cache
def _simple_index() -> Any:
    return _get_json(
        PYPI_SIMPLE_URL.format(package=PACKAGE), accept="application/vnd.pypi.simple.v1+json"
    )


def pypi_wheel(version: str) -> WheelInfo:
    """The release's wheel as PyPI lists it: name, digest and upload time."""
    try:
        release = _get_json(PYPI_JSON_URL.format(package=PACKAGE, version=version))
        for url in release["urls"]:
            if _is_wheel_of(url["filename"], version):
                return WheelInfo(
                    url["filename"],
                    url["digests"]["sha256"],
                    _parse_time(url["upload_time_iso_8601"]),
                )
    except urllib.error.HTTPError as error:
        # Some mirrors serve only the simple index; PEP 691/700 give digest and upload time too.
        warn(f"{PACKAGE} {version}: JSON API answered {error.code}, using the simple index")
    for file in _simple_index()["files"]:
        if _is_wheel_of(file["filename"], version):
            return WheelInfo(
                file["filename"], file["hashes"]["sha256"], _parse_time(file["upload-time"])
            )
    raise SystemExit(f"PyPI lists no wheel for {PACKAGE} {version}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_wheel(version: str, info: WheelInfo, cache: Path) -> Path:
    wheel = cache / info.filename
    if not wheel.exists() or sha256_of(wheel) != info.sha256:
        cache.mkdir(parents=True, exist_ok=True)
        requirement = f"{PACKAGE}=={version}"
        pip = [sys.executable, "-m", "pip", "download", *PIP_FLAGS, "--dest", str(cache)]
        subprocess.run([*pip, requirement], check=True)
    actual = sha256_of(wheel)
    if actual != info.sha256:
        raise SystemExit(f"{wheel}: sha256 {actual} differs from PyPI's {info.sha256}")
    return wheel


def read_models(wheel: zipfile.ZipFile, services: Sequence[str]) -> dict[str, bytes]:
    """Model files of the services, keyed ``<service>/<api-version>/<kind>.json``."""
    models: dict[str, bytes] = {}
    for name in wheel.namelist():
        match = _MEMBER_RE.match(name)
        if not match or match["service"] not in services or match["kind"] not in MODEL_FILES:
            continue
        data = wheel.read(name)
        if match["gz"]:
            data = gzip.decompress(data)
        models[f"{match['service']}/{match['api']}/{match['kind']}.json"] = data
    missing = sorted(set(services) - {key.split("/", 1)[0] for key in models})
    if missing:
        raise SystemExit(f"{wheel.filename}: no models for {', '.join(missing)}")
    if PARTITIONS_MEMBER in wheel.namelist():
        models["partitions.json"] = wheel.read(PARTITIONS_MEMBER)
    return models


def gzip_reproducibly(data: bytes) -> bytes:
    buffer = io.BytesIO()
    # No file name and mtime 0 in the header: the same JSON always gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buffer.getvalue()


def build_date(wheel: zipfile.ZipFile) -> date:
    # botocore's release tooling stamps its files in UTC (since 2019).
    return datetime(*wheel.getinfo(f"{PACKAGE}/__init__.py").date_time).date()


def changelog_from_json_file(path: Path) -> ChangelogLookup:
    releases: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["releases"]

    def lookup(version: str) -> list[ChangelogEntry] | None:
        release = releases.get(version)
        return None if release is None else list(release["entries"])

    return lookup


def changelog_from_checkout(root: Path) -> ChangelogLookup:
    rst = root / "CHANGELOG.rst"
    rst_lines = rst.read_text(encoding="utf-8").splitlines() if rst.exists() else []

    def from_rst(version: str) -> list[ChangelogEntry] | None:
        for start, line in enumerate(rst_lines[:-1]):
            if line == version and set(rst_lines[start + 1]) == {"="}:
                break
        else:
            return None
        entries: list[ChangelogEntry] = []
        for line in rst_lines[start + 2 :]:
            if line and set(line) == {"="}:  # the underline of the next, older release
                break
            match = _RST_ENTRY_RE.match(line)
            if match:
                entries.append(
                    ChangelogEntry(
                        category=match["category"],
                        description=match["description"],
                        type=match["type"],
                    )
                )
        return entries

    def lookup(version: str) -> list[ChangelogEntry] | None:
        changes = root / ".changes" / f"{version}.json"
        if changes.exists():
            entries: list[ChangelogEntry] = json.loads(changes.read_text(encoding="utf-8"))
            return entries
        return from_rst(version)

    return lookup


def changelog_source(path: Path) -> ChangelogLookup:
    return changelog_from_checkout(path) if path.is_dir() else changelog_from_json_file(path)


def build_release(
    version: str, services: Sequence[str], out: Path, cache: Path, changelog: ChangelogLookup
) -> None:
    info = pypi_wheel(version)
    wheel_path = fetch_wheel(version, info, cache)
    with zipfile.ZipFile(wheel_path) as wheel:
        models = read_models(wheel, services)
        built = build_date(wheel)
    released = info.uploaded.date()
    if abs((released - built).days) > 1:
        warn(f"{version}: uploaded {released}, but its files are dated {built}")

    entries = changelog(version)
    if entries is None:
        # Left out rather than empty: apidiff then says the changelog is unknown, not silent.
        warn(f"{version}: no changelog found, provenance records none")
    categories = {f"``{service}``" for service in services}

    target = out / f"{PACKAGE}-{version}"
    if target.exists():
        shutil.rmtree(target)
    for key, data in sorted(models.items()):
        path = target / f"{key}.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip_reproducibly(data))
    provenance: dict[str, Any] = {
        "package": PACKAGE,
        "version": version,
        "released": released.isoformat(),
        "wheel": info.filename,
        "wheel_sha256": info.sha256,
    }
    if entries is not None:
        provenance["changelog"] = [entry for entry in entries if entry["category"] in categories]
    text = json.dumps(provenance, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (target / "provenance.json").write_text(text, encoding="utf-8")
    print(f"{target.name}: {len(models)} files, released {released}")


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def compare(version: str, built: Path, existing: Path) -> list[str]:
    name = f"{PACKAGE}-{version}"
    want, have = tree(built / name), tree(existing / name)
    problems = [f"{name}/{key}: missing" for key in sorted(want.keys() - have.keys())]
    problems += [f"{name}/{key}: not in the build" for key in sorted(have.keys() - want.keys())]
    problems += [
        f"{name}/{key}: differs"
        for key in sorted(want.keys() & have.keys())
        if want[key] != have[key]
    ]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="models folder to write")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="wheel download cache")
    parser.add_argument(
        "--changelog",
        type=Path,
        default=DEFAULT_CHANGELOG,
        help="a botocore checkout (.changes/, CHANGELOG.rst) or a JSON file of releases",
    )
    parser.add_argument("--only", action="append", metavar="VERSION", help="build this release")
    parser.add_argument(
        "--check", action="store_true", help="build in a temp dir and compare with --out"
    )
    args = parser.parse_args(argv)

    table = [(v, s) for v, s in BUNDLE if not args.only or v in args.only]
    unknown = set(args.only or ()) - {version for version, _ in BUNDLE}
    if unknown:
        parser.error(f"not in BUNDLE: {', '.join(sorted(unknown))}")
    changelog = changelog_source(args.changelog)

    if not args.check:
        for version, services in table:
            build_release(version, services, args.out, args.cache, changelog)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        problems: list[str] = []
        for version, services in table:
            build_release(version, services, Path(scratch), args.cache, changelog)
            problems += compare(version, Path(scratch), args.out)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
