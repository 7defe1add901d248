"""A service whose endpoint rule set changed and whose model did not still gets a report:
support, botocore 1.44.5 -> 1.44.6; iam, 1.43.63 -> 1.43.64, for the signing of one URL."""

from __future__ import annotations

import pytest

from apidiff.classify.severity import Perspective, Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff.kinds import ChangeKind
from apidiff.sources import PackageIndex, open_source


@pytest.mark.network
def test_a_rule_set_changed_without_a_model_change_is_reported() -> None:
    index = PackageIndex.from_environment()
    old, new = open_source("botocore==1.44.5", index), open_source("botocore==1.44.6", index)

    report = compare_sources(old, new, CompareOptions(services=("support",), with_docs=False))

    (service,) = report.services
    assert service.service == "support"
    kinds = {record.change.kind for record in service.changes}
    assert kinds == {ChangeKind.ENDPOINT_CHANGED}
    assert not service.new_operations and not service.removed_operations
    assert not service.updated_operations


@pytest.mark.network
def test_a_new_signing_region_for_the_same_url_is_rated_by_its_own_rule() -> None:
    # iam, botocore 1.43.63 -> 1.43.64: https://iam-fips.amazonaws.com.cn is now signed in
    # cn-north-1, where it was signed in cn-northwest-1 (tests/diff/test_endpoint_signing.py
    # proves it with botocore's signer).
    index = PackageIndex.from_environment()
    old, new = open_source("botocore==1.43.63", index), open_source("botocore==1.43.64", index)

    report = compare_sources(old, new, CompareOptions(services=("iam",), with_docs=False))

    (service,) = report.services
    signing = [r for r in service.changes if r.change.kind is ChangeKind.ENDPOINT_AUTH_CHANGED]
    assert signing and {record.rule for record in signing} == {"endpoint.auth.changed"}
    for record in signing:
        assert record.severity[Perspective.SDK] is Severity.RISKY
        assert record.severity[Perspective.WIRE] is Severity.BREAKING
