"""The pre-commit hook (.pre-commit-hooks.yaml): which files it runs on, and its entry run as
pre-commit runs it (the entry, the user's `args`, then the staged files that match) in a
repository where a lock file bumping botocore 1.20.73 -> 1.20.74 is staged; once from git's
own pre-commit hook, in the environment git gives its hooks."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.action.conftest import Project, requirements, uv_lock
from tests.action.runner import REPO

LOCK_FILES = [
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "pylock.toml",
    "pylock.dev.toml",
    "requirements.txt",
]


def hook() -> dict[str, Any]:
    (found,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(found, dict)
    return found


def run_entry(project: Project, *files: str, args: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """The hook's entry with the user's `args` and the file names, as pre-commit runs it
    from the repository's root."""
    done = subprocess.run(
        [*shlex.split(hook()["entry"]), *args, *files],
        cwd=project.root,
        env=project.environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def stage(project: Project, name: str, text: str) -> None:
    project.write(name, text)
    project.git("add", name)


def test_the_hook_is_a_python_hook_given_the_file_names() -> None:
    found = hook()
    assert found["id"] == "apidiff-upgrade"
    assert found["language"] == "python"
    assert found["pass_filenames"] is True
    assert found["require_serial"] is True
    assert shlex.split(found["entry"])[:2] == ["apidiff", "upgrade"]


@pytest.mark.parametrize("name", [*LOCK_FILES, *(f"services/api/{name}" for name in LOCK_FILES)])
def test_the_hook_runs_when_a_lock_file_changes(name: str) -> None:
    # pre-commit matches `files` with re.search against paths from the repository's root.
    assert re.search(hook()["files"], name)


@pytest.mark.parametrize(
    "name",
    [
        "README.md",
        "pyproject.toml",
        "uv.lock.orig",
        "requirements-dev.txt",
        "app/uv_lock.py",
        "pylock.toml.bak",
    ],
)
def test_the_hook_leaves_other_files_alone(name: str) -> None:
    assert not re.search(hook()["files"], name)


def test_a_staged_bump_that_breaks_fails(upstream: Project) -> None:
    stage(upstream, "requirements.txt", requirements("1.20.74"))
    status, out, err = run_entry(upstream, "requirements.txt")
    assert (status, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == ("apidiff upgrade: requirements.txt: botocore 1.20.73 (at HEAD) -> 1.20.74")
    assert lines[1] == "apidiff check: botocore 1.20.73 -> botocore 1.20.74"
    assert "BREAKING (2)" in lines


def test_the_users_args_come_before_the_files(upstream: Project) -> None:
    stage(upstream, "uv.lock", uv_lock("1.20.74"))
    # The code under app/events.py calls only events, which the upgrade leaves as it was.
    status, out, _err = run_entry(upstream, "uv.lock", args=("--usage", "app/events.py"))
    assert status == 0
    assert out.splitlines()[2].startswith("0 findings touch your calls (0 breaking, ")
    assert out.splitlines()[2].endswith("; passes")


def test_a_staged_lock_file_whose_botocore_did_not_change_passes(upstream: Project) -> None:
    stage(upstream, "requirements.txt", requirements("1.20.73", "requests==2.32.3"))
    assert run_entry(upstream, "requirements.txt") == (
        0,
        "apidiff upgrade: requirements.txt: botocore 1.20.73, as at HEAD: no upgrade to check\n",
        "",
    )


def test_git_refuses_the_commit_from_its_pre_commit_hook(upstream: Project) -> None:
    """The entry run by git itself (GIT_INDEX_FILE and the like set, as for any hook), for
    the staged files matching `files`, as pre-commit's own git hook selects them."""
    script = upstream.root / ".git" / "hooks" / "pre-commit"
    script.write_text(
        f"""#!{sys.executable}
import re, shlex, subprocess, sys
staged = subprocess.run(
    ["git", "diff", "--cached", "--name-only", "--diff-filter=ACMR"],
    capture_output=True, text=True, check=True,
).stdout.split()
chosen = [name for name in staged if re.search({hook()["files"]!r}, name)]
if chosen:
    sys.exit(subprocess.run([*shlex.split({hook()["entry"]!r}), *chosen]).returncode)
""",
        encoding="utf-8",
    )
    script.chmod(0o755)
    head = upstream.git("rev-parse", "HEAD")
    stage(upstream, "uv.lock", uv_lock("1.20.74"))
    stage(upstream, "app/new.py", "print('not a lock file')\n")
    refused = subprocess.run(
        ["git", "commit", "-m", "Bump botocore"],
        cwd=upstream.root,
        env=upstream.environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1
    assert "apidiff upgrade: uv.lock: botocore 1.20.73 (at HEAD) -> 1.20.74" in refused.stderr
    assert upstream.git("rev-parse", "HEAD") == head
    stage(upstream, "uv.lock", uv_lock("1.20.73"))
    upstream.git("commit", "--quiet", "-m", "Only the new file")
    assert upstream.git("rev-parse", "HEAD") != head
    assert Path(upstream.root / "app" / "new.py").is_file()
