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


def test_a_lock_file_new_since_the_base_has_no_upgrade_to_check(upstream: Project) -> None:
    # A pull request that adds its first lock file: nothing was locked before it.
    upstream.write("pylock.toml", PYLOCK.format(botocore="1.20.74"))
    status, out, err = upgrade(upstream, "pylock.toml")
    assert (status, err) == (0, "")
    assert out == (
        "apidiff upgrade: pylock.toml: new since HEAD (botocore 1.20.74): no upgrade to check\n"
    )


def test_a_file_included_by_a_lock_file_but_missing_at_the_base_is_an_error(
    upstream: Project,
) -> None:
    # The lock file was at the base; what it now includes was not: the base's file is
    # what lacks it, and that is an error, not a new lock file.
    upstream.write("requirements.txt", "-r pins.txt\n")
    upstream.write("pins.txt", requirements("1.20.74"))
    upstream.commit("include pins", "requirements.txt", "pins.txt")
    upstream.git("rm", "--quiet", "--cached", "pins.txt")
    upstream.commit("untrack pins")
    status, out, err = upgrade(upstream, "requirements.txt")
    assert (status, out) == (3, "")
    assert err.startswith("apidiff: error: pins.txt@HEAD: no such file at HEAD")


PYLOCK = """\
lock-version = "1.0"
created-by = "hand"

[[packages]]
name = "botocore"
version = "{botocore}"
"""
