"""A zip file held in memory: its directory read in one pass, a member's bytes when asked for.

zipfile makes a ZipInfo of every member as it opens a zip (decoding its extra fields,
cleaning its name): for a botocore wheel's 2,000 members that took 20 ms (70M instructions),
more than the rest of opening a wheel. Wheels are plain zips (one disk, no zip64, no
comment, nothing before the first member), so their directory is walked here into where
each member's entry lies, and an entry is read only when its member is asked for: 3 ms
(19M instructions). A zip that is not plain is opened with zipfile, which knows every
variant and says what is wrong with a broken one.

A stored or deflated member is inflated straight from the zip's bytes, not through
zipfile's file objects, whose reads in small pieces took three times as long; zipfile
reads any other kind.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

if TYPE_CHECKING:
    import mmap

# A zip's bytes: read into memory, or its file mapped into memory (read-only).
ZipData: TypeAlias = "bytes | mmap.mmap"

# The end of the central directory: its signature, disk numbers, entries on this disk and
# in all, the directory's size and offset, and the length of the zip's comment.
_END = struct.Struct("<4sHHHHIIH")
_END_SIGNATURE = b"PK\x05\x06"
# What sits just before the end record of a zip64 file.
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
# A member's entry in the central directory; its name, extra field and comment follow.
_ENTRY = struct.Struct("<4s4xHHHHIIIHHH8xI")
# The fields of an entry the walk through the directory reads.
_ENTRY_WALKED = struct.Struct("<4s4xH10xIIHHH8xI")
_ENTRY_SIGNATURE = b"PK\x01\x02"
# A member's local header: its signature, then (after 22 bytes) its name's and extra
# field's lengths; the member's bytes follow them.
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
# The methods a member is packed with that are inflated here, as zip numbers them.
_STORED = 0
_DEFLATED = 8
# A field the directory fills with this holds its value in a zip64 extra field.
_IN_ZIP64_EXTRA = 0xFFFFFFFF
_ENCRYPTED = 0x1
_UTF8_NAME = 0x800


class ZipError(Exception):
    """Bytes that are no zip, or a member that cannot be read out of one."""


class ZipMember(NamedTuple):
    """What the zip's directory says of one member."""

    name: str
    method: int  # 0 stored, 8 deflated, 12 bzip2, ...
    flags: int
    crc: int  # The CRC-32 of its bytes once inflated.
    packed_size: int
    size: int
    header_offset: int
    date_time: tuple[int, int, int, int, int, int]

    @property
    def inflatable(self) -> bool:
        """Whether `ZipArchive` inflates it itself (stored or deflated, not encrypted)."""
        return self.method in (_STORED, _DEFLATED) and not (self.flags & _ENCRYPTED)


class ZipArchive:
    """The members of a zip held in memory, by name; ZipError where it is no zip."""

    def __init__(self, data: ZipData) -> None:
        self._data = data
        self._view = memoryview(data)
        entries = _plain_entries(self._view)
        # A plain zip's members are made from its directory as they are asked for (most
        # never are); any other zip's all at once, by zipfile.
        self._plain = entries is not None
        self._entries = entries if entries is not None else {}
        self._members = {} if entries is not None else _zipfile_members(data)

    def names(self) -> Iterable[str]:
        return self._entries.keys() if self._plain else self._members.keys()

    def __contains__(self, name: str) -> bool:
        return name in self._members or name in self._entries

    def member(self, name: str) -> ZipMember:
        """What the directory says of a member; KeyError where the zip has none of that name."""
        found = self._members.get(name)
        if found is None:
            found = self._members[name] = _entry_at(self._view, self._entries[name], name)
        return found

    def packed(self, member: ZipMember) -> memoryview:
        """A stored or deflated member's bytes as the zip holds them (compressed);
        ZipError where the zip does not hold them whole."""
        signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(
            self._view, member.header_offset
        )
        if signature != _LOCAL_SIGNATURE:
            raise ZipError("bad magic number for file header")
        start = member.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        packed = self._view[start : start + member.packed_size]
        if len(packed) != member.packed_size:
            raise ZipError(f"the zip ends inside {member.name!r}")
        return packed

    def read(self, member: ZipMember, *, check: bool = True) -> bytes:
        """A member's bytes; ZipError (or zlib.error, EOFError, struct.error) where
        they cannot be read, or (with `check`) do not match the CRC-32 the directory gives.

        Unchecked only where the whole zip was checked already, against a sha256.
        """
        if not member.inflatable:
            return _zipfile_read(self._data, member.name)
        packed = self.packed(member)
        if member.method == _STORED:
            plain = bytes(packed)
        else:
            # Negative window bits: a raw deflate stream, no zlib header or trailer.
            plain = zlib.decompress(packed, -zlib.MAX_WBITS, max(member.size, 1))
        if len(plain) != member.size or (check and zlib.crc32(plain) != member.crc):
            raise ZipError(f"bad CRC-32 for file {member.name!r}")
        return plain


def _plain_entries(data: memoryview) -> dict[str, int] | None:
    """Where each member's entry sits in the central directory of a plain zip (one disk, no
    zip64, no comment, nothing before its first member); None where the zip is not plain
    (or not whole), for zipfile to open."""
    end = _end_record_offset(data)
    if end is None:
        return None
    _, disk, directory_disk, entries_here, count, size, offset, comment_length = _END.unpack_from(
        data, end
    )
    if (
        (disk, directory_disk, comment_length) != (0, 0, 0)
        or entries_here != count
        or offset + size != end
        or _is_zip64(data, end)
    ):
        return None
    entries: dict[str, int] = {}
    position = offset
    try:
        for _ in range(count):
            (
                signature,
                flags,
                packed_size,
                member_size,
                name_length,
                extra_length,
                comment_length,
                header_offset,
            ) = _ENTRY_WALKED.unpack_from(data, position)
            start = position + _ENTRY.size
            name = _decoded_name(bytes(data[start : start + name_length]), flags)
            if (
                signature != _ENTRY_SIGNATURE
                or _IN_ZIP64_EXTRA in (packed_size, member_size, header_offset)
                or "\x00" in name  # zipfile cuts a name there.
            ):
                return None
            entries[name] = position
            position = start + name_length + extra_length + comment_length
    except (struct.error, UnicodeDecodeError):
        return None
    return entries if position == end else None


def _decoded_name(raw: bytes, flags: int) -> str:
    # Both encodings read ASCII as ASCII, which Python decodes fastest (cp437 is looked up
    # and decoded through a table: that took a quarter of a wheel's walk).
    if raw.isascii():
        return raw.decode("ascii")
    return raw.decode("utf-8" if flags & _UTF8_NAME else "cp437")


def _entry_at(data: memoryview, position: int, name: str) -> ZipMember:
    _, flags, method, time, date, crc, packed_size, size, _, _, _, header_offset = (
        _ENTRY.unpack_from(data, position)
    )
    return ZipMember(
        name, method, flags, crc, packed_size, size, header_offset, _dos_date_time(date, time)
    )


def _end_record_offset(data: memoryview) -> int | None:
    """Where the end of the central directory record starts; None where the zip has a
    comment after it (or is too short to hold one)."""
    last = len(data) - _END.size
    return last if last >= 0 and data[last : last + 4] == _END_SIGNATURE else None


def _is_zip64(data: memoryview, end: int) -> bool:
    locator = end - _ZIP64_LOCATOR_SIZE
    return locator >= 0 and data[locator : locator + 4] == _ZIP64_LOCATOR_SIGNATURE


def _dos_date_time(date: int, time: int) -> tuple[int, int, int, int, int, int]:
    return (
        (date >> 9) + 1980,
        (date >> 5) & 0xF,
        date & 0x1F,
        time >> 11,
        (time >> 5) & 0x3F,
        (time & 0x1F) * 2,
    )


# zipfile is imported only for a zip it reads: a run reading plain wheels never loads it.


def _zipfile_members(data: ZipData) -> dict[str, ZipMember]:
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ZipError(str(error)) from None
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
        for info in archive.infolist()
    }


def _zipfile_read(data: ZipData, name: str) -> bytes:
    import zipfile

    try:
        return zipfile.ZipFile(io.BytesIO(data)).read(name)
    except zipfile.BadZipFile as error:
        raise ZipError(str(error)) from None
