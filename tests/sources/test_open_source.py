"""Which source a spec names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from apidiff.errors import SourceError
from apidiff.sources import open_source
from apidiff.sources.installed import InstalledSource
from apidiff.sources.local import DirectorySource, FileSource
from apidiff.sources.pypi import PackageIndex, parse_release_spec, parse_requirement
from apidiff.sources.wheel import WheelSource
from tests.sources.local_index import LocalIndex, botocore_wheel, build_wheel

CLOUDSEARCH = Path(__file__).resolve().parents[2] / "models" / "botocore-1.20.41" / "cloudsearch"


@pytest.mark.parametrize(
    ("spec", "release"),
    [
        ("botocore==1.44.8", ("botocore", "1.44.8")),
        ("boto3==1.35.10", ("boto3", "1.35.10")),
        (" botocore == 1.20.41 ", ("botocore", "1.20.41")),
        ("Botocore==1.44.8", ("botocore", "1.44.8")),
        ("BOTO3==1.35.10", ("boto3", "1.35.10")),
        ("botocore==1.44.08", ("botocore", "1.44.8")),
        ("botocore[crt]==1.44.8", ("botocore", "1.44.8")),
        ("botocore===1.44.8", ("botocore", "1.44.8")),
        ("botocore>=1.44", None),
        ("botocore==1.44.*", None),
        ("models/botocore-1.20.41", None),
        ("./botocore==1.0", None),
        ("installed", None),
    ],
)
def test_release_specs_pin_botocore_or_boto3_in_any_case(
    spec: str, release: tuple[str, str] | None
) -> None:
    assert parse_release_spec(spec) == release


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("botocore==abc", "botocore==abc: not a version: 'abc'"),
        ("botocore>=1.44,<abc", "botocore>=1.44,<abc: not a version: 'abc'"),
        ("botocore==", "botocore==: not a version: ''"),
        (
            "requests==2.31.0",
            "requests==2.31.0: only botocore and boto3 releases are sources (not requests)",
        ),
        (
            "Requests>=2",
            "Requests>=2: only botocore and boto3 releases are sources (not Requests)",
        ),
        (
            "botocore@1.44.8",
            "botocore@1.44.8: a direct reference (@) is not a release;"
            " write botocore==VERSION (say botocore==1.44.8)",
        ),
        (
            "botocore==1.44.8; python_version>'3'",
            "botocore==1.44.8; python_version>'3': environment markers (after ;)"
            " have no meaning for a source",
        ),
        (
            "boto3 @ https://example.com/boto3.whl",
            "boto3 @ https://example.com/boto3.whl: a direct reference (@) is not a release;"
            " write boto3==VERSION",
        ),
        ("botocore[crt]", "botocore[crt]: names no version; write botocore==X.Y.Z or a range"),
        ("botocore==1.2\n==3", "botocore==1.2\n==3: not a version: '1.2\\n==3'"),
    ],
)
def test_a_requirement_that_names_no_release_is_a_clear_error(spec: str, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        open_source(spec)

    assert str(raised.value) == message


@pytest.mark.parametrize("spec", ["notes=old.json", "model[1].json", "me@example", "a==b"])
def test_a_missing_file_with_operators_in_its_name_is_no_such_file(spec: str) -> None:
    with pytest.raises(SourceError) as raised:
        open_source(spec)

    assert str(raised.value) == f"{spec}: no such file or directory"


def test_a_single_equals_sign_is_not_a_version_specifier() -> None:
    with pytest.raises(SourceError) as raised:
        open_source("botocore=1.44.8")

    assert str(raised.value) == (
        "botocore=1.44.8: not a version specifier: '=1.44.8' (write ==X.Y.Z, >=X.Y, ...)"
    )


def test_a_range_is_a_requirement_with_its_specifier() -> None:
    requirement = parse_requirement("botocore>=1.44,<1.45")

    assert requirement is not None
    assert requirement.package == "botocore"
    assert str(requirement.specifier) == "<1.45,>=1.44"
    assert requirement.pinned is None


def test_a_bare_package_name_is_no_path_and_says_how_to_name_a_release() -> None:
    with pytest.raises(SourceError) as raised:
        open_source("botocore")

    assert str(raised.value) == (
        "botocore: no such file or directory"
        " (a release is botocore==X.Y.Z or a range such as 'botocore>=X.Y')"
    )


def test_an_existing_folder_named_like_a_release_is_read_as_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: LocalIndex, packages: PackageIndex
) -> None:
    folder = tmp_path / "botocore==1.20.41"
    (folder / "cloudsearch" / "2013-01-01").mkdir(parents=True)
    model = CLOUDSEARCH / "2013-01-01" / "service-2.json.gz"
    (folder / "cloudsearch" / "2013-01-01" / model.name).write_bytes(model.read_bytes())
    monkeypatch.chdir(tmp_path)

    source = open_source("botocore==1.20.41", packages)

    assert isinstance(source, DirectorySource)
    assert index.requests == []
    # The release itself is still reachable, written so that it names no file.
    assert isinstance(open_source("botocore===1.20.41", packages), WheelSource)


def test_an_existing_file_named_like_a_release_is_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: LocalIndex, packages: PackageIndex
) -> None:
    (tmp_path / "botocore>=1.0").write_bytes(b"{}")
    monkeypatch.chdir(tmp_path)

    assert isinstance(open_source("botocore>=1.0", packages), FileSource)
    assert index.requests == []


def test_a_wheel_renamed_to_zip_is_read_as_a_wheel(tmp_path: Path) -> None:
    path = tmp_path / "botocore-1.20.41.zip"
    path.write_bytes(botocore_wheel("1.20.41"))

    source = open_source(str(path))

    assert isinstance(source, WheelSource)
    assert source.services() == ("cloudsearch", "sagemaker")
    assert source.provenance.version == "1.20.41"
    assert source.provenance.released == dt.date(2021, 3, 30)


def test_a_zip_that_is_no_botocore_wheel_is_an_error_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_bytes(build_wheel({"README": b"hello"}, dt.datetime(2024, 1, 1)))

    with pytest.raises(SourceError, match="not a botocore wheel"):
        open_source(str(path))


def test_bundled_and_installed_keep_working() -> None:
    assert isinstance(open_source("installed"), InstalledSource)
    assert open_source("bundled:botocore-1.20.41").provenance.version == "1.20.41"


def test_a_bundled_spec_opens_the_bundled_folder() -> None:
    source = open_source("bundled:botocore-1.20.41")

    assert isinstance(source, DirectorySource)
    assert source.provenance.version == "1.20.41"


def test_a_spec_that_names_nothing_is_an_error() -> None:
    with pytest.raises(SourceError, match="no-such-thing: no such file or directory"):
        open_source("no-such-thing")
