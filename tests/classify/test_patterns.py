"""Pattern changes decided: tightened (with a witness `re` confirms), loosened, equivalent or
undecided, on patterns from real botocore releases and on generated strings."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.classify.patterns import (
    MAX_TRANSITIONS,
    PatternChange,
    compare_patterns,
    pattern_accepts,
)

TIGHTENED, LOOSENED = PatternChange.TIGHTENED, PatternChange.LOOSENED
EQUIVALENT, UNDECIDED = PatternChange.EQUIVALENT, PatternChange.UNDECIDED

# Pairs seen in botocore 1.43.86 -> 1.43.95 (service: shape), and how they changed.
REAL_CHANGES = [
    # bedrock-agentcore-control OptionalLogGroupName: `$` alone matches every string.
    (r"[.\-_/#A-Za-z0-9]+", r"$|^[.\-_/#A-Za-z0-9]+", LOOSENED),
    # bedrock-agentcore LogStreamName: a search for `[^:*]*` succeeds on every string.
    (None, r"[^:*]*", EQUIVALENT),
    # bedrock-agentcore LogGroupName: the empty string holds none of those characters.
    (None, r"[.\-_/#A-Za-z0-9]+", TIGHTENED),
    # resiliencehubv2 IamRoleName (1.43.92): searched, any alphanumeric character now passes.
    (
        r"[A-Za-z0-9][A-Za-z0-9_\-]{1,59}",
        r"([A-Za-z0-9_+=,.@\-]+/)*[A-Za-z0-9_+=,.@\-]+",
        LOOSENED,
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), REAL_CHANGES)
def test_real_pattern_changes_are_decided(old: str | None, new: str, expected: str) -> None:
    assert compare_patterns(old, new).change is expected


@pytest.mark.parametrize(
    ("old", "new", "witness"),
    [
        ("^[a-z]+$", "^[a-z]{1,10}$", "a" * 11),
        (r"^[^\x00-\x1F]*$", r"^[^\x00-\x1F\x7F]*$", "\x7f"),
        ("^(a|b)$", "^a$", "b"),
        (None, "^[0-9]+$", ""),
        # Unanchored: only strings with no digit at all are lost.
        ("[a-z]", "[0-9]", "a"),
    ],
)
def test_tightened_pattern_names_a_string_only_the_old_accepts(
    old: str | None, new: str, witness: str
) -> None:
    verdict = compare_patterns(old, new)
    assert verdict.change is TIGHTENED and verdict.witness == witness
    assert pattern_accepts(old, witness) and not pattern_accepts(new, witness)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("^[a-z]{1,10}$", "^[a-z]+$", LOOSENED),
        ("^arn:aws:[a-z]+$", "^arn:aws(-cn)?:[a-z]+$", LOOSENED),
        ("^[a-z]+$", "[a-z]+", LOOSENED),  # an anchor removed
        ("^[a-z]+$", None, LOOSENED),
        ("^[a-z]+$", "^([a-z]+)$", EQUIVALENT),  # parentheses added
        (r"^\d{12}$", "^[0-9]{12}$", EQUIVALENT),  # ASCII classes, as in Java
        ("(^a$)|(^b$)", "^(a|b)$", EQUIVALENT),  # anchors inside a spanning group
        (r"^\u0041+$", "^A+$", EQUIVALENT),
    ],
)
def test_loosened_and_equivalent_patterns(old: str, new: str | None, expected: str) -> None:
    assert compare_patterns(old, new).change is expected


@pytest.mark.parametrize(
    "new",
    [
        r"^\p{L}+$",  # Unicode properties: Python's re cannot read them
        r"^(a)\1$",  # a backreference: not a regular language
        r"^a(?=b)",  # a lookahead
        r"a^b",  # an anchor inside the pattern
        r"^[\u0020-\uD7FF]+$",  # a class too wide to list
        r"^.{1,5000}$",  # a repeat too large to expand
    ],
)
def test_patterns_beyond_exact_comparison_are_undecided(new: str) -> None:
    verdict = compare_patterns("^[a-z]+$", new)
    assert verdict.change is UNDECIDED and verdict.reason


def test_an_automaton_that_would_explode_is_undecided_at_the_budget() -> None:
    # Searched up to an anchored end, this repeat determinises into exponentially many states:
    # building stops at the budget of steps (what bounds its time), not at the last state.
    verdict = compare_patterns(r"[A-Za-z0-9][A-Za-z0-9_\-]{1,59}$", r"[A-Za-z0-9_+=,.@\-]+$")
    assert verdict.change is UNDECIDED
    assert verdict.reason == f"its automaton takes over {MAX_TRANSITIONS} steps to build"


def test_verdicts_are_cached_per_pair() -> None:
    assert compare_patterns("^x+$", "^x{1,2}$") is compare_patterns("^x+$", "^x{1,2}$")


PATTERNS = [
    None,
    "^[a-c]+$",
    "^[a-c]{1,3}$",
    "[ab]",
    "^a|c$",
    "^(ab|c)*$",
    "b{2}",
    "a[bc]{1,3}",
    "(ab)+",
    "c(ab)*",
    "a{2,}",
    "^[^b]*$",
    "^$",
]


@settings(max_examples=300, deadline=None)
@given(
    old=st.sampled_from(PATTERNS),
    new=st.sampled_from(PATTERNS),
    value=st.text(alphabet="abc\n", max_size=6),
)
def test_a_decided_verdict_holds_for_every_string(
    old: str | None, new: str | None, value: str
) -> None:
    verdict = compare_patterns(old, new)
    assert verdict.change is not UNDECIDED
    before, after = pattern_accepts(old, value), pattern_accepts(new, value)
    if verdict.change in (LOOSENED, EQUIVALENT):
        assert not before or after, (old, new, value)
    if verdict.change is EQUIVALENT:
        assert before == after, (old, new, value)


def test_acceptance_is_a_search_with_ascii_classes() -> None:
    assert pattern_accepts("[a-z]", "1a1") and not pattern_accepts("^[a-z]$", "1a1")
    assert not pattern_accepts(r"^\d$", "\u0663")  # ARABIC-INDIC DIGIT THREE
    assert re.search(r"^\d$", "\u0663")  # which Python's default (Unicode) \d matches


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        # qbusiness 1.44.7 -> 1.44.8: both match the empty string, so a search for either
        # succeeds on every string, whatever \P{C} is.
        (r"\P{C}*", r"[\s\S]*", PatternChange.EQUIVALENT),
        # The old rejects the empty string; the new accepts everything.
        (r"^[a-z]+$", r"\p{L}*", PatternChange.LOOSENED),
        (r"^\p{L}+$", r".*", PatternChange.LOOSENED),
        # Anchors make an empty match depend on the text: not known to accept everything.
        (r"^\p{L}*$", r"[\s\S]*", PatternChange.UNDECIDED),
    ],
)
def test_a_pattern_that_matches_the_empty_string_unanchored_accepts_everything(
    old: str, new: str, change: PatternChange
) -> None:
    assert compare_patterns(old, new).change is change


def test_a_pattern_re_warns_about_is_compared_without_a_warning_reaching_the_user() -> None:
    # `[[` is a "possible nested set" to re (a FutureWarning); AWS writes such patterns.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compare_patterns("[[a-z]+", "[a-z]*").change is PatternChange.LOOSENED
        assert compare_patterns("^[[a-z]+$", "^[[a-y]+$").change is not None
