"""A project in a git repository whose branch bumps botocore, as a bot's pull request does,
and a package index on loopback serving the releases it names (wheels built from the
bundled models of 1.20.73 and 1.20.74)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sources.local_index import LocalIndex, Release, boto3_wheel, botocore_wheel, serve

# 1.20.73 -> 1.20.74 removes iotdeviceadvisor's ListTestCases and the member
# SuiteRunConfiguration.secondaryDevice (breaking); nothing in it is risky for the sdk.
RELEASES = (
    Release("botocore", "1.20.73", botocore_wheel("1.20.73"), "2021-05-14T18:20:00Z"),
    Release("botocore", "1.20.74", botocore_wheel("1.20.74"), "2021-05-17T18:20:00Z"),
    Release(
        "boto3",
        "1.17.73",
        boto3_wheel("1.17.73", "botocore (<1.21.0,>=1.20.73)"),
        "2021-05-14T19:00:00Z",
    ),
    Release(
        "boto3",
        "1.17.74",
        boto3_wheel("1.17.74", "botocore (<1.21.0,>=1.20.74)"),
        "2021-05-17T19:00:00Z",
    ),
)
# Code calling what 1.20.74 removes from iotdeviceadvisor, and detective, which it keeps.
DEVICES = """\
import boto3

advisor = boto3.client("iotdeviceadvisor")


def cases():
    return advisor.list_test_cases()


def run(suite, device):
    return advisor.start_suite_run(
        suiteDefinitionId=suite,
        suiteRunConfiguration={"primaryDevice": device, "secondaryDevice": device},
    )


def suites():
    return advisor.list_suite_definitions()
"""
# Code calling only a service the upgrade leaves as it is.
EVENTS_ONLY = """\
import boto3


def buses():
    return boto3.client("events").list_event_buses()
"""
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bump Bot",
    "GIT_AUTHOR_EMAIL": "bot@example.com",
    "GIT_COMMITTER_NAME": "Bump Bot",
    "GIT_COMMITTER_EMAIL": "bot@example.com",
}


def requirements(botocore: str, *others: str) -> str:
    return "\n".join([f"boto3==1.17.{botocore.split('.')[-1]}", f"botocore=={botocore}", *others])


def uv_lock(botocore: str) -> str:
    """A uv.lock as uv writes it (lock version 1): a [[package]] table per package."""
    boto3 = f"1.17.{botocore.split('.')[-1]}"
    return f"""\
version = 1
requires-python = ">=3.11"

[[package]]
name = "boto3"
version = "{boto3}"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [
    {{ name = "botocore" }},
]

[[package]]
name = "botocore"
version = "{botocore}"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "project"
version = "0.1.0"
source = {{ virtual = "." }}
dependencies = [
    {{ name = "boto3" }},
]
"""


@dataclass
class Project:
    """A git working tree, and the environment its commands (git, apidiff) run in."""

    root: Path
    environment: dict[str, str]

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd or self.root,
            env=self.environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str, *names: str) -> None:
        self.git("add", *names)
        self.git("commit", "--quiet", "-m", message)


@pytest.fixture(scope="session")
def index() -> Iterator[LocalIndex]:
    local = LocalIndex()
    for release in RELEASES:
        local.add(release)
    with serve(local) as served:
        yield served


@pytest.fixture
def environment(index: LocalIndex, tmp_path: Path) -> dict[str, str]:
    """What the job's commands see: the tests' Python (and its `apidiff`) first on PATH,
    the local index, a cache of their own, no user's git configuration."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        **GIT_IDENTITY,
        "APIDIFF_PYPI_URL": index.url,
        "APIDIFF_CACHE_DIR": str(tmp_path / "cache"),
        "APIDIFF_JOBS": "1",
    }


def write_project(project: Project, botocore: str, folder: str = "") -> None:
    """A project's lock files at `botocore`, and its code, in `folder` of the repository."""
    project.write(f"{folder}requirements.txt", requirements(botocore))
    project.write(f"{folder}uv.lock", uv_lock(botocore))
    project.write(f"{folder}app/devices.py", DEVICES)
    project.write(f"{folder}app/events.py", EVENTS_ONLY)


def clone(upstream: Project, *, branch: str = "main", shallow: bool = False) -> Project:
    """A clone of `upstream`'s `branch`, as a job's checkout: with `shallow`, as
    actions/checkout makes it by default, that one commit of that one branch."""
    project = Project(upstream.root.parent / "workspace", upstream.environment)
    options = ["--depth=1", "--single-branch", "--no-tags"] if shallow else []
    source = upstream.root.as_uri() if shallow else str(upstream.root)
    upstream.git("clone", "--quiet", *options, "--branch", branch, source, str(project.root))
    return project


@pytest.fixture
def upstream(tmp_path: Path, environment: dict[str, str]) -> Project:
    """The repository as its main branch holds it: botocore 1.20.73, and code calling it."""
    project = Project(tmp_path / "upstream", environment)
    project.root.mkdir()
    project.git("init", "--quiet", "--initial-branch=main")
    write_project(project, "1.20.73")
    project.commit("First", ".")
    return project


@pytest.fixture
def checkout(upstream: Project) -> Project:
    """A clone of `upstream` on a branch of its own, as a pull request's job checks it out:
    origin/main is the pull request's base."""
    project = clone(upstream)
    project.git("checkout", "--quiet", "-b", "bump")
    return project
