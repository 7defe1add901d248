"""The model compared is the one botocore loads: S3's `Expires`, a string in 1.43.90's
service-2.json, stays a timestamp through the sdk-extras botocore merges on load, in both
releases, so upgrading S3 from 1.43.89 to 1.43.90 breaks nothing there."""

from __future__ import annotations

import gzip

import pytest

from apidiff.classify import Perspective, Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.model.load import load_service_model
from apidiff.report.check import evaluate_check
from apidiff.sources import PackageIndex, open_source

OLD, NEW = "botocore==1.43.89", "botocore==1.43.90"


@pytest.mark.network
def test_s3_from_1_43_89_to_1_43_90_has_no_breaking_finding() -> None:
    index = PackageIndex.from_environment()
    old, new = open_source(OLD, index), open_source(NEW, index)
    # What made the false finding: the model file alone changes Expires to a string.
    new_files = new.service_files("s3")
    assert b'"Expires":{"type":"string"' in _text(new_files.model.data).replace(b" ", b"")
    assert load_service_model(new_files, new.provenance).shapes["Expires"]["type"] == "timestamp"

    report = compare_sources(old, new, CompareOptions(services=("s3",), with_docs=False))
    (service,) = report.services
    for perspective in (Perspective.SDK, Perspective.WIRE):
        result = evaluate_check(report, perspective=perspective)
        assert result.count(Severity.BREAKING) == 0, perspective
    # Still compared, not passed over: the release's real S3 changes are there.
    assert service.service == "s3" and service.changes
    assert not any("Expires" in repr(record.change) for record in service.changes)


def _text(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
