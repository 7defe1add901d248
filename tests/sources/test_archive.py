"""A zip held in memory: the directory walked out of a plain zip is the one zipfile reads, and
any other zip is read by zipfile itself."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from apidiff.sources.archive import ZipArchive, ZipError, ZipMember
from tests.sources.local_index import botocore_wheel

MEMBERS = {
    "botocore/__init__.py": b"__version__ = '1.0'\n",
    "botocore/data/example/2020-01-01/service-2.json": b'{"shapes": {}}' * 300,
    "caf\u00e9/\u00fcber.txt": b"utf-8 named",
}


def zip_of(members: dict[str, bytes], comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10)), data)
        archive.comment = comment
    return buffer.getvalue()


def as_zipfile_reads_it(data: bytes) -> dict[str, ZipMember]:
    return {
        info.filename: ZipMember(
            info.filename,
            info.compress_type,
            info.flag_bits,
            info.CRC,
            info.compress_size,
            info.file_size,
            info.header_offset,
            info.date_time,
        )
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist()
    }


def members_of(archive: ZipArchive) -> dict[str, ZipMember]:
    return {name: archive.member(name) for name in archive.names()}


@pytest.mark.parametrize(
    "data",
    [
        botocore_wheel("1.35.72"),
        zip_of(MEMBERS),
        # Not plain, so read by zipfile: a comment after the directory, bytes before the zip.
        zip_of(MEMBERS, comment=b"a comment"),
        b"#!/bin/sh\nexit 0\n" + zip_of(MEMBERS),
    ],
    ids=["wheel", "plain", "commented", "prefixed"],
)
def test_the_directory_is_the_one_zipfile_reads(data: bytes) -> None:
    archive = ZipArchive(data)

    assert members_of(archive) == as_zipfile_reads_it(data)
    for name in archive.names():
        assert archive.read(archive.member(name)) == zipfile.ZipFile(io.BytesIO(data)).read(name)


def test_a_plain_zip_is_read_without_zipfile(monkeypatch: pytest.MonkeyPatch) -> None:
    data = botocore_wheel("1.35.72")
    monkeypatch.setattr(zipfile, "ZipFile", None)  # Called, it would raise TypeError.

    archive = ZipArchive(data)

    assert "botocore/__init__.py" in archive
    assert archive.read(archive.member("botocore/__init__.py")).startswith(b"__version__")


def test_a_name_not_in_utf8_is_read_as_cp437_as_zipfile_reads_it() -> None:
    data = bytearray(zip_of({"naive.txt": b"x"}))
    # "na\xefve" in cp437 reads "na\u2229ve"; the name is not flagged UTF-8.
    for start in range(len(data) - 9):
        if data[start : start + 9] == b"naive.txt":
            data[start + 2] = 0xEF

    assert list(ZipArchive(bytes(data)).names()) == ["na\u2229ve.txt"]
    assert members_of(ZipArchive(bytes(data))) == as_zipfile_reads_it(bytes(data))


def test_a_member_the_zip_lacks_is_a_key_error() -> None:
    archive = ZipArchive(zip_of(MEMBERS))

    assert "nothing/here" not in archive
    assert "botocore/__init__.py" in archive
    with pytest.raises(KeyError):
        archive.member("nothing/here")


@pytest.mark.parametrize("data", [b"", b"PK but not really", zip_of(MEMBERS)[:-30]])
def test_what_is_no_zip_is_an_error_as_zipfile_words_it(data: bytes) -> None:
    with pytest.raises(ZipError, match="File is not a zip file"):
        ZipArchive(data)


def test_a_member_the_zip_does_not_hold_whole_is_an_error_even_unchecked() -> None:
    name = "botocore/__init__.py"
    archive = ZipArchive(claiming_more_than_it_holds(zipfile_stored({name: b"short"})))

    with pytest.raises(ZipError, match=r"the zip ends inside 'botocore/__init__\.py'"):
        archive.read(archive.member(name), check=False)


def claiming_more_than_it_holds(data: bytes) -> bytes:
    """A one-member zip whose directory says its member's packed bytes run past the end."""
    patched = bytearray(data)
    entry = patched.rindex(b"PK\x01\x02")
    struct.pack_into("<I", patched, entry + 20, len(data) * 2)  # Its compressed size.
    return bytes(patched)


def test_a_changed_byte_fails_the_crc_unless_the_zip_was_checked_already() -> None:
    name = "botocore/__init__.py"
    data = bytearray(zipfile_stored({name: b"__version__ = '1.0'\n"}))
    data[data.index(b"1.0")] = ord("2")
    archive = ZipArchive(bytes(data))

    with pytest.raises(ZipError, match="bad CRC-32"):
        archive.read(archive.member(name))
    assert archive.read(archive.member(name), check=False) == b"__version__ = '2.0'\n"


def zipfile_stored(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
