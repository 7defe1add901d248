"""`-o PATH`: what is at the path decides how it is written."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from apidiff.cli import main
from apidiff.cli.output import write_file

KINDS = ("kinds", "--format", "json")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


@pytest.fixture
def expected(capsys: pytest.CaptureFixture[str]) -> str:
    """What `apidiff kinds --format json` prints on standard output."""
    status, out, _err = run(capsys, *KINDS)
    assert status == 0 and out.startswith("[")
    return out


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_file_gets_the_mode_the_umask_allows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, expected: str, umask_022: None
) -> None:
    target = tmp_path / "kinds.json"
    assert run(capsys, *KINDS, "-o", str(target)) == (0, "", "")
    assert target.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_existing_file_keeps_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, expected: str
) -> None:
    target = tmp_path / "kinds.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert run(capsys, *KINDS, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_is_followed_to_its_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, expected: str
) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run(capsys, *KINDS, "-o", str(link))[0] == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == expected


def test_a_dangling_symlink_creates_its_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, expected: str
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    assert run(capsys, *KINDS, "-o", str(link))[0] == 0
    assert link.is_symlink()
    assert (tmp_path / "new.json").read_text(encoding="utf-8") == expected


def test_a_fifo_is_written_to_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, expected: str
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        status = run(capsys, *KINDS, "-o", str(fifo))[0]
    finally:
        reader.join(timeout=30)
    assert status == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received == [expected.encode()]


def test_a_descriptor_path_is_written_to(capsys: pytest.CaptureFixture[str], expected: str) -> None:
    """`-o >(cmd)`: the shell passes /dev/fd/N, the write end of a pipe."""
    read_end, write_end = os.pipe()
    received: list[bytes] = []

    def drain() -> None:
        with os.fdopen(read_end, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        status = run(capsys, *KINDS, "-o", f"/dev/fd/{write_end}")[0]
    finally:
        os.close(write_end)
        reader.join(timeout=30)
    assert status == 0
    assert received == [expected.encode()]


def make_device(path: Path, minor: int) -> Path:
    """A copy of a memory device (1, minor) in a test folder: a wrong branch replaces the
    copy, never the system's /dev/null."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device needs root")
    return path


def test_a_character_device_is_written_to_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    device = make_device(tmp_path / "null", 3)
    before = device.stat()
    assert run(capsys, *KINDS, "-o", str(device)) == (0, "", "")
    after = device.stat()
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["null"]


def test_a_full_device_is_an_error_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    device = make_device(tmp_path / "full", 7)
    status, out, err = run(capsys, *KINDS, "-o", str(device))
    assert (status, out) == (3, "")
    assert err == f"apidiff: error: {device}: No space left on device\n"
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_dash_is_standard_output(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, *KINDS, "-o", "-") == (0, expected, "")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_an_error_naming_the_users_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "kinds.json"
    status, out, err = run(capsys, *KINDS, "-o", str(target))
    assert (status, out) == (3, "")
    assert err == f"apidiff: error: {target}: No such file or directory\n"


def test_a_failing_render_leaves_no_file_behind(tmp_path: Path) -> None:
    def pieces() -> Iterator[str]:
        yield "half"
        raise RuntimeError("the renderer broke")

    existing = tmp_path / "existing.txt"
    existing.write_text("before", encoding="utf-8")
    for target in (tmp_path / "new.txt", existing):
        with pytest.raises(RuntimeError):
            write_file(target, pieces())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["existing.txt"]
    assert existing.read_text(encoding="utf-8") == "before"
