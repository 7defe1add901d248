"""`lock:PATH[@GITREF]`: the release a lock file resolves, opened from the package index, and
the same file read at a git ref of a temporary repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from apidiff.errors import SourceError
from apidiff.sources import PackageIndex, open_source
from apidiff.sources.lock import LockSource, LockSpec, parse_lock_spec
from tests.conftest import FIXTURES
from tests.sources.git_repository import commit, git
from tests.sources.local_index import LocalIndex

LOCKFILES = FIXTURES / "lockfiles"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose second commit bumps boto3 1.17.40 -> 1.17.41 in an included
    requirements file; the current folder."""
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch", "main")
    commit(
        root,
        {
            "requirements.txt": "-r requirements/base.txt\njmespath==1.0.1\n",
            "requirements/base.txt": "boto3==1.17.40\n",
        },
        "boto3 1.17.40",
    )
    commit(root, {"requirements/base.txt": "boto3==1.17.41\n"}, "Bump boto3 to 1.17.41")
    monkeypatch.chdir(root)
    return root


def test_a_uv_lock_names_its_botocore_release(packages: PackageIndex) -> None:
    source = open_source(f"lock:{LOCKFILES / 'uv' / 'uv.lock'}", packages)

    assert (source.provenance.package, source.provenance.version) == ("botocore", "1.35.72")
    assert source.provenance.location == "botocore-1.35.72-py3-none-any.whl"
    assert "invoicing" in source.services()


def test_a_lock_source_is_labelled_with_its_file_and_release(
    packages: PackageIndex, repository: Path
) -> None:
    source = open_source("lock:requirements.txt@HEAD~1", packages)

    assert source.provenance.label == "lock:requirements.txt@HEAD~1 (botocore 1.20.40)"
    assert source.provenance.spec == "lock:requirements.txt@HEAD~1"


def test_boto3s_pin_stands_for_the_botocore_it_was_built_for(
    packages: PackageIndex, repository: Path
) -> None:
    old = open_source("lock:requirements.txt@HEAD~1", packages)
    new = open_source("lock:requirements.txt", packages)

    assert (old.provenance.version, new.provenance.version) == ("1.20.40", "1.20.41")
    assert new.provenance.released == open_source("boto3==1.17.41", packages).provenance.released


def test_the_wheel_is_fetched_only_when_a_model_is_read(
    packages: PackageIndex, index: LocalIndex
) -> None:
    source = open_source(f"lock:{LOCKFILES / 'uv' / 'uv.lock'}", packages)
    wheel = index.file_path("botocore", "1.35.72")
    assert isinstance(source, LockSource)
    assert index.requests_for(wheel) == 0

    source.service_files("invoicing")
    source.services()

    assert index.requests_for(wheel) == 1


def test_a_ref_is_read_without_touching_the_working_tree(
    packages: PackageIndex, repository: Path
) -> None:
    (repository / "requirements" / "base.txt").write_text("boto3==1.35.72\n")

    at_head = open_source("lock:requirements.txt@HEAD", packages)
    now = open_source("lock:requirements.txt", packages)

    assert (at_head.provenance.version, now.provenance.version) == ("1.20.41", "1.35.72")
    assert git(repository, "status", "--porcelain") == " M requirements/base.txt\n"


def test_a_ref_is_read_from_a_subfolder_and_by_absolute_path(
    packages: PackageIndex, repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository / "requirements")

    below = open_source("lock:base.txt@HEAD~1", packages)
    absolute = open_source(f"lock:{repository / 'requirements.txt'}@HEAD~1", packages)

    assert below.provenance.version == absolute.provenance.version == "1.20.40"


def test_a_file_deleted_since_the_ref_is_still_read_at_it(
    packages: PackageIndex, repository: Path
) -> None:
    git(repository, "rm", "--quiet", "-r", "requirements")
    git(repository, "commit", "--quiet", "--message", "no more requirements folder")

    source = open_source("lock:requirements/base.txt@HEAD~1", packages)

    assert source.provenance.version == "1.20.41"


def test_the_ref_follows_the_first_at_sign_unless_the_whole_is_a_file(tmp_path: Path) -> None:
    odd = tmp_path / "lock@2024.txt"
    odd.write_text("botocore==1.35.72\n")

    assert parse_lock_spec("lock:uv.lock@origin/main") == LockSpec(Path("uv.lock"), "origin/main")
    assert parse_lock_spec("lock:uv.lock@HEAD@{1}") == LockSpec(Path("uv.lock"), "HEAD@{1}")
    assert parse_lock_spec(f"lock:{odd}") == LockSpec(odd, None)


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("lock:", "names no file"),
        ("lock:@HEAD", "names no file"),
        ("lock:uv.lock@", "names no git ref after @"),
        ("lock:uv.lock@--output=x", "not a git ref: '--output=x'"),
    ],
)
def test_a_spec_without_a_file_or_ref_is_refused(spec: str, reason: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse_lock_spec(spec)

    assert raised.value.where == spec
    assert raised.value.reason.startswith(reason)


def test_a_ref_that_does_not_exist_is_named(packages: PackageIndex, repository: Path) -> None:
    with pytest.raises(SourceError) as raised:
        open_source("lock:requirements.txt@v9.9", packages)

    assert str(raised.value) == "requirements.txt@v9.9: no such git ref or commit: v9.9"


def test_a_file_absent_at_the_ref_is_named(packages: PackageIndex, repository: Path) -> None:
    commit(repository, {"uv.lock": (LOCKFILES / "uv" / "uv.lock").read_text()}, "uv")

    with pytest.raises(SourceError) as raised:
        open_source("lock:uv.lock@HEAD~1", packages)

    assert str(raised.value) == "uv.lock@HEAD~1: no such file at HEAD~1 (git path uv.lock)"


def test_an_included_file_absent_at_the_ref_names_who_includes_it(
    packages: PackageIndex, repository: Path
) -> None:
    commit(repository, {"requirements.txt": "-r more.txt\n-r requirements/base.txt\n"}, "more")
    (repository / "more.txt").write_text("jmespath==1.0.1\n")

    with pytest.raises(SourceError) as raised:
        open_source("lock:requirements.txt@HEAD", packages)

    assert str(raised.value) == (
        "more.txt@HEAD: no such file at HEAD (git path more.txt)"
        " (included by requirements.txt@HEAD, line 1)"
    )


def test_a_ref_outside_any_repository_is_an_error(
    packages: PackageIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "requirements.txt").write_text("botocore==1.35.72\n")
    monkeypatch.chdir(alone)
    # Not the repository this test runs in, were tmp_path inside one.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))

    with pytest.raises(SourceError) as raised:
        open_source("lock:requirements.txt@HEAD", packages)

    assert str(raised.value) == (
        "requirements.txt@HEAD: not in a git repository, so it has no version at HEAD"
    )


def test_a_release_the_index_lacks_names_the_lock_file_and_version(
    packages: PackageIndex, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("botocore==1.99.0\n")

    with pytest.raises(SourceError) as raised:
        open_source(f"lock:{lock}", packages)

    assert raised.value.where == f"lock:{lock} (botocore 1.99.0)"
    assert raised.value.reason.startswith("no such release on http://127.0.0.1:")


def test_a_ref_is_read_in_the_files_repository_even_from_a_git_hook(
    packages: PackageIndex, repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "--quiet")
    # What git sets for the hooks it runs (pre-commit among them), here pointing elsewhere.
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))

    source = open_source("lock:requirements.txt@HEAD~1", packages)

    assert source.provenance.version == "1.20.40"


def test_a_folder_at_the_ref_is_no_file(packages: PackageIndex, repository: Path) -> None:
    with pytest.raises(SourceError) as raised:
        open_source("lock:requirements@HEAD", packages)

    assert str(raised.value) == ("requirements@HEAD: no such file at HEAD (git path requirements)")
