"""Every source hands on a service's endpoint rule set and its release's partitions, and a
service whose rule set alone changed is not proven unchanged."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from apidiff.sources import ModelSource, open_source, same_content
from tests.conftest import MODELS
from tests.sources.local_index import botocore_wheel

RELEASE = MODELS / "botocore-1.44.8"
RULES = "route53/2013-04-01/endpoint-rule-set-1.json.gz"


def _source(kind: str, tmp_path: Path) -> ModelSource:
    if kind == "bundled":
        return open_source("bundled:botocore-1.44.8")
    if kind == "folder":
        return open_source(str(shutil.copytree(RELEASE, tmp_path / "data")))
    if kind == "file":
        shutil.copytree(RELEASE, tmp_path / "data")
        return open_source(str(tmp_path / "data" / "route53" / "2013-04-01" / "service-2.json.gz"))
    wheel = tmp_path / "botocore-1.44.8-py3-none-any.whl"
    wheel.write_bytes(botocore_wheel("1.44.8"))
    return open_source(str(wheel))


@pytest.mark.parametrize("kind", ["bundled", "folder", "file", "wheel"])
def test_each_source_hands_on_the_rule_set_and_the_partitions(kind: str, tmp_path: Path) -> None:
    files = _source(kind, tmp_path).service_files("route53")

    assert files.endpoint_rules is not None and files.partitions is not None
    assert files.endpoint_rules.path.endswith(RULES)
    assert gzip.decompress(files.endpoint_rules.data) == gzip.decompress(
        (RELEASE / RULES).read_bytes()
    )
    assert files.partitions.path.endswith("partitions.json.gz")
    assert gzip.decompress(files.partitions.data).startswith(b"{")


def test_a_service_whose_rule_set_alone_changed_is_not_the_same(tmp_path: Path) -> None:
    old = shutil.copytree(RELEASE, tmp_path / "old")
    new = shutil.copytree(RELEASE, tmp_path / "new")
    text = gzip.decompress((new / RULES).read_bytes())
    (new / RULES).write_bytes(gzip.compress(text.replace(b"route53-fips", b"route53-fips-2")))
    # The same text gzipped anew (another timestamp) is the same rule set.
    (old / RULES).write_bytes(gzip.compress(gzip.decompress((old / RULES).read_bytes()), mtime=1))

    old_files = open_source(str(old)).service_files("route53")
    new_files = open_source(str(new)).service_files("route53")

    assert old_files.model.data == new_files.model.data
    assert not same_content(old_files, new_files)
    assert same_content(old_files, open_source(str(RELEASE)).service_files("route53"))
