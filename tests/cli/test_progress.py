"""Progress where standard error is no terminal: a plain line at most every ten seconds."""

from __future__ import annotations

import shutil
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from apidiff.cli import main
from apidiff.cli.progress import LINE_INTERVAL, ProgressDisplay
from tests.conftest import MODELS


def ticking(step: float) -> Callable[[], float]:
    """A monotonic clock that moves `step` seconds each time it is read."""
    now = [1000.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


def test_a_quick_run_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressDisplay(clock=ticking(0.01)) as display:
        display.downloading("botocore-1.44.8-py3-none-any.whl", 10, 100)
        for done in range(1, 300):
            display.comparing(f"service{done}", done, 300)

    assert capsys.readouterr() == ("", "")


def test_a_long_run_prints_a_line_at_most_every_ten_seconds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ProgressDisplay(clock=ticking(3.0)) as display:
        for done in range(1, 11):
            display.comparing(f"service{done}", done, 10)

    out, err = capsys.readouterr()
    # Started at 3 s; calls at 6, 9, ... 33 s: lines at 15 s (service4) and 27 s (service8).
    assert out == ""
    assert err == (
        "apidiff: comparing services: 4 of 10 (service4)\n"
        "apidiff: comparing services: 8 of 10 (service8)\n"
    )


def test_a_slow_download_says_how_much_of_how_much(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressDisplay(clock=ticking(LINE_INTERVAL)) as display:
        display.downloading("botocore-1.44.8-py3-none-any.whl", 3_000_000, 12_500_000)
        display.downloading("botocore-1.44.8-py3-none-any.whl", 4_000_000, None)

    assert capsys.readouterr().err == (
        "apidiff: downloading botocore-1.44.8-py3-none-any.whl: 3.0/12.5 MB\n"
        "apidiff: downloading botocore-1.44.8-py3-none-any.whl: 4.0 MB\n"
    )


def test_a_few_services_are_not_counted(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressDisplay(clock=ticking(LINE_INTERVAL)) as display:
        for done in range(1, 4):
            display.comparing(f"service{done}", done, 3)

    assert capsys.readouterr() == ("", "")


def test_progress_turned_off_prints_nothing_however_long(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ProgressDisplay(enabled=False, clock=ticking(60.0)) as display:
        for done in range(1, 11):
            display.comparing(f"service{done}", done, 10)

    assert capsys.readouterr() == ("", "")


def many_services(folder: Path, model: Path, count: int) -> Path:
    for number in range(1, count + 1):
        version = folder / f"service{number}" / model.parent.name
        version.mkdir(parents=True)
        shutil.copy(model, version / model.name)
    return folder


def test_a_slow_notes_run_in_ci_reports_its_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloudsearch = MODELS / "botocore-1.20.41" / "cloudsearch"
    old = many_services(tmp_path / "old", cloudsearch / "2011-02-01" / "service-2.json.gz", 7)
    new = many_services(tmp_path / "new", cloudsearch / "2013-01-01" / "service-2.json.gz", 7)
    monkeypatch.setattr("apidiff.cli.progress.time", types.SimpleNamespace(monotonic=ticking(4.0)))

    with pytest.raises(SystemExit) as exited:
        main(["notes", str(old), str(new), "--no-docs"])

    assert exited.value.code == 0
    # Started at 4 s; one reading per service from 8 s on: lines at 16 s and 28 s.
    assert capsys.readouterr().err == (
        "apidiff: comparing services: 3 of 7 (service3)\n"
        "apidiff: comparing services: 6 of 7 (service6)\n"
    )
