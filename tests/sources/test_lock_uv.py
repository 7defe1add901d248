"""lock: on uv.lock files written by uv itself (`uv lock`, offline, from a folder of wheels
built here), in a repository where a commit bumps boto3 as a bot's pull request would."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apidiff.errors import SourceError
from apidiff.sources import PackageIndex, open_source
from tests.sources.git_repository import commit, git
from tests.sources.local_index import boto3_wheel, botocore_wheel, build_wheel

uv = pytest.importorskip("uv", reason="uv (in the test extras) writes the lock files")


def add_wheels(folder: Path, boto3: str, botocore: str) -> Path:
    """A release of boto3 and the botocore it needs into the folder uv resolves from, with
    a jmespath for boto3 to depend on."""
    folder.mkdir(exist_ok=True)
    (folder / f"botocore-{botocore}-py3-none-any.whl").write_bytes(botocore_wheel(botocore))
    (folder / f"boto3-{boto3}-py3-none-any.whl").write_bytes(
        boto3_wheel(boto3, f"botocore (<1.21.0,>={botocore})")
    )
    metadata = b"Metadata-Version: 2.1\nName: jmespath\nVersion: 0.10.0\n"
    (folder / "jmespath-0.10.0-py3-none-any.whl").write_bytes(
        build_wheel({"jmespath-0.10.0.dist-info/METADATA": metadata}, dt.datetime(2020, 1, 1))
    )
    return folder


def run_uv(project: Path, found: Path, *args: str) -> None:
    subprocess.run(
        [uv.find_uv_bin(), *args, "--offline", "--no-index", "--find-links", str(found)],
        cwd=project,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "UV_CACHE_DIR": str(found.parent / "uv-cache"),
            "UV_PYTHON": sys.executable,
            "UV_PYTHON_DOWNLOADS": "never",
        },
    )


def uv_lock(project: Path, found: Path, *dependencies: str, upgrade: bool = False) -> None:
    listed = ", ".join(f"'{dependency}'" for dependency in dependencies)
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        f"dependencies = [{listed}]\n"
    )
    run_uv(project, found, "lock", *(["--upgrade"] if upgrade else []))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch", "main")
    monkeypatch.chdir(root)
    return root


def test_a_boto3_bump_in_a_uv_lock_is_read_at_both_commits(
    packages: PackageIndex, project: Path, tmp_path: Path
) -> None:
    found = add_wheels(tmp_path / "wheels", "1.17.40", "1.20.40")
    uv_lock(project, found, "boto3>=1.17")
    commit(project, {}, "Lock boto3")
    # A day later both have a new release, and a bot upgrades the lock file.
    add_wheels(found, "1.17.41", "1.20.41")
    uv_lock(project, found, "boto3>=1.17", upgrade=True)
    commit(project, {}, "Bump boto3 from 1.17.40 to 1.17.41")

    old = open_source("lock:uv.lock@HEAD~1", packages)
    new = open_source("lock:uv.lock", packages)

    assert 'name = "botocore"\nversion = "1.20.41"' in (project / "uv.lock").read_text()
    assert (old.provenance.version, new.provenance.version) == ("1.20.40", "1.20.41")
    assert new.provenance.label == "lock:uv.lock (botocore 1.20.41)"
    with pytest.raises(SourceError, match=r"boto3>=1\.17 is a range, not an exact pin"):
        open_source("lock:pyproject.toml", packages)


def test_a_uv_lock_forked_by_python_version_is_refused(
    packages: PackageIndex, project: Path, tmp_path: Path
) -> None:
    found = add_wheels(tmp_path / "wheels", "1.17.40", "1.20.40")
    uv_lock(
        project,
        add_wheels(found, "1.17.41", "1.20.41"),
        'botocore==1.20.40; python_version < "3.12"',
        'botocore==1.20.41; python_version >= "3.12"',
    )

    with pytest.raises(SourceError) as raised:
        open_source("lock:uv.lock", packages)

    assert str(raised.value) == (
        "uv.lock: botocore is pinned to 2 versions: 1.20.40, 1.20.41;"
        " a lock: source needs exactly one"
    )


def test_uvs_exports_as_requirements_and_pylock_name_the_same_release(
    packages: PackageIndex, project: Path, tmp_path: Path
) -> None:
    found = add_wheels(tmp_path / "wheels", "1.17.41", "1.20.41")
    uv_lock(project, found, "boto3==1.17.41")
    for export_format, name in (
        ("requirements-txt", "requirements.txt"),
        ("pylock.toml", "pylock.toml"),
    ):
        run_uv(project, found, "export", "--format", export_format, "--output-file", name)

    for name in ("uv.lock", "requirements.txt", "pylock.toml"):
        assert open_source(f"lock:{name}", packages).provenance.version == "1.20.41", name
