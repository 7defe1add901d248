"""A botocore wheel as a source: services from the zip's name list, files read one by one."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apidiff.errors import SourceError
from apidiff.sources import open_source, same_content
from apidiff.sources.archive import ZipArchive, ZipMember
from apidiff.sources.wheel import WheelSource
from tests.sources.local_index import botocore_wheel, build_wheel
from tests.sources.test_archive import claiming_more_than_it_holds


def wheel_file(tmp_path: Path, version: str) -> Path:
    path = tmp_path / f"botocore-{version}-py3-none-any.whl"
    path.write_bytes(botocore_wheel(version))
    return path


def test_a_wheel_path_opens_as_a_wheel_source(tmp_path: Path) -> None:
    path = wheel_file(tmp_path, "1.20.41")

    source = open_source(str(path))

    assert isinstance(source, WheelSource)
    assert source.services() == ("cloudsearch", "sagemaker")
    assert source.changelog() is None


def test_a_local_wheel_says_its_version_and_its_zip_date(tmp_path: Path) -> None:
    provenance = open_source(str(wheel_file(tmp_path, "1.20.41"))).provenance

    assert (provenance.package, provenance.version) == ("botocore", "1.20.41")
    assert provenance.released == dt.date(2021, 3, 30)
    assert provenance.label == "botocore 1.20.41"


def test_the_newest_api_version_of_a_service_is_current(tmp_path: Path) -> None:
    source = open_source(str(wheel_file(tmp_path, "1.20.73")))

    assert source.service_files("events").api_version == "2015-10-07"
    assert source.service_files("detective").api_version == "2018-10-26"


def test_service_files_hold_the_model_and_its_companions(tmp_path: Path) -> None:
    files = open_source(str(wheel_file(tmp_path, "1.20.41"))).service_files("cloudsearch")

    assert files.api_version == "2013-01-01"
    assert files.model.path == "botocore/data/cloudsearch/2013-01-01/service-2.json"
    assert files.model.data.startswith(b"{")
    assert files.paginators is not None
    assert files.paginators.path.endswith("paginators-1.json")
    assert files.waiters is None


def test_gzipped_models_are_handed_on_as_stored(tmp_path: Path) -> None:
    files = open_source(str(wheel_file(tmp_path, "1.35.72"))).service_files("qbusiness")

    assert files.model.path.endswith("service-2.json.gz")
    assert files.model.gzipped


def test_a_services_files_are_read_only_when_their_bytes_are_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = open_source(str(wheel_file(tmp_path, "1.20.41")))
    read = _recorded_reads(monkeypatch)

    files = source.service_files("cloudsearch")
    size = files.model.size  # What a release schedules its work by.
    assert read == []
    assert files.paginators is not None
    files.model.data, files.paginators.data, files.model.data  # noqa: B018

    assert read == [
        "botocore/data/cloudsearch/2013-01-01/service-2.json",
        "botocore/data/cloudsearch/2013-01-01/paginators-1.json",
    ]
    assert size == len(files.model.data)


def test_an_unchanged_service_is_proven_so_without_inflating_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = open_source(str(wheel_file(tmp_path, "1.20.40")))
    new = open_source(str(wheel_file(tmp_path, "1.20.41")))
    read = _recorded_reads(monkeypatch)

    assert same_content(old.service_files("cloudsearch"), new.service_files("cloudsearch"))
    assert read == []
    assert not same_content(old.service_files("sagemaker"), new.service_files("sagemaker"))
    assert read == [
        "botocore/data/sagemaker/2017-07-24/service-2.json",
        "botocore/data/sagemaker/2017-07-24/service-2.json",
    ]


def test_files_proven_unchanged_from_their_bytes_keep_none_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = open_source(str(wheel_file(tmp_path, "1.35.71")))
    new = open_source(str(wheel_file(tmp_path, "1.35.72")))
    old_files, new_files = old.service_files("cloudsearch"), new.service_files("cloudsearch")
    read = _recorded_reads(monkeypatch)

    # The gzip members differ in their headers' timestamps: read, they hold the same model.
    assert same_content(old_files, new_files)
    assert same_content(old_files, new_files)
    model = "botocore/data/cloudsearch/2013-01-01/service-2.json.gz"
    assert read.count(model) == 4  # Read each time, kept never.
    kept = old_files.model.data
    assert old_files.model.read_unkept() is kept
    assert read.count(model) == 5  # What `data` reads is kept, and served from then on.


def _recorded_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the members read out of any zip from now on, in order."""
    read: list[str] = []
    original: Callable[..., bytes] = ZipArchive.read

    def recording(archive: ZipArchive, member: ZipMember, **options: Any) -> bytes:
        read.append(member.name)
        return original(archive, member, **options)

    monkeypatch.setattr(ZipArchive, "read", recording)
    return read


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_members_read_the_same_however_they_are_compressed(method: int) -> None:
    member = "botocore/data/example/2020-01-01/service-2.json"
    text = b'{"shapes": {}}' * 500
    source = WheelSource(_zip_of({member: text, "botocore/__init__.py": b""}, method), "s", "x")

    assert source.service_files("example").model.data == text


def test_a_damaged_stored_member_is_an_error_naming_it() -> None:
    member = "botocore/data/example/2020-01-01/service-2.json"
    data = bytearray(_zip_of({member: b"{}" * 1000}, zipfile.ZIP_STORED))
    data[data.index(b"{}{}") + 7] ^= 0xFF  # Inside the member: its CRC-32 no longer holds.

    source = WheelSource(bytes(data), "spec", "example.whl")

    with pytest.raises(SourceError, match=f"example.whl!{member}: cannot be read: bad CRC-32"):
        source.service_files("example").model.data  # noqa: B018


def test_a_cut_wheel_is_an_error_naming_the_member() -> None:
    member = "botocore/data/example/2020-01-01/service-2.json"
    whole = _zip_of({member: bytes(range(256)) * 64}, zipfile.ZIP_DEFLATED)
    # The directory says more than the bytes hold: the member's data stops short.
    source = WheelSource(claiming_more_than_it_holds(whole), "spec", "example.whl")
    files = source.service_files("example")

    with pytest.raises(SourceError, match=f"example.whl!{member}: cannot be read"):
        files.model.data  # noqa: B018


def _zip_of(members: dict[str, bytes], method: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, method)
    return buffer.getvalue()


def test_an_unchanged_model_is_proven_so_though_its_gzip_bytes_differ(tmp_path: Path) -> None:
    old = open_source(str(wheel_file(tmp_path, "1.35.71")))
    new = open_source(str(wheel_file(tmp_path, "1.35.72")))
    old_files, new_files = old.service_files("cloudsearch"), new.service_files("cloudsearch")

    assert old_files.model.data != new_files.model.data
    assert same_content(old_files, new_files)
    assert not same_content(old.service_files("qbusiness"), new.service_files("qbusiness"))


def test_a_service_the_wheel_lacks_is_an_error(tmp_path: Path) -> None:
    source = open_source(str(wheel_file(tmp_path, "1.20.41")))

    with pytest.raises(SourceError, match="holds no service 's3'"):
        source.service_files("s3")


def test_a_file_that_is_not_a_zip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "botocore-1.0.0-py3-none-any.whl"
    path.write_bytes(b"PK but not really")

    with pytest.raises(SourceError, match="not a wheel"):
        open_source(str(path))


def test_a_wheel_without_botocore_models_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "boto3-1.0.0-py3-none-any.whl"
    path.write_bytes(build_wheel({"boto3/__init__.py": b""}, dt.datetime(2024, 1, 1)))

    with pytest.raises(SourceError, match="not a botocore wheel"):
        open_source(str(path))


def test_a_damaged_member_is_an_error_naming_it(tmp_path: Path) -> None:
    member = "botocore/data/example/2020-01-01/service-2.json"
    data = bytearray(build_wheel({member: b"{}" * 1000}, dt.datetime(2024, 1, 1)))
    start = data.index(b"service-2.json") + len("service-2.json")
    data[start + 5] ^= 0xFF  # Inside the member's compressed bytes.

    source = WheelSource(bytes(data), "spec", "example.whl")

    with pytest.raises(SourceError, match=f"example.whl!{member}: cannot be read"):
        source.service_files("example").model.data  # noqa: B018


def test_a_damaged_member_of_an_unchanged_service_is_an_error_naming_it() -> None:
    member = "botocore/data/example/2020-01-01/service-2.json"
    intact = build_wheel({member: b"{}" * 1000}, dt.datetime(2024, 1, 1))
    damaged = bytearray(intact)
    start = damaged.index(b"service-2.json") + len("service-2.json")
    damaged[start + 5] ^= 0xFF  # Its packed bytes no longer match the intact copy's.
    old = WheelSource(intact, "old", "old.whl").service_files("example")
    new = WheelSource(bytes(damaged), "new", "new.whl").service_files("example")

    with pytest.raises(SourceError, match=f"new.whl!{member}: cannot be read"):
        same_content(old, new)
