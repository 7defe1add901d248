"""Building a site beside the live one and swapping it in at once.

A build writes into a staging folder next to the output folder. A page whose bytes are the
same as the live site's is hard-linked from it instead of written, so an unchanged page keeps
its file (and its modification time); parts not rebuilt at all (the pages of releases that
did not change) are linked over whole. Only when everything is written is the staging
folder exchanged with the live one, in one rename where the system allows it: a build that
fails or is killed leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from apidiff.site.errors import SiteError

# Every site holds this file; a folder without it is never replaced.
MARKER = "reports/catalog.json"
_STAGING_PREFIX = ".apidiff-site-"
_RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths atomically (Linux 3.15+).
_AT_FDCWD = -100


class StagedSite:
    """The folder a build writes into, and the live site it replaces."""

    def __init__(self, live: Path, root: Path) -> None:
        self.live = live
        self.root = root
        self.written = 0
        self.kept = 0

    def write(self, relative: str, data: bytes) -> None:
        """Put a file into the staged site: linked from the live site where it is the same."""
        target = self.root / relative
        if target.exists():
            if target.read_bytes() == data:
                return
            target.unlink()  # linked from the live site: never write through the link
        target.parent.mkdir(parents=True, exist_ok=True)
        current = self.live / relative
        if (
            current.is_file()
            and current.stat().st_size == len(data)
            and current.read_bytes() == data
        ):
            _link_or_copy(current, target)
            self.kept += 1
            return
        target.write_bytes(data)
        self.written += 1

    def write_stream(self, relative: str, chunks: Iterable[bytes]) -> None:
        """Put a large file into the staged site a piece at a time (it is never whole in
        memory): linked from the live site where it is the same."""
        target = self.root / relative
        target.unlink(missing_ok=True)  # linked from the live site: never write through the link
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as output:
            for chunk in chunks:
                digest.update(chunk)
                output.write(chunk)
        current = self.live / relative
        if (
            current.is_file()
            and current.stat().st_size == target.stat().st_size
            and _file_digest(current) == digest.hexdigest()
        ):
            target.unlink()
            _link_or_copy(current, target)
            self.kept += 1
            return
        self.written += 1

    def keep(self, relative: str, only: Callable[[str], bool] | None = None) -> None:
        """Carry a file or folder of the live site over as it is (of a folder, the files whose
        path inside it `only` accepts)."""
        source = self.live / relative
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and (only is None or only(str(path.relative_to(source)))):
                    self.keep(str(path.relative_to(self.live)))
        elif source.is_file():
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                _link_or_copy(source, target)

    def live_file(self, relative: str) -> Path:
        return self.live / relative


@contextlib.contextmanager
def staged_site(live: Path) -> Iterator[StagedSite]:
    """A staging folder for `live`, swapped in when the block ends without an error."""
    live = live.resolve()
    _check_replaceable(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(live)
    root = Path(tempfile.mkdtemp(dir=live.parent, prefix=f"{_STAGING_PREFIX}{live.name}-"))
    try:
        yield StagedSite(live, root)
        root.chmod(0o755)  # mkdtemp makes it private; a site is for reading
        _swap_in(root, live)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _check_replaceable(live: Path) -> None:
    if not live.exists():
        return
    if not live.is_dir():
        raise SiteError(str(live), "exists and is not a folder")
    if any(live.iterdir()) and not (live / MARKER).is_file():
        raise SiteError(
            str(live), f"is not empty and holds no apidiff site ({MARKER}): it is left alone"
        )


def _remove_stale_staging(live: Path) -> None:
    """Staging folders of builds that were killed before they could clean up."""
    for stale in live.parent.glob(f"{_STAGING_PREFIX}{live.name}-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def _swap_in(staged: Path, live: Path) -> None:
    """Make `staged` the live site; the previous one ends at `staged` (removed after)."""
    if not live.exists():
        staged.rename(live)
        return
    if _exchange(staged, live):
        return
    # No atomic exchange here: two renames, with the old site put aside for a moment.
    aside = staged.with_name(staged.name + "-previous")
    live.rename(aside)
    staged.rename(live)
    aside.rename(staged)


def _exchange(first: Path, second: Path) -> bool:
    library = ctypes.util.find_library("c")
    if library is None:
        return False
    libc = ctypes.CDLL(library, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def _file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
