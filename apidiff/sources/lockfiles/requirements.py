"""requirements.txt, as pip reads it: one requirement a line, `\\` continuing a line, `#`
starting a comment (at the start or after a space), options after the requirement
(`--hash=...`), and option lines, of which `-r FILE` includes another requirements file and
`-c FILE` a constraints file, both relative to the file that names them. A constraint pins a
version as a requirement does, so both are read."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

from apidiff.errors import SourceError
from apidiff.sources.lockfiles.files import ProjectFiles
from apidiff.sources.lockfiles.versions import StatedVersion, stated_by_requirement

_INCLUDING_OPTIONS = (("-r", "--requirement"), ("-c", "--constraint"))


def stated_in_requirements(path: Path, files: ProjectFiles) -> tuple[StatedVersion, ...]:
    return tuple(_stated_in(path, files, set()))


def _stated_in(path: Path, files: ProjectFiles, seen: set[str]) -> Iterator[StatedVersion]:
    # A file included twice (or including itself, round a cycle) is read once.
    key = os.path.normpath(path)
    if key in seen:
        return
    seen.add(key)
    name = files.name(path)
    for number, line in logical_lines(files.read(path)):
        requirement, options = _split_options(line)
        if requirement:
            stated = stated_by_requirement(requirement, name, number)
            if stated is not None:
                yield stated
        for included in _included(options, name, number):
            if "://" in included:
                raise SourceError(name, f"line {number}: {included} is a URL; only files are read")
            try:
                yield from _stated_in(Path(os.path.normpath(path.parent / included)), files, seen)
            except SourceError as error:
                if error.where == name:
                    raise
                raise SourceError(
                    error.where, f"{error.reason} (included by {name}, line {number})"
                ) from None


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line with its continuations joined and its comment removed, numbered by the
    line it starts on; blank ones left out."""
    joined: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not joined:
            start = number
        # A comment line ends a continued line rather than continuing it, as pip reads it.
        if line.endswith("\\") and not _is_comment_line(line):
            joined.append(line[:-1])
            continue
        joined.append(line)
        logical = _without_comment(" ".join(joined)).strip()
        joined = []
        if logical:
            yield start, logical
    if joined:
        logical = _without_comment(" ".join(joined)).strip()
        if logical:
            yield start, logical


def _is_comment_line(line: str) -> bool:
    return line.lstrip().startswith("#")


def _without_comment(line: str) -> str:
    for position, character in enumerate(line):
        if character == "#" and (position == 0 or line[position - 1].isspace()):
            return line[:position]
    return line


def _split_options(line: str) -> tuple[str, str]:
    """The requirement a line states (maybe none) and the options after it, split at the
    first word that begins with `-`, as pip splits them."""
    words = line.split()
    for position, word in enumerate(words):
        if word.startswith("-"):
            return " ".join(words[:position]), " ".join(words[position:])
    return " ".join(words), ""


def _included(options: str, name: str, number: int) -> Iterator[str]:
    """The files `-r`/`--requirement` and `-c`/`--constraint` options name."""
    if not options:
        return
    try:
        words = shlex.split(options)
    except ValueError as error:
        raise SourceError(name, f"line {number}: options that do not parse ({error})") from None
    position = 0
    while position < len(words):
        word = words[position]
        for short, long in _INCLUDING_OPTIONS:
            if word in (short, long):
                if position + 1 == len(words):
                    raise SourceError(name, f"line {number}: {word} names no file")
                position += 1
                yield words[position]
            elif word.startswith(long + "="):
                yield word.removeprefix(long + "=")
            elif word.startswith(short) and len(word) > len(short):
                yield word.removeprefix(short)
        position += 1
