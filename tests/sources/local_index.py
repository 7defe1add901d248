"""A package index on loopback for the tests: PyPI's JSON API over real HTTP, serving wheels
built here from the bundled models, with failures to order (errors, damaged or cut-short
downloads, a server too slow to answer).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MODELS = Path(__file__).resolve().parents[2] / "models"
# botocore ships its models gzipped from this release on.
_FIRST_GZIPPED = (1, 32)
SLOW_SECONDS = 1.0


def build_wheel(members: Mapping[str, bytes], stamp: dt.datetime) -> bytes:
    """A zip of `members`, every entry stamped `stamp` (as botocore's release tooling does)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in members.items():
            wheel.writestr(zipfile.ZipInfo(name, stamp.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def botocore_members(version: str, models: Path, stamp: dt.datetime) -> dict[str, bytes]:
    """The members of a botocore wheel holding the models in `models` (botocore's data layout).

    Like the real wheels: plain JSON before 1.32, gzipped after, each gzip member stamped with
    the release time, so unchanged models differ in bytes from one release to the next.
    """
    gzipped = tuple(int(part) for part in version.split(".")[:2]) >= _FIRST_GZIPPED
    members = {"botocore/__init__.py": f"__version__ = '{version}'\n".encode()}
    for path in sorted(models.rglob("*.json.gz")):
        relative = path.relative_to(models).as_posix()
        text = gzip.decompress(path.read_bytes())
        if gzipped:
            members[f"botocore/data/{relative}"] = gzip.compress(text, mtime=stamp.timestamp())
        else:
            members[f"botocore/data/{relative.removesuffix('.gz')}"] = text
    members[f"botocore-{version}.dist-info/METADATA"] = (
        f"Metadata-Version: 2.1\nName: botocore\nVersion: {version}\n".encode()
    )
    return members


@cache
def botocore_wheel(version: str, models_version: str | None = None) -> bytes:
    """A botocore wheel of `version` made from `models/botocore-<models_version>/`."""
    folder = MODELS / f"botocore-{models_version or version}"
    released = json.loads((folder / "provenance.json").read_text())["released"]
    stamp = dt.datetime.fromisoformat(f"{released}T18:11:48")
    return build_wheel(botocore_members(version, folder, stamp), stamp)


@cache
def boto3_wheel(version: str, botocore_requirement: str) -> bytes:
    metadata = (
        f"Metadata-Version: 2.1\nName: boto3\nVersion: {version}\n"
        f"Requires-Dist: {botocore_requirement}\n"
        "Requires-Dist: jmespath (<2.0.0,>=0.7.1)\n"
        "Requires-Dist: botocore[crt] (<2.0a0,>=1.21.0) ; extra == 'crt'\n"
    )
    return build_wheel(
        {
            "boto3/__init__.py": f"__version__ = '{version}'\n".encode(),
            f"boto3-{version}.dist-info/METADATA": metadata.encode(),
        },
        dt.datetime(2024, 1, 1),
    )


@dataclass(frozen=True, slots=True)
class Release:
    """One release on the local index, with its wheel."""

    package: str
    version: str
    wheel: bytes
    uploaded: str
    yanked: bool = False
    # Without it, the release has only an sdist on the index.
    has_wheel: bool = True

    @property
    def filename(self) -> str:
        return f"{self.package}-{self.version}-py3-none-any.whl"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.wheel).hexdigest()


@dataclass
class LocalIndex:
    """The index's content, what it has been asked, and the failures it is told to give."""

    url: str = ""
    releases: dict[str, dict[str, Release]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    # Path -> failures still to give, first one next: "error" (500), "missing" (404),
    # "forbidden" (403), "corrupt", "truncate" or "slow". One ending in "*" is given for ever.
    faults: dict[str, list[str]] = field(default_factory=dict)
    per_release_endpoint: bool = True
    relative_urls: bool = False
    # Like PyPI's CDN: JSON gzipped for a client that accepts it.
    gzip_json: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, release: Release) -> None:
        self.releases.setdefault(release.package, {})[release.version] = release

    def fail(self, path: str, *faults: str) -> None:
        self.faults[path] = list(faults)

    def file_path(self, package: str, version: str) -> str:
        return f"/files/{self.releases[package][version].filename}"

    def requests_for(self, path: str) -> int:
        return sum(1 for request in self.requests if request == path)

    def next_fault(self, path: str) -> str | None:
        with self.lock:
            self.requests.append(path)
            pending = self.faults.get(path)
            if not pending:
                return None
            return pending[0].rstrip("*") if pending[0].endswith("*") else pending.pop(0)

    def entry(self, release: Release, base: str) -> dict[str, Any]:
        path = f"/files/{release.filename}"
        return {
            "filename": release.filename,
            "packagetype": "bdist_wheel",
            "digests": {"sha256": release.sha256, "md5": "not used"},
            "size": len(release.wheel),
            "upload_time": release.uploaded[:19],
            "upload_time_iso_8601": release.uploaded,
            "url": f"../..{path}" if self.relative_urls else f"{base}{path}",
            "yanked": release.yanked,
        }

    def entries(self, release: Release) -> list[dict[str, Any]]:
        sdist = self.sdist_entry(release)
        return [self.entry(release, self.url), sdist] if release.has_wheel else [sdist]

    def sdist_entry(self, release: Release) -> dict[str, Any]:
        """An sdist beside each wheel, which the client must pass over."""
        return {
            "filename": f"{release.package}-{release.version}.tar.gz",
            "packagetype": "sdist",
            "digests": {"sha256": "0" * 64},
            "url": f"{self.url}/files/{release.package}-{release.version}.tar.gz",
            "upload_time_iso_8601": release.uploaded,
            "yanked": release.yanked,
        }


class _Handler(BaseHTTPRequestHandler):
    index: LocalIndex

    def do_GET(self) -> None:
        fault = self.index.next_fault(self.path)
        if fault == "slow":
            time.sleep(SLOW_SECONDS)
        if fault == "error":
            self._send(500, b"boom", "text/plain")
        elif fault == "missing":
            self._send(404, b"gone", "text/plain")
        elif fault == "forbidden":
            self._send(403, b"no", "text/plain")
        else:
            self._answer(fault)

    def _answer(self, fault: str | None) -> None:
        parts = self.path.strip("/").split("/")
        body = self._body(parts)
        if body is None:
            self._send(404, b"not found", "text/plain")
        elif fault == "corrupt":
            self._send(200, bytes([body[0] ^ 0xFF]) + body[1:], "application/octet-stream")
        elif fault == "truncate":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif parts[0] == "pypi" and self._gzip_accepted():
            self._send(200, gzip.compress(body), "application/json", encoding="gzip")
        else:
            kind = "application/json" if parts[0] == "pypi" else "application/octet-stream"
            self._send(200, body, kind)

    def _gzip_accepted(self) -> bool:
        accepted = self.headers.get("Accept-Encoding", "")
        return self.index.gzip_json and "gzip" in accepted

    def _body(self, parts: list[str]) -> bytes | None:
        index = self.index
        if parts[0] == "files" and len(parts) == 2:
            return next(
                (
                    release.wheel
                    for releases in index.releases.values()
                    for release in releases.values()
                    if release.filename == parts[1]
                ),
                None,
            )
        if parts[0] != "pypi" or parts[-1] != "json" or parts[1] not in index.releases:
            return None
        releases = index.releases[parts[1]]
        if len(parts) == 3:
            document: Any = {
                "info": {"name": parts[1]},
                "releases": {
                    version: index.entries(release) for version, release in releases.items()
                },
            }
        elif len(parts) == 4 and index.per_release_endpoint and parts[2] in releases:
            release = releases[parts[2]]
            document = {
                "info": {"name": parts[1], "version": parts[2]},
                "urls": index.entries(release)[::-1],
            }
        else:
            return None
        return json.dumps(document).encode()

    def _send(self, status: int, body: bytes, kind: str, encoding: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read `LocalIndex.requests` instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up on a slow answer is expected, not worth a traceback."""


@contextmanager
def serve(index: LocalIndex) -> Iterator[LocalIndex]:
    """Serve `index` on 127.0.0.1 at a free port until the block ends."""
    handler = type("Handler", (_Handler,), {"index": index})
    server = _Server(("127.0.0.1", 0), handler)
    index.url = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll keeps the shutdown at the end of each test quick.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def standard_releases() -> list[Release]:
    """The releases every test index holds.

    botocore 1.20.9 exists to catch ordering by text (1.20.9 < 1.20.40); 1.35.70 is yanked and
    1.35.73rc1 is a pre-release, both to be passed over. 1.20.41 was uploaded a few minutes
    after midnight UTC, a day after its zip timestamp, to tell the two dates apart.
    """
    return [
        Release("botocore", "1.20.9", botocore_wheel("1.20.9", "1.20.40"), "2020-01-02T10:00:00Z"),
        Release("botocore", "1.20.40", botocore_wheel("1.20.40"), "2021-03-29T19:18:02.123456Z"),
        Release("botocore", "1.20.41", botocore_wheel("1.20.41"), "2021-03-31T00:10:35.477738Z"),
        Release(
            "botocore",
            "1.35.70",
            botocore_wheel("1.35.70", "1.35.71"),
            "2024-11-26T20:00:00Z",
            yanked=True,
        ),
        Release("botocore", "1.35.71", botocore_wheel("1.35.71"), "2024-11-27T20:25:00+00:00"),
        Release("botocore", "1.35.72", botocore_wheel("1.35.72"), "2024-12-02T21:04:00Z"),
        Release(
            "botocore",
            "1.35.73rc1",
            botocore_wheel("1.35.73rc1", "1.35.72"),
            "2024-12-03T20:00:00Z",
        ),
        Release(
            "boto3",
            "1.17.40",
            boto3_wheel("1.17.40", "botocore (<1.21.0,>=1.20.40)"),
            "2021-03-29T20:00:00Z",
        ),
        Release(
            "boto3",
            "1.17.41",
            boto3_wheel("1.17.41", "botocore (<1.21.0,>=1.20.41)"),
            "2021-03-31T01:00:00Z",
        ),
        Release(
            "boto3",
            "1.35.72",
            boto3_wheel("1.35.72", "botocore<1.36.0,>=1.35.72"),
            "2024-12-02T22:00:00Z",
        ),
    ]
