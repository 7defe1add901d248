"""botocore's changelog from a `.changes` file, CHANGELOG.rst or a checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apidiff.errors import ChangelogError
from apidiff.sources.changelog import ChangelogVersionWarning, read_changelog

ENTRY = {
    "type": "api-change",
    "category": "``sagemaker``",
    "description": "[``botocore``] Amazon SageMaker Autopilot now supports 1) Reports",
}


def changes_file(folder: Path, version: str) -> Path:
    path = folder / f"{version}.json"
    path.write_text(json.dumps([ENTRY]))
    return path


def test_a_changes_file_of_the_release_is_read_without_a_warning(tmp_path: Path) -> None:
    warned: list[str] = []

    entries = read_changelog(changes_file(tmp_path, "1.20.41"), "1.20.41", warn=warned.append)

    assert [entry.category_name for entry in entries] == ["sagemaker"]
    assert entries[0].description == "Amazon SageMaker Autopilot now supports 1) Reports"
    assert warned == []


def test_a_changes_file_of_another_release_warns_naming_both_versions(tmp_path: Path) -> None:
    path = changes_file(tmp_path, "1.20.40")
    warned: list[str] = []

    entries = read_changelog(path, "1.20.41", warn=warned.append)

    assert len(entries) == 1
    assert warned == [
        f"{path}: a changelog of botocore 1.20.40, but the new models are botocore 1.20.41;"
        " its entries are used all the same"
    ]


def test_without_a_listener_the_mismatch_is_a_python_warning(tmp_path: Path) -> None:
    path = changes_file(tmp_path, "1.20.40")

    with pytest.warns(
        ChangelogVersionWarning, match=r"botocore 1\.20\.40, but .* botocore 1\.20\.41"
    ):
        read_changelog(path, "1.20.41")


@pytest.mark.parametrize(("name", "version"), [("changes", "1.20.41"), ("1.20.40", None)])
def test_a_release_that_cannot_be_told_is_not_warned_of(
    tmp_path: Path, name: str, version: str | None
) -> None:
    warned: list[str] = []

    read_changelog(changes_file(tmp_path, name), version, warn=warned.append)

    assert warned == []


def test_a_checkout_gives_the_changes_file_of_the_release(tmp_path: Path) -> None:
    (tmp_path / ".changes").mkdir()
    changes_file(tmp_path / ".changes", "1.20.41")

    assert len(read_changelog(tmp_path, "1.20.41")) == 1
    with pytest.raises(
        ChangelogError, match=r"neither \.changes/1\.20\.40\.json nor CHANGELOG\.rst"
    ):
        read_changelog(tmp_path, "1.20.40")
