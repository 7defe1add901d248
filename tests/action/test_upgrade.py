"""`apidiff upgrade` itself, as the action and the hook run it: which lock files it reads,
how it groups them into upgrades, and its one-line errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.action.conftest import Project, requirements, uv_lock


def upgrade(project: Project, *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        ["apidiff", "upgrade", *args],
        cwd=cwd or project.root,
        env=project.environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_each_distinct_upgrade_is_checked_in_the_order_of_its_first_file(
    upstream: Project,
) -> None:
    upstream.write("requirements.txt", requirements("1.20.74"))
    status, out, err = upgrade(upstream, "requirements.txt", "uv.lock", "--fail-on", "none")
    assert (status, err) == (0, "")
    said = [line for line in out.splitlines() if line.startswith("apidiff ")]
    assert said == [
        "apidiff upgrade: requirements.txt: botocore 1.20.73 (at HEAD) -> 1.20.74",
        "apidiff check: botocore 1.20.73 -> botocore 1.20.74",
        "apidiff upgrade: uv.lock: botocore 1.20.73, as at HEAD: no upgrade to check",
    ]


def test_a_boto3_pin_alone_stands_for_its_botocore(upstream: Project) -> None:
    upstream.write("requirements.txt", "boto3==1.17.74\n")
    status, out, _err = upgrade(upstream, "requirements.txt")
    assert status == 1
    assert out.splitlines()[0] == (
        "apidiff upgrade: requirements.txt: botocore 1.20.73 (at HEAD) -> 1.20.74"
    )


def test_with_no_lock_file_here_it_names_those_it_looks_for(
    upstream: Project, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    status, out, err = upgrade(upstream, cwd=empty)
    assert (status, out) == (2, "")
    assert err == (
        "apidiff: error: no LOCKFILE given, and none of uv.lock, poetry.lock, Pipfile.lock, "
        "pdm.lock, pylock.toml, requirements.txt in the current folder "
        "(see 'apidiff upgrade --help')\n"
    )


def test_a_lock_file_without_botocore_is_one_line_naming_it(upstream: Project) -> None:
    unpinned = uv_lock("1.20.73").replace('"botocore"', '"requests"').replace('"boto3"', '"rsa"')
    upstream.write("uv.lock", unpinned)
    status, out, err = upgrade(upstream, "uv.lock")
    assert (status, out) == (3, "")
    assert err.count("\n") == 1 and err.startswith("apidiff: error: uv.lock: ")
