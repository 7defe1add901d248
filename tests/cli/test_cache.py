"""`apidiff cache info` and `apidiff cache clean`, through the CLI."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import apidiff.cli.cache  # Registers `cache` on the CLI.
from apidiff.cli import main
from apidiff.sources.cache import WheelCache
from tests.sources.test_cache_processes import CONTEXT, JOIN_SECONDS, hold_a_download_open

DAY = 24 * 3600.0


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(root))
    return root


def fill(root: Path) -> None:
    """Two wheels of 1,500 and 2,000 bytes (the first unused for 40 days), their records, a
    listing, three model verdicts, a pattern verdict of 50 bytes, two compiled templates of
    300 bytes and a download's leftover."""
    (root / "wheels").mkdir(parents=True)
    old = root / "wheels" / f"{'a' * 64}.whl"
    old.write_bytes(b"x" * 1500)
    (root / "wheels" / f"{'b' * 64}.whl").write_bytes(b"y" * 2000)
    (root / "wheels" / ".killed.part").write_bytes(b"z" * 100)
    for version, sha256 in (("1.20.40", "a" * 64), ("1.20.41", "b" * 64)):
        record = root / "releases" / "botocore" / f"{version}.json"
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(f'{{"sha256": "{sha256}"}}')
    (root / "releases" / "botocore.json").write_text('{"versions": []}')
    verdicts = root / "valid-models" / "0123456789abcdef"
    verdicts.mkdir(parents=True)
    for name in ("c1", "c2", "c3"):
        (verdicts / name).touch()
    patterns = root / "valid-models" / "patterns" / "89abcdef01234567"
    patterns.mkdir(parents=True)
    (patterns / "p1.json").write_bytes(b"p" * 50)
    templates = root / "templates" / "fedcba9876543210"
    templates.mkdir(parents=True)
    for name in ("t1", "t2"):
        (templates / name).write_bytes(b"t" * 300)
    then = time.time() - 40 * DAY
    for path in (old, verdicts / "c1", templates / "t1"):
        os.utime(path, (then, then))


def test_info_says_where_the_cache_is_and_what_it_holds(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    fill(cache_dir)

    status, out, err = run(capsys, "cache", "info")

    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"cache: {cache_dir}",
        "  wheels                   2     3.5 kB",
        "  release records          2      156 B",
        "  release listings         1       16 B",
        "  temporary files          1      100 B",
        "  model verdicts           3        0 B",
        "  pattern verdicts         1       50 B",
        "  compiled templates       2      600 B",
        "  total                          4.4 kB",
    ]


def test_info_of_an_empty_cache_counts_nothing(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    status, out, _err = run(capsys, "cache", "info")

    assert status == 0
    assert out.splitlines()[-1] == "  total                             0 B"
    assert not cache_dir.exists()


def test_clean_removes_everything_and_says_what_it_freed(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    fill(cache_dir)

    status, out, _err = run(capsys, "cache", "clean")

    assert status == 0
    assert out == (
        f"freed 4.4 kB in {cache_dir}: 2 wheels, 2 release records, 1 release listings,"
        " 3 model verdicts, 1 pattern verdicts, 2 compiled templates, 1 leftovers\n"
    )
    assert [path.name for path in cache_dir.rglob("*") if path.is_file()] == [".lock"]
    assert not (cache_dir / "valid-models" / "0123456789abcdef").exists()


def test_clean_older_than_keeps_what_was_used_since(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    fill(cache_dir)

    status, out, _err = run(capsys, "cache", "clean", "--older-than", "30")

    assert status == 0
    assert out == (
        f"freed 2.0 kB in {cache_dir}: 1 wheels, 1 release records, 0 release listings,"
        " 1 model verdicts, 0 pattern verdicts, 1 compiled templates, 1 leftovers\n"
    )
    kept = WheelCache(cache_dir).read_wheel("b" * 64)
    assert kept is not None and bytes(kept) == b"y" * 2000
    assert (cache_dir / "releases" / "botocore" / "1.20.41.json").exists()
    assert not (cache_dir / "releases" / "botocore" / "1.20.40.json").exists()


def test_a_negative_age_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    status, _out, err = run(capsys, "cache", "clean", "--older-than", "-1")

    assert status == 2
    assert "--older-than" in err


def test_clean_while_another_process_downloads_removes_nothing(
    capsys: pytest.CaptureFixture[str], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(cache_dir)
    monkeypatch.setattr(apidiff.cli.cache, "CLEAN_PATIENCE", 0.2)
    before = sorted(cache_dir.rglob("*"))
    writing, finish = CONTEXT.Event(), CONTEXT.Event()
    download = CONTEXT.Process(target=hold_a_download_open, args=(str(cache_dir), writing, finish))
    download.start()
    try:
        assert writing.wait(JOIN_SECONDS)
        during = sorted(cache_dir.rglob("*"))

        status, out, err = run(capsys, "cache", "clean")

        assert sorted(cache_dir.rglob("*")) == during
    finally:
        finish.set()
        download.join(JOIN_SECONDS)
    assert (status, out) == (3, "")
    assert err == (
        f"apidiff: error: {cache_dir}: another apidiff process has held the cache's lock"
        " for 0.2 s (a download or a clean); try again when it is done\n"
    )
    # The download's own files: the lock and its .part.
    added = {path.name for path in set(during) - set(before)}
    assert {".lock", *(name for name in added if name.endswith(".part"))} == added
    assert len(added) == 2
