"""The download cache: records that read back, and damage that reads as absence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from apidiff.sources.cache import ReleaseFile, WheelCache, default_cache_dir

RELEASE = ReleaseFile(
    package="botocore",
    version="1.20.41",
    filename="botocore-1.20.41-py2.py3-none-any.whl",
    url="https://files.example/botocore-1.20.41-py2.py3-none-any.whl",
    sha256="5e88d19a1406ff92d52518ac70a1531582d7af537dc18c8ebc7ab54282c2fa23",
    size=7352642,
    uploaded=dt.datetime(2021, 3, 30, 19, 40, 35, tzinfo=dt.UTC),
)


def test_a_release_record_reads_back_as_written(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)

    cache.write_release(RELEASE)

    assert cache.read_release("botocore", "1.20.41") == RELEASE
    assert cache.read_release("botocore", "1.20.40") is None


def test_a_damaged_release_record_reads_as_absent(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)
    cache.write_release(RELEASE)
    record = tmp_path / "releases" / "botocore" / "1.20.41.json"

    record.write_text('{"package": "botocore", "vers')
    assert cache.read_release("botocore", "1.20.41") is None

    record.write_text('{"package": "botocore", "version": "1.20.41"}')
    assert cache.read_release("botocore", "1.20.41") is None


def test_a_release_date_is_the_utc_date_of_its_upload() -> None:
    late_in_sydney = dt.datetime(2021, 3, 31, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=11)))

    assert ReleaseFile("p", "1", "f", "u", "0", uploaded=late_in_sydney).released == dt.date(
        2021, 3, 30
    )


def test_a_listing_reads_back_as_written(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)

    cache.write_versions("botocore", ("1.20.40", "1.20.41"))

    assert cache.read_versions("botocore") == ("1.20.40", "1.20.41")
    assert cache.read_versions("boto3") is None


def test_a_wheel_is_kept_under_its_hash_and_nothing_else_stays(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)

    with cache.new_wheel() as (stream, temporary):
        stream.write(b"wheel bytes")
        stream.close()
        kept = cache.keep_wheel(temporary, "abc")

    assert kept == tmp_path / "wheels" / "abc.whl"
    assert [path.name for path in (tmp_path / "wheels").iterdir()] == ["abc.whl"]
    assert cache.read_wheel("abc") == b"wheel bytes"


def test_a_download_abandoned_midway_leaves_no_file(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)

    with pytest.raises(ConnectionError), cache.new_wheel() as (stream, _temporary):
        stream.write(b"half a wh")
        raise ConnectionError

    assert list((tmp_path / "wheels").iterdir()) == []
    assert cache.read_wheel("abc") is None


def test_the_cache_folder_can_be_chosen_by_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(tmp_path / "here"))

    assert default_cache_dir() == tmp_path / "here"


def test_the_cache_folder_defaults_to_the_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APIDIFF_CACHE_DIR", raising=False)

    assert default_cache_dir().name == "apidiff"
