"""Which source a spec names."""

from __future__ import annotations

import pytest

from apidiff.errors import SourceError
from apidiff.sources import open_source
from apidiff.sources.local import DirectorySource
from apidiff.sources.pypi import parse_release_spec


@pytest.mark.parametrize(
    ("spec", "release"),
    [
        ("botocore==1.44.8", ("botocore", "1.44.8")),
        ("boto3==1.35.10", ("boto3", "1.35.10")),
        (" botocore == 1.20.41 ", ("botocore", "1.20.41")),
        ("botocore>=1.44", None),
        ("requests==2.0.0", None),
        ("botocore==", None),
        ("models/botocore-1.20.41", None),
    ],
)
def test_release_specs_name_botocore_or_boto3_exactly(
    spec: str, release: tuple[str, str] | None
) -> None:
    assert parse_release_spec(spec) == release


def test_a_bundled_spec_opens_the_bundled_folder() -> None:
    source = open_source("bundled:botocore-1.20.41")

    assert isinstance(source, DirectorySource)
    assert source.provenance.version == "1.20.41"


def test_a_spec_that_names_nothing_is_an_error() -> None:
    with pytest.raises(SourceError, match="no-such-thing: no such file or directory"):
        open_source("no-such-thing")
