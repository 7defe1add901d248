"""The same fetching scenarios against the real PyPI (or APIDIFF_PYPI_URL): `pytest -m pypi`.

Deselected by default (see pyproject.toml); `tox -e pypi` runs them. The downloads are made
once per session into a temporary cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import apidiff.cli.release  # noqa: F401  (registers the command until main imports it)
from apidiff.cli import main
from apidiff.errors import FetchError, SourceError
from apidiff.sources import open_source, previous_release
from apidiff.sources.pypi import PYPI_URL, FetchSettings, PackageIndex

pytestmark = [pytest.mark.network, pytest.mark.pypi]

MODELS = Path(__file__).resolve().parents[2] / "models"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> FetchSettings:
    return FetchSettings(
        cache_dir=tmp_path_factory.mktemp("cache"),
        index_url=os.environ.get("APIDIFF_PYPI_URL") or PYPI_URL,
        timeout=30,
    )


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL apidiff asks for during the test."""
    asked: list[str] = []
    original = urllib.request.OpenerDirector.open

    def recording_open(self: urllib.request.OpenerDirector, url: Any, *args: Any) -> Any:
        asked.append(url if isinstance(url, str) else url.full_url)
        return original(self, url, *args)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", recording_open)
    return asked


def bundled(version: str) -> Any:
    return json.loads((MODELS / f"botocore-{version}" / "provenance.json").read_text())


def test_a_release_from_pypi_is_the_wheel_pypi_published(settings: FetchSettings) -> None:
    source = open_source("botocore==1.20.41", PackageIndex(settings))

    assert source.provenance.released == dt.date(2021, 3, 30)
    assert "sagemaker" in source.services()
    wheel = Path(source.provenance.location).read_bytes()
    assert hashlib.sha256(wheel).hexdigest() == bundled("1.20.41")["wheel_sha256"]


def test_a_cached_release_asks_pypi_nothing(settings: FetchSettings, requests: list[str]) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    requests.clear()

    open_source("botocore==1.20.41", PackageIndex(settings))
    open_source("botocore==1.20.41", PackageIndex(dataclasses.replace(settings, offline=True)))

    assert requests == []


def test_offline_an_uncached_release_is_named(settings: FetchSettings) -> None:
    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    with pytest.raises(FetchError, match=r"not in the cache at .* and --offline is set"):
        open_source("botocore==1.20.39", offline)


def test_an_unknown_version_is_no_such_release(settings: FetchSettings) -> None:
    with pytest.raises(SourceError, match="no such release on"):
        open_source("botocore==9.9.9", PackageIndex(settings))


def test_the_release_before_is_the_previous_version(settings: FetchSettings) -> None:
    packages = PackageIndex(settings)
    source = open_source("botocore==1.20.41", packages)

    assert previous_release("botocore==1.20.41", source, packages) == "botocore==1.20.40"


def test_a_boto3_release_stands_for_its_botocore(settings: FetchSettings) -> None:
    packages = PackageIndex(settings)

    assert open_source("boto3==1.17.41", packages).provenance.version == "1.20.41"
    assert open_source("boto3==1.35.10", packages).provenance.version == "1.35.10"


def test_a_slow_answer_times_out(settings: FetchSettings) -> None:
    impatient = PackageIndex(dataclasses.replace(settings, timeout=0.0001, retries=1, backoff=0))

    with pytest.raises(FetchError, match="timed out"):
        open_source("botocore==1.20.38", impatient)


def test_notes_of_the_reference_release(
    settings: FetchSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(settings.cache_dir))
    monkeypatch.setenv("APIDIFF_PYPI_URL", settings.index_url)
    monkeypatch.delenv("APIDIFF_OFFLINE", raising=False)

    with pytest.raises(SystemExit) as exit_:
        main(["notes", "botocore==1.20.40", "botocore==1.20.41", "--service", "sagemaker"])

    assert exit_.value.code == 0
    assert (
        "2021/03/30 - Amazon SageMaker Service - 3 updated api methods" in capsys.readouterr().out
    )
