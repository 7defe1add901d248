"""A cached wheel is checked against its sha256 while its zip directory is read: a copy that
is still a zip, but not the release's, is caught as a damaged one is."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from apidiff.errors import FetchError
from apidiff.sources import open_source
from apidiff.sources.pypi import FetchSettings, PackageIndex
from tests.sources.local_index import LocalIndex, botocore_wheel

WHEEL = "/files/botocore-1.20.41-py3-none-any.whl"


def _cached_wheel(cache_dir: Path) -> Path:
    (wheel,) = (cache_dir / "wheels").iterdir()
    return wheel


def test_a_cached_wheel_replaced_by_another_zip_is_fetched_again(
    settings: FetchSettings, index: LocalIndex, cache_dir: Path
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    # A whole, readable wheel, of the same version even: only its sha256 tells it apart.
    _cached_wheel(cache_dir).write_bytes(botocore_wheel("1.20.41") + b"\0")

    source = open_source("botocore==1.20.41", PackageIndex(settings))

    assert source.services() == ("cloudsearch", "sagemaker")
    assert index.requests_for(WHEEL) == 2
    expected = index.releases["botocore"]["1.20.41"].sha256
    assert hashlib.sha256(_cached_wheel(cache_dir).read_bytes()).hexdigest() == expected


def test_offline_a_cached_wheel_replaced_by_another_zip_is_removed_and_reported(
    settings: FetchSettings, cache_dir: Path
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    _cached_wheel(cache_dir).write_bytes(botocore_wheel("1.20.41") + b"\0")

    offline = PackageIndex(dataclasses.replace(settings, offline=True))
    with pytest.raises(FetchError, match=r"damaged \(sha256 mismatch\) .* removed; --offline"):
        open_source("botocore==1.20.41", offline)
    assert not list((cache_dir / "wheels").iterdir())


def test_an_intact_cached_wheel_is_opened_without_the_index(
    settings: FetchSettings, index: LocalIndex
) -> None:
    first = open_source("botocore==1.20.41", PackageIndex(settings))
    again = open_source("botocore==1.20.41", PackageIndex(settings))

    assert again.services() == first.services()
    assert again.service_files("cloudsearch") == first.service_files("cloudsearch")
    assert index.requests_for(WHEEL) == 1


def _flip_a_byte_of_a_model(wheel: Path) -> None:
    """Change one byte inside a model's packed bytes: the zip and its directory stay whole."""
    data = bytearray(wheel.read_bytes())
    start = data.index(b"sagemaker/2017-07-24/service-2.json") + 200
    data[start] ^= 0xFF
    wheel.write_bytes(bytes(data))


def _cut(wheel: Path) -> None:
    data = wheel.read_bytes()
    wheel.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [_flip_a_byte_of_a_model, _cut], ids=["flipped", "cut"])
def test_offline_a_damaged_cached_wheel_is_one_clear_error_and_removed(
    settings: FetchSettings, cache_dir: Path, damage: Callable[[Path], None]
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    damage(_cached_wheel(cache_dir))

    offline = PackageIndex(dataclasses.replace(settings, offline=True))
    with pytest.raises(FetchError, match=r"damaged \(sha256 mismatch\) .* removed; --offline"):
        open_source("botocore==1.20.41", offline)
    assert not list((cache_dir / "wheels").iterdir())


@pytest.mark.parametrize("damage", [_flip_a_byte_of_a_model, _cut], ids=["flipped", "cut"])
def test_a_damaged_cached_wheel_is_fetched_again_and_read_whole(
    settings: FetchSettings, index: LocalIndex, cache_dir: Path, damage: Callable[[Path], None]
) -> None:
    intact = open_source("botocore==1.20.41", PackageIndex(settings)).service_files("sagemaker")
    damage(_cached_wheel(cache_dir))

    again = open_source("botocore==1.20.41", PackageIndex(settings)).service_files("sagemaker")

    assert again.model.data == intact.model.data
    assert index.requests_for(WHEEL) == 2


def test_a_release_read_from_a_configured_cache_loads_no_module_it_does_not_use(
    settings: FetchSettings, cache_dir: Path
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    # A fresh interpreter: what the test run imported already would hide an import.
    script = (
        "import sys\n"
        "from apidiff.sources import open_source\n"
        "source = open_source('botocore==1.20.41')\n"
        "assert source.service_files('sagemaker').model.data\n"
        "print(sorted({'zipfile', 'tempfile', 'platformdirs'} & set(sys.modules)))\n"
    )
    environment = {**os.environ, "APIDIFF_CACHE_DIR": str(cache_dir), "APIDIFF_OFFLINE": "1"}

    loaded = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout

    assert loaded == "[]\n"
