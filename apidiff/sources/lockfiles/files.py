"""Reading a project's files as they are now, or as they were at a git ref.

A file at a ref is read with `git cat-file blob REF:PATH` (the bytes `git show REF:PATH`
prints for a file, and an error for a folder) in the file's own repository: no checkout, no
fetch, nothing written. Paths are the user's (relative to the current folder or
absolute); each is mapped to its place in the repository where it is read, so a file that
includes another (`-r ../base.txt`) reads it at the same ref.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from apidiff.errors import SourceError


class NotAtRefError(SourceError):
    """A file the git ref does not hold: one added since, for a lock file an upgrade's
    base may well lack."""


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """Where a lock file and the files it includes are read from: the working tree, or
    (with `ref`) a git commit."""

    ref: str | None = None

    def name(self, path: Path) -> str:
        """The file as errors and reports name it: `uv.lock`, `requirements.txt@HEAD~1`."""
        shown = path.as_posix()
        return f"{shown}@{self.ref}" if self.ref else shown

    def read(self, path: Path) -> str:
        """The text of `path`; SourceError naming it where it cannot be read."""
        data = self._read_git(path, self.ref) if self.ref else self._read_tree(path)
        try:
            # utf-8-sig: an editor's byte-order mark is not part of the first line.
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SourceError(self.name(path), f"not UTF-8 text ({error.reason})") from None

    def _read_tree(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise SourceError(self.name(path), "no such file") from None
        except IsADirectoryError:
            raise SourceError(
                self.name(path), "a folder, not a lock or requirements file"
            ) from None
        except OSError as error:
            raise SourceError(self.name(path), error.strerror or "cannot be read") from None

    def _read_git(self, path: Path, ref: str) -> bytes:
        where = self.name(path)
        folder, below = _nearest_folder(path)
        prefix = _git(folder, where, "rev-parse", "--show-prefix")
        if prefix is None:
            raise SourceError(where, f"not in a git repository, so it has no version at {ref}")
        if _git(folder, where, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
            raise SourceError(where, f"no such git ref or commit: {ref}")
        in_repository = prefix.decode().rstrip("\n") + "/".join(below)
        content = _git(folder, where, "cat-file", "blob", f"{ref}:{in_repository}")
        if content is None:
            raise NotAtRefError(where, f"no such file at {ref} (git path {in_repository})")
        return content


def _nearest_folder(path: Path) -> tuple[Path, list[str]]:
    """The closest existing folder above `path` and the names below it down to the file:
    a file (or its folder) deleted since the ref is still read at the ref."""
    normal = Path(os.path.normpath(path.absolute()))
    below = [normal.name]
    folder = normal.parent
    while not folder.is_dir() and folder != folder.parent:
        below.insert(0, folder.name)
        folder = folder.parent
    return folder, below


# Set by git for the hooks it runs (a pre-commit hook among them): they would point git at
# that repository whatever folder it runs in, not at the one the file is in.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


def _git_environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    # Read from the repository as it is: git must neither ask for anything nor take a lock.
    return {**environment, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def _git(folder: Path, where: str, *args: str) -> bytes | None:
    """git's standard output, or None where it exits with a failure."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
            env=_git_environment(),
        )
    except FileNotFoundError:
        raise SourceError(
            where, "reading a file at a git ref needs git, which is not on PATH"
        ) from None
    except OSError as error:
        raise SourceError(where, f"git cannot be run: {error.strerror}") from None
    return done.stdout if done.returncode == 0 else None
