"""Building a site beside the live one and swapping it in at once.

A build writes into a staging folder next to the output folder (`.apidiff-site-NAME` beside
`NAME`). A page whose bytes are the same as the live site's is hard-linked from it instead of
written, so an unchanged page keeps its file (and its modification time); parts not rebuilt at
all (the pages of releases that did not change) are linked over whole. Only when everything is
in place is the staging folder exchanged with the live one, in one rename where the system
allows it: a build that fails or is killed leaves the previous site as it was.

The previous site is not removed after the swap: stripped of the files the new site does not
share, it stays where it is as the next build's staging folder. Its folders, and its links to
the pages that did not change, are then in place already, so a build touches the disk only
where the site changes. Removing a site's thousands of folders and making them again on every
build cost seconds: on a file system that discards freed blocks at once (`discard`), freeing a
folder's block takes milliseconds. A lock beside the site (`.apidiff-site-NAME.lock`) keeps two
builds of one site from sharing its staging folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from apidiff.site.errors import SiteError

# Every site holds this file; a folder without it is never replaced.
MARKER = "reports/catalog.json"
_STAGING_PREFIX = ".apidiff-site-"
_RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths atomically (Linux 3.15+).
_AT_FDCWD = -100


class StagedSite:
    """The folder a build writes into, and the live site it replaces.

    The folder may hold files already (the site before the live one, or what a killed build
    left): a file is trusted only where it is the live site's own file (the same inode),
    every other one is written again, and what the build does not put in is pruned.
    """

    def __init__(self, live: Path, root: Path) -> None:
        self.live = live
        self.root = root
        self.written = 0
        self.kept = 0
        self._staged, self._folders = _staged_tree(root)
        self._claimed: set[str] = set()

    def write(self, relative: str, data: bytes) -> None:
        """Put a file into the staged site: linked from the live site where it is the same."""
        first = relative not in self._claimed
        self._claimed.add(relative)
        current = self.live / relative
        live = _regular_file(current)
        if live is not None and live.st_size == len(data) and current.read_bytes() == data:
            self._link(relative, live)
            self.kept += first
            return
        staged = self._staged.get(relative)
        target = self.root / relative
        if (
            staged is not None
            and (live is None or not os.path.samestat(staged, live))
            and staged.st_size == len(data)
            and target.read_bytes() == data
        ):
            self.written += first  # already in place: written earlier, by this build or one killed
            return
        self._clear(relative)
        target.write_bytes(data)
        self._staged[relative] = target.stat()
        self.written += first

    def write_stream(self, relative: str, chunks: Iterable[bytes]) -> None:
        """Put a large file into the staged site a piece at a time (it is never whole in
        memory): linked from the live site where it is the same."""
        self.settle(relative, write_chunks(self.reserve(relative), chunks))

    def reserve(self, relative: str) -> Path:
        """The path a file of the site is to be written at (by `write_chunks`, maybe in
        another process); `settle` then takes it into the site."""
        self._claimed.add(relative)
        return self._clear(relative)  # maybe linked from the live site: never write through

    def settle(self, relative: str, digest: str) -> None:
        """Take a file written at its reserved path (its content's digest is `digest`) into
        the staged site: linked from the live site where it is the same."""
        target = self.root / relative
        written = target.stat()
        current = self.live / relative
        live = _regular_file(current)
        if live is not None and live.st_size == written.st_size and _file_digest(current) == digest:
            target.unlink()
            self._link(relative, live)
            self.kept += 1
            return
        self._staged[relative] = written
        self.written += 1

    def keep(self, relative: str, only: Callable[[str], bool] | None = None) -> None:
        """Carry a file or folder of the live site over as it is (of a folder, the files whose
        path inside it `only` accepts), but for files this build put in already."""
        source = self.live / relative
        if source.is_dir():
            for inside, found in _files_of(source):
                if only is None or only(inside):
                    self._carry(f"{relative}/{inside}", found)
        elif (alone := _regular_file(source)) is not None:
            self._carry(relative, alone)

    def live_file(self, relative: str) -> Path:
        return self.live / relative

    def prune(self, relative: str = "") -> None:
        """Remove what the staging folder held before this build and the build did not put
        in, in a folder (or all of it): a page gone from the site, a killed build's file."""
        inside = f"{relative}/" if relative else ""
        for path in [path for path in self._staged if path.startswith(inside)]:
            if path not in self._claimed:
                (self.root / path).unlink(missing_ok=True)
                del self._staged[path]
        needed = {parent for path in self._claimed for parent in _parents(path)}
        for folder in sorted(self._folders, key=lambda name: -name.count("/")):
            if (folder + "/").startswith(inside) and folder not in needed:
                with contextlib.suppress(OSError):  # not empty: a file the build put in
                    (self.root / folder).rmdir()
                    self._folders.discard(folder)

    def _carry(self, relative: str, live: os.stat_result) -> None:
        if relative in self._claimed:
            return
        self._claimed.add(relative)
        self._link(relative, live)

    def _link(self, relative: str, live: os.stat_result) -> None:
        """Make the staged file the live site's file, unless it is already."""
        staged = self._staged.get(relative)
        if staged is not None and os.path.samestat(staged, live):
            return
        target = self._clear(relative)
        source = self.live / relative
        try:
            os.link(source, target)
            self._staged[relative] = live
        except FileExistsError:
            raise
        except OSError:  # no hard links here (another file system, a limit on links)
            shutil.copy2(source, target)
            self._staged[relative] = target.stat()

    def _clear(self, relative: str) -> Path:
        """Make way for a new file at `relative`: the staged one is removed (a link into the
        live site is never written through) and the folders above it exist."""
        target = self.root / relative
        if self._staged.pop(relative, None) is not None:
            target.unlink(missing_ok=True)
        for folder in _parents(relative):
            if folder not in self._folders:
                path = self.root / folder
                if folder in self._staged:  # a file of another layout where a folder goes
                    path.unlink()
                    del self._staged[folder]
                path.mkdir(parents=True, exist_ok=True)
                self._folders.add(folder)
        if relative in self._folders:  # a folder of another layout where a file goes
            shutil.rmtree(target)
            self._forget(relative)
        return target

    def _forget(self, folder: str) -> None:
        inside = folder + "/"
        self._folders = {name for name in self._folders if not name.startswith(inside)}
        self._folders.discard(folder)
        for path in [path for path in self._staged if path.startswith(inside)]:
            del self._staged[path]


def _parents(relative: str) -> Iterator[str]:
    """The folders above a file, from the top: "a", "a/b" for "a/b/c"."""
    parts = relative.split("/")[:-1]
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])


def _staged_tree(root: Path) -> tuple[dict[str, os.stat_result], set[str]]:
    """The files of a staging folder by path (with what stat says of them) and its folders.
    Anything else (a symbolic link, a device) is removed, so that nothing is written through it."""
    files: dict[str, os.stat_result] = {}
    folders: set[str] = set()
    if root.is_symlink() or not root.is_dir():
        return files, folders
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(root / folder) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(relative)
                    pending.append(relative)
                elif entry.is_file(follow_symlinks=False):
                    files[relative] = entry.stat(follow_symlinks=False)
                else:
                    Path(entry.path).unlink()
    return files, folders


def _files_of(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """The regular files in a folder and below, by path inside it, in order."""
    pending = [""]
    while pending:
        inside = pending.pop()
        with os.scandir(folder / inside) as scanned:
            entries = sorted(scanned, key=lambda entry: entry.name)
        for entry in entries:
            relative = f"{inside}/{entry.name}" if inside else entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append(relative)
            elif entry.is_file(follow_symlinks=False):
                yield relative, entry.stat(follow_symlinks=False)


def _regular_file(path: Path) -> os.stat_result | None:
    try:
        found = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return found if _is_regular(found) else None


def _is_regular(found: os.stat_result) -> bool:
    return (found.st_mode & 0o170000) == 0o100000  # S_IFREG


@contextlib.contextmanager
def staged_site(live: Path) -> Iterator[StagedSite]:
    """The staging folder of `live`, swapped in when the block ends without an error."""
    live = live.resolve()
    _check_replaceable(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    root = live.with_name(f"{_STAGING_PREFIX}{live.name}")
    lock = FileLock(root.with_name(root.name + ".lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise SiteError(str(live), "another build of this site is running") from None
    try:
        fresh = _prepare(root)
        try:
            site = StagedSite(live, root)
            yield site
            site.prune()
            root.chmod(0o755)  # a site is for reading
            _swap_in(root, live)
        except BaseException:
            if fresh:  # nothing of a previous site to keep for the next build
                shutil.rmtree(root, ignore_errors=True)
            raise
        _strip(root)
    finally:
        lock.release()


def _prepare(root: Path) -> bool:
    """A staging folder at `root`: the one there (True where it is made new)."""
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        root.unlink()
    if root.is_dir():
        return False
    root.mkdir()
    return True


def _strip(previous: Path) -> None:
    """Of the site swapped out, remove the files the live site does not share: what stays
    (its folders, links to the live pages) is the next build's staging folder."""
    if not previous.is_dir():
        return  # there was no site before: the staging folder became it
    for inside, found in _files_of(previous):
        if found.st_nlink < 2:
            # The new site is in place: a file left here costs space, never the build.
            with contextlib.suppress(OSError):
                (previous / inside).unlink()


def _check_replaceable(live: Path) -> None:
    if not live.exists():
        return
    if not live.is_dir():
        raise SiteError(str(live), "exists and is not a folder")
    if any(live.iterdir()) and not (live / MARKER).is_file():
        raise SiteError(
            str(live), f"is not empty and holds no apidiff site ({MARKER}): it is left alone"
        )


def _swap_in(staged: Path, live: Path) -> None:
    """Make `staged` the live site; the previous one ends at `staged`."""
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


def write_chunks(target: Path, chunks: Iterable[bytes]) -> str:
    """Write a file a piece at a time (it is never whole in memory); its content's digest."""
    digest = hashlib.sha256()
    with target.open("wb") as output:
        for chunk in chunks:
            digest.update(chunk)
            output.write(chunk)
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
