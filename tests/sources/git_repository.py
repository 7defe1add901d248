"""Temporary git repositories for the tests of lock: sources: commits made with a fixed
author, so they need no git configuration on the machine."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(repository: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repository: Path, files: dict[str, str], message: str) -> None:
    """Write `files` (by path in the repository) and commit everything changed."""
    for name, text in files.items():
        path = repository / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "--message", message)
