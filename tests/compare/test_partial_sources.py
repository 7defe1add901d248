"""Which services compare_sources compares where a side holds only some of them."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.errors import ModelLoadError
from apidiff.sources import open_source
from apidiff.sources.base import ChangelogEntry, ModelSource, Provenance, ServiceFiles
from tests.conftest import FIXTURES, MODELS


class Whole:
    """A bundled folder passed off as a whole release, as a wheel of it would be."""

    def __init__(self, spec: str) -> None:
        self._source = open_source(spec)
        self.provenance: Provenance = replace(self._source.provenance, partial=False)

    def services(self) -> tuple[str, ...]:
        return self._source.services()

    def service_files(self, service: str) -> ServiceFiles:
        return self._source.service_files(service)

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return self._source.changelog()


def services_of(old: ModelSource, new: ModelSource) -> dict[str, tuple[bool, bool]]:
    """Each compared service, with whether the old and the new side hold it."""
    report = compare_sources(old, new, CompareOptions(with_docs=False))
    found = {
        s.service: (s.old_api_version is not None, s.new_api_version is not None)
        for s in report.services
    }
    return found | {name: (True, True) for name in report.unchanged_services}


def test_two_whole_releases_are_compared_on_every_service() -> None:
    old, new = Whole("bundled:botocore-1.35.71"), Whole("bundled:botocore-1.35.72")

    assert services_of(old, new)["invoicing"] == (False, True)
    assert compare_sources(old, new, CompareOptions(with_docs=False)).left_out == ()


def test_a_service_only_a_partial_side_holds_is_new_against_a_whole_release() -> None:
    old, new = Whole("bundled:botocore-1.35.71"), open_source("bundled:botocore-1.35.72")

    assert services_of(old, new)["invoicing"] == (False, True)


def test_two_partial_sources_are_compared_on_the_services_both_hold() -> None:
    old, new = open_source("bundled:botocore-1.35.71"), open_source("bundled:botocore-1.35.72")

    assert sorted(services_of(old, new)) == ["cloudsearch", "qbusiness"]


def test_a_single_model_left_out_is_still_read_so_a_bad_one_is_an_error(
    tmp_path: Path,
) -> None:
    bad = FIXTURES / "bad_models" / "not-json.json"

    with pytest.raises(ModelLoadError, match="not valid JSON"):
        compare_sources(open_source(str(bad)), open_source("bundled:botocore-1.20.74"))


def test_a_single_model_against_a_folder_is_compared_with_its_service_there(
    tmp_path: Path,
) -> None:
    path = tmp_path / "model.json"
    source = MODELS / "botocore-1.20.40" / "sagemaker" / "2017-07-24" / "service-2.json.gz"
    path.write_bytes(gzip.decompress(source.read_bytes()))

    report = compare_sources(
        open_source(str(path)),
        open_source("bundled:botocore-1.20.41"),
        CompareOptions(with_docs=False),
    )

    assert [service.service for service in report.services] == ["sagemaker"]
    assert [(group.side, group.services) for group in report.left_out] == [
        ("new", ("cloudsearch",))
    ]
