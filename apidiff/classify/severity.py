"""How bad a change is, and for whom."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """Ordered from harmless to harmful; compare with `rank`."""

    INFO = "info"
    SAFE = "safe"
    RISKY = "risky"
    BREAKING = "breaking"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @classmethod
    def from_letter(cls, letter: str) -> Severity:
        return _LETTERS[letter]


_RANKS = {severity: rank for rank, severity in enumerate(Severity)}
_LETTERS = {severity.value[0].upper(): severity for severity in Severity}


class Perspective(StrEnum):
    """Whose code a change may break.

    sdk: Python code calling boto3/botocore at runtime.
    stubber: unit tests using botocore.stub.Stubber, which also validates stubbed responses.
    wire: a peer speaking the protocol with the other model version (emulators, recorded
    fixtures, proxies, other SDKs, pinned installs).
    """

    SDK = "sdk"
    STUBBER = "stubber"
    WIRE = "wire"


def most_severe(severities: list[Severity]) -> Severity:
    return max(severities, key=lambda severity: severity.rank, default=Severity.INFO)
