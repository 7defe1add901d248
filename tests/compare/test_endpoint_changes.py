"""A service whose endpoint rule set changed and whose model did not still gets a report:
support, botocore 1.44.5 -> 1.44.6."""

from __future__ import annotations

import pytest

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
