"""The download cache: records that read back, damage that reads as absence, cleaning."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import mmap
import os
import time
from pathlib import Path

import pytest

from apidiff.sources.archive import ZipData
from apidiff.sources.cache import ReleaseFile, WheelCache, default_cache_dir, files_below

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
    assert _bytes(cache.read_wheel("abc")) == b"wheel bytes"


def _bytes(data: ZipData | None) -> bytes | None:
    return None if data is None else bytes(data)


@pytest.mark.skipif(os.name != "posix", reason="wheels are read, not mapped, here")
def test_a_cached_wheel_is_mapped_not_copied_and_an_empty_one_reads_as_no_bytes(
    tmp_path: Path,
) -> None:
    cache = WheelCache(tmp_path)
    cache.wheel_path("abc").parent.mkdir(parents=True)
    cache.wheel_path("abc").write_bytes(b"wheel bytes")
    cache.wheel_path("empty").write_bytes(b"")

    assert isinstance(cache.read_wheel("abc"), mmap.mmap)
    # mmap refuses an empty file; an empty wheel is damaged, and its sha256 says so.
    assert cache.read_wheel("empty") == b""
    assert cache.read_wheel("missing") is None


def test_a_cached_wheel_that_cannot_be_mapped_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = WheelCache(tmp_path)
    cache.wheel_path("abc").parent.mkdir(parents=True)
    cache.wheel_path("abc").write_bytes(b"wheel bytes")

    def unmappable(*arguments: object, **options: object) -> mmap.mmap:
        raise OSError(errno.ENODEV, "No such device")

    monkeypatch.setattr(mmap, "mmap", unmappable)

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


HOUR = 3600.0


def age(path: Path, seconds: float) -> Path:
    """Set `path`'s modification time `seconds` into the past."""
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def seeded(root: Path, version: str, data: bytes) -> tuple[Path, Path]:
    """A wheel and its release record in the cache at `root`, as a download leaves them."""
    cache = WheelCache(root)
    sha256 = hashlib.sha256(data).hexdigest()
    with cache.new_wheel() as (stream, temporary):
        stream.write(data)
        stream.close()
        wheel = cache.keep_wheel(temporary, sha256)
    cache.write_release(dataclasses.replace(RELEASE, version=version, sha256=sha256))
    return wheel, root / "releases" / "botocore" / f"{version}.json"


def test_a_records_leftover_is_one_when_an_hour_old_and_a_wheels_only_under_the_lock(
    tmp_path: Path,
) -> None:
    cache = WheelCache(tmp_path)
    (tmp_path / "releases" / "botocore").mkdir(parents=True)
    (tmp_path / "wheels").mkdir()
    old_record = tmp_path / "releases" / "botocore" / ".killed.part"
    old_record.write_text('{"package"')
    age(old_record, 2 * HOUR)
    (tmp_path / "releases" / ".being-written.part").write_text("{")
    wheel_part = tmp_path / "wheels" / ".download.part"
    wheel_part.write_bytes(b"PK")

    assert cache.leftovers(locked=False).paths == (old_record,)
    assert cache.leftovers(locked=True).paths == (old_record, wheel_part)


def test_clean_removes_everything_but_a_record_being_written(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)
    seeded(tmp_path, "1.20.41", b"wheel one")
    cache.write_versions("botocore", ("1.20.41",))
    (tmp_path / "wheels" / ".killed.part").write_bytes(b"half")
    fresh = tmp_path / "releases" / ".being-written.part"
    fresh.write_text("{")

    removed = cache.clean(None, patience=1)

    assert [(files.kind, len(files.paths), files.size) for files in removed] == [
        ("wheels", 1, 9),
        ("release records", 1, removed[1].size),
        ("release listings", 1, removed[2].size),
        ("leftovers", 1, 4),
    ]
    remaining = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*"))
    assert remaining == [
        ".lock",
        "releases",
        "releases/.being-written.part",
        "releases/botocore",
        "wheels",
    ]


def test_clean_older_than_removes_unused_wheels_with_their_records(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)
    old_wheel, old_record = seeded(tmp_path, "1.20.40", b"old wheel")
    used_wheel, used_record = seeded(tmp_path, "1.20.41", b"used wheel")
    cache.write_release(dataclasses.replace(RELEASE, version="1.20.9", sha256="0" * 64))
    orphan = tmp_path / "releases" / "botocore" / "1.20.9.json"
    for path in (old_wheel, used_wheel, used_record, orphan):
        age(path, 40 * 24 * HOUR)
    # Reading a wheel marks it used: it is kept though it was fetched long ago.
    assert _bytes(cache.read_wheel(used_wheel.stem)) == b"used wheel"

    removed = cache.clean(dt.timedelta(days=30), patience=1)

    assert removed[0].paths == (old_wheel,)
    # The record is new, but it goes with its wheel; an old one of no cached wheel goes too.
    assert removed[1].paths == (old_record, orphan)
    assert used_wheel.exists()
    assert used_record.exists()


def test_clean_removes_files_of_other_kinds_by_age_too(tmp_path: Path) -> None:
    verdicts = tmp_path / "valid-models" / "fingerprint"
    verdicts.mkdir(parents=True)
    old, new = verdicts / "old", verdicts / "new"
    old.touch()
    new.touch()
    age(old, 10 * 24 * HOUR)

    removed = WheelCache(tmp_path).clean(
        dt.timedelta(days=1), patience=1, others=(files_below("model verdicts", verdicts),)
    )

    assert [files.paths for files in removed if files.kind == "model verdicts"] == [(old,)]
    assert new.exists()


def test_clean_of_a_cache_never_made_makes_nothing(tmp_path: Path) -> None:
    removed = WheelCache(tmp_path / "none").clean(None, patience=1)

    assert all(not files.paths for files in removed)
    assert not (tmp_path / "none").exists()


def test_the_contents_count_each_kind(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)
    seeded(tmp_path, "1.20.40", b"one")
    seeded(tmp_path, "1.20.41", b"two!")
    cache.write_versions("botocore", ("1.20.40", "1.20.41"))

    wheels, records, listings, temporary = cache.contents()

    assert (len(wheels.paths), wheels.size) == (2, 7)
    assert len(records.paths) == 2
    assert len(listings.paths) == 1
    assert temporary.paths == ()
