"""`installed`: the botocore importable in the running Python."""

from __future__ import annotations

import botocore

from apidiff.sources import open_source


def test_installed_is_botocores_data_folder_with_its_version() -> None:
    source = open_source("installed")

    assert source.provenance.package == "botocore"
    assert source.provenance.version == botocore.__version__
    assert source.provenance.location == "botocore/data"
    assert source.provenance.released is None


def test_installed_lists_and_reads_botocores_services() -> None:
    source = open_source("installed")

    assert "s3" in source.services()
    files = source.service_files("s3")
    assert files.api_version == "2006-03-01"
    assert files.model.data
    assert source.changelog() is None
