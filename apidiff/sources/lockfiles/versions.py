"""What a lock or requirements file says of botocore and boto3: one record per mention."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from apidiff.errors import SourceError
from apidiff.sources.pypi import RELEASE_PACKAGES, ReleaseRequirement

if TYPE_CHECKING:
    from packaging.requirements import Requirement


@dataclass(frozen=True, slots=True)
class StatedVersion:
    """One mention of botocore or boto3 in a file (at `line` of a requirements file): an
    exact version (`version`), or a range (`version` None) as `stated` shows it: `>=1.35`,
    ` (any version)`."""

    package: str
    stated: str
    version: str | None
    file: str
    line: int | None = None

    @property
    def described(self) -> str:
        return f"{self.package}{self.stated}"

    @property
    def place(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file


def release_package(name: str) -> str | None:
    """`botocore` or `boto3` where `name` is one of them as packaging normalises names
    (`Botocore`, `boto_3` is not one); None for any other package."""
    from packaging.utils import canonicalize_name

    package = canonicalize_name(name)
    return package if package in RELEASE_PACKAGES else None


def stated_by_requirement(text: str, file: str, line: int | None = None) -> StatedVersion | None:
    """The mention a PEP 508 requirement string makes; None where it names another package.

    A requirement of another package that does not parse is left alone (installers read
    paths and URLs there); one that reads as botocore or boto3 must parse.
    """
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        if release_package(_leading_name(text)) is None:
            return None
        raise SourceError(file, f"{_at(line)}not a requirement: {text!r} ({error})") from None
    return stated_by(requirement, file, line)


def stated_by(requirement: Requirement, file: str, line: int | None = None) -> StatedVersion | None:
    package = release_package(requirement.name)
    if package is None:
        return None
    if requirement.url is not None:
        raise SourceError(
            file, f"{_at(line)}{package} comes from {requirement.url}, not from a package index"
        )
    return stated_by_specifier(package, str(requirement.specifier), file, line)


def stated_by_specifier(
    package: str, specifier: str, file: str, line: int | None = None
) -> StatedVersion:
    """The mention `package` with a PEP 440 specifier (`==1.35.10`, `>=1.35,<2`, ``)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(specifier)
    except InvalidSpecifier:
        raise SourceError(
            file, f"{_at(line)}not a version specifier for {package}: {specifier!r}"
        ) from None
    pinned = ReleaseRequirement(package, specifiers).pinned
    return StatedVersion(package, str(specifiers) or " (any version)", pinned, file, line)


def exact(package: str, version: object, file: str) -> StatedVersion:
    """The mention of a version a lock file resolved (always exact), checked to be one and
    written as packaging normalises it."""
    from packaging.version import InvalidVersion, Version

    if version is None:
        raise SourceError(file, f"its entry for {package} has no version")
    try:
        normal = str(Version(str(version)))
    except InvalidVersion:
        raise SourceError(
            file, f"{package}'s locked version is not a version: {version!r}"
        ) from None
    return StatedVersion(package, f"=={normal}", normal, file)


def _leading_name(text: str) -> str:
    """The package name a requirement string begins with (letters, digits, `-_.`)."""
    stripped = text.lstrip()
    end = 0
    while end < len(stripped) and (stripped[end].isalnum() or stripped[end] in "-_."):
        end += 1
    return stripped[:end]


def _at(line: int | None) -> str:
    return f"line {line}: " if line else ""
