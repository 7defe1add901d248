"""A pattern pair decided once is recalled from the cache by the next process, verdict for
verdict; a damaged or unwritable cache only costs deciding the pair again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apidiff.classify import patterns
from apidiff.classify.pattern_verdicts import PatternVerdicts
from apidiff.classify.patterns import PatternChange, PatternVerdict, compare_patterns, remembering
from apidiff.model.verdicts import FOLDER

# One pair of each outcome; the undecided one has a reason, the tightened one a witness.
PAIRS = [
    ("^[a-z]+$", "^[a-z]{1,10}$"),
    ("^[a-z]{1,10}$", "^[a-z]+$"),
    ("^[a-z]+$", "^([a-z]+)$"),
    (r"^\p{L}+$", "^[a-z]+$"),
]


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str | None, str | None]]]:
    """The pairs actually decided (not recalled), in order; each test starts from an empty
    in-memory cache, as a new process does."""
    calls: list[tuple[str | None, str | None]] = []
    real = patterns._compare

    def counting(old: str | None, new: str | None) -> PatternVerdict:
        calls.append((old, new))
        return real(old, new)

    monkeypatch.setattr(patterns, "_compare", counting)
    compare_patterns.cache_clear()
    yield calls
    compare_patterns.cache_clear()


def _in_a_new_process(verdicts: PatternVerdicts) -> list[PatternVerdict]:
    compare_patterns.cache_clear()
    with remembering(verdicts):
        return [compare_patterns(old, new) for old, new in PAIRS]


def test_a_pair_decided_once_is_recalled_the_same(
    tmp_path: Path, decided: list[tuple[str | None, str | None]]
) -> None:
    first = _in_a_new_process(PatternVerdicts(tmp_path))
    second = _in_a_new_process(PatternVerdicts(tmp_path))
    assert second == first
    assert [verdict.change for verdict in first] == [
        PatternChange.TIGHTENED,
        PatternChange.LOOSENED,
        PatternChange.EQUIVALENT,
        PatternChange.UNDECIDED,
    ]
    assert first[0].witness and first[3].reason
    assert decided == PAIRS  # each decided once, by the first "process"
    assert len([path for path in (tmp_path / FOLDER).rglob("*") if path.is_file()]) == 4


def test_nothing_is_remembered_outside_remembering(
    tmp_path: Path, decided: list[tuple[str | None, str | None]]
) -> None:
    with remembering(PatternVerdicts(tmp_path)):
        pass
    compare_patterns(*PAIRS[0])
    compare_patterns.cache_clear()
    compare_patterns(*PAIRS[0])
    assert decided == [PAIRS[0], PAIRS[0]]
    assert not (tmp_path / FOLDER).exists()


@pytest.mark.parametrize(
    "damage",
    [b"", b"{", b"[]", b'{"change": "harder"}', b'{"change": "tightened", "witness": 3}'],
)
def test_a_damaged_verdict_is_decided_again_and_replaced(
    tmp_path: Path, decided: list[tuple[str | None, str | None]], damage: bytes
) -> None:
    first = _in_a_new_process(PatternVerdicts(tmp_path))
    for path in (tmp_path / FOLDER).rglob("*"):
        if path.is_file():
            path.write_bytes(damage)
    assert _in_a_new_process(PatternVerdicts(tmp_path)) == first
    assert _in_a_new_process(PatternVerdicts(tmp_path)) == first
    assert decided == PAIRS + PAIRS


def test_an_unwritable_cache_only_costs_deciding_again(
    tmp_path: Path, decided: list[tuple[str | None, str | None]]
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    first = _in_a_new_process(PatternVerdicts(blocked))
    assert _in_a_new_process(PatternVerdicts(blocked)) == first
    assert decided == PAIRS + PAIRS
