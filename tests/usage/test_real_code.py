"""The scan over a real code base: Cloud Custodian (c7n), whose wheel calls boto3 across
about a hundred services, mostly through clients made by a helper of its own
(`local_session(factory).client("ec2")`). Its wheel is fetched once into the download
cache like botocore's, and read from there.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from apidiff.sources import PackageIndex, open_source
from apidiff.usage import CallKind, scan_usage

C7N = ("c7n", "0.9.53")


def _unpack_python_files(wheel: bytes, into: Path) -> int:
    count = 0
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        for name in archive.namelist():
            member = PurePosixPath(name)
            if member.suffix == ".py" and ".." not in member.parts and not member.is_absolute():
                target = into.joinpath(*member.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
                count += 1
    return count


@pytest.mark.network
def test_cloud_custodian_is_scanned_without_error(tmp_path: Path) -> None:
    package, version = C7N
    spec = f"{package}=={version}"
    index = PackageIndex.from_environment()
    wheel = index.wheel(index.release(package, version, spec), spec)
    files = _unpack_python_files(wheel, tmp_path)
    assert files > 150

    usage = scan_usage([str(tmp_path)], open_source("installed"))

    assert usage.files == files
    assert usage.problems == ()
    mapped = [call for call in usage.calls if call.operation is not None]
    assert len(mapped) > 500
    assert len({call.service for call in mapped}) > 80
    assert len(mapped) / len(usage.calls) > 0.95
    assert {call.kind for call in mapped} >= {CallKind.CALL, CallKind.PAGINATE, CallKind.WAIT}
    # A response read through a loop over a list, as c7n reads tags and statuses.
    assert any("[]." in key for call in mapped for key in call.response_keys)
    assert any((call.service, call.operation) == ("ec2", "DescribeInstances") for call in mapped)
