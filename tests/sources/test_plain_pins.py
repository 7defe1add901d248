"""A plain pin (`botocore==1.44.8`) is read without packaging's requirement parser, as the
same requirement that parser makes of it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from packaging.requirements import Requirement

from apidiff.sources.pypi import ReleaseRequirement, parse_requirement


@pytest.mark.parametrize(
    "spec",
    [
        "botocore==1.44.8",
        "boto3==1.40.0",
        " Botocore == 1.44.8 ",
        "BOTO3==0.0.1",
        "botocore==1.0",
        "botocore==01.44.8",  # leading zeros: packaging's way, normalised
        "botocore==1.44.8rc1",  # a pre-release: packaging's way
        "botocore===1.44.8",
        "botocore[crt]==1.44.8",
    ],
)
def test_a_pin_reads_as_packaging_reads_it(spec: str) -> None:
    parsed = Requirement(spec.strip())
    expected = ReleaseRequirement(parsed.name.lower(), parsed.specifier)

    found = parse_requirement(spec)

    assert found == expected
    assert found is not None and found.pinned == expected.pinned


def test_a_plain_pin_does_not_import_the_requirement_parser() -> None:
    script = (
        "import sys\n"
        "from apidiff.sources.pypi import parse_requirement\n"
        "assert parse_requirement('botocore==1.44.8').pinned == '1.44.8'\n"
        "print('packaging.requirements' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
