"""Whether a new `pattern` constraint accepts fewer strings than the old one.

AWS applies a shape's pattern as a search, not a full match: Smithy's @pattern is "not
implicitly anchored", as Java's Matcher.find and ECMAScript's RegExp.test apply it, so
`[a-z]+` accepts any string holding a lowercase letter and only `^...$` pins the whole
value. A pattern is read here as that language: each top-level alternative gets "anything"
on each side it does not anchor. Character classes are ASCII (`\\d` is [0-9], as in Java
and ECMAScript), so witnesses are checked with Python's `re.search` under `re.ASCII`.

The two languages are compiled to automata (interegular) and walked together: a string
the old accepts and the new rejects makes the change tightened (that string is the
witness, checked against both patterns with `re` before it is believed); otherwise a
string only the new accepts makes it loosened, and neither makes them equivalent. What
cannot be decided exactly is undecided: Unicode properties (\\p{L}), backreferences,
anchors inside the pattern, repeats too large to expand, or a walk over the budget.

A pattern is not a string's only constraint: a witness proves a tightening only if the old
model allowed it otherwise, its length within the old min and max and, for an enum, one of
its values. `[A-Za-z0-9_.-]{0,63}` -> `{1,64}` (resiliencehubv2's ClientToken, 1.44.6)
loses the empty string first, which the old minimum of 1 already refused (botocore raises
ParamValidationError for it in both releases): the witness is then sought among the
strings the old limits allow, and where none is left the change is no tightening.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import warnings
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interegular.fsm import FSM, Alphabet

    from apidiff.classify.pattern_verdicts import PatternVerdicts

# Past this many positions (a{1,500} counts 500) building the automaton takes seconds.
MAX_EXPANDED_SIZE = 1200
# The pairs of states the walk over both automata may visit before giving up.
MAX_STATE_PAIRS = 200_000
# The work of building one pattern's automaton, in steps weighted by the positions each new
# state holds: determinising a search for `a[a-z]{1,59}$` takes exponentially many; past
# this, the pattern is undecided (a count, not a clock: the same verdict on every machine).
MAX_TRANSITIONS = 60_000
# The automaton library lists a class's characters one by one: \u0020-\uD7FF is 55,264.
MAX_CLASS_WIDTH = 2_000
# Longer patterns are not real constraints (AWS's longest are a few hundred characters).
MAX_PATTERN_LENGTH = 4000

# Anything at all, newlines included: what an unanchored side of a pattern may hold.
_ANYTHING = r"[\s\S]*"
# Characters a witness is spelt with where a class allows them, most readable first.
_READABLE = "abcxyzABCXYZ0123456789-_./:@ !#$%&*+,;=?^|~'\"()[]{}<>\\`"
# Characters outside a pattern's alphabet, to stand for "any other character".
_OTHER_CANDIDATES = "~!%&;'\"`<>{}|^@#$*+=?,.:/_-0123456789abcdefghijklmnopqrstuvwxyz\u00e9\u4e00"


class PatternChange(StrEnum):
    TIGHTENED = "tightened"  # the new pattern rejects a string the old accepted
    LOOSENED = "loosened"  # the new accepts every string the old did, and more
    EQUIVALENT = "equivalent"  # the same strings, written differently
    UNDECIDED = "undecided"  # could not be worked out exactly (see `reason`)


@dataclass(frozen=True, slots=True)
class PatternVerdict:
    """How a pattern changed; `witness` (tightened) is a string the old pattern accepts and
    the new rejects, checked with `re.search`; `reason` says why a change is undecided;
    `refused_before` is a string the old pattern accepts and the new rejects that the old
    limits refused anyway, where no other is left (a change that is no tightening)."""

    change: PatternChange
    witness: str | None = None
    reason: str | None = None
    refused_before: str | None = None


@dataclass(frozen=True, slots=True)
class StringLimits:
    """What a model allows of a string besides its pattern: a length from `min_length` to
    `max_length` (None: any), and, where `enum` is given, only those values."""

    min_length: int = 0
    max_length: int | None = None
    enum: tuple[str, ...] | None = None

    @classmethod
    def of_shape(cls, shape: Mapping[str, Any]) -> StringLimits:
        """The limits a botocore string shape sets besides its pattern."""
        low, high, enum = shape.get("min"), shape.get("max"), shape.get("enum")
        return cls(
            min_length=low if isinstance(low, int) and not isinstance(low, bool) else 0,
            max_length=high if isinstance(high, int) and not isinstance(high, bool) else None,
            enum=tuple(enum) if isinstance(enum, list) and enum else None,
        )

    def allow(self, value: str) -> bool:
        long_enough = len(value) >= self.min_length
        short_enough = self.max_length is None or len(value) <= self.max_length
        return long_enough and short_enough and (self.enum is None or value in self.enum)


NO_LIMITS = StringLimits()


class _UndecidableError(Exception):
    """A pattern, or a pair of them, this module cannot compare exactly."""


# Where decided pairs are kept between processes, while `remembering` says so; None: in
# memory only. A plain global, not passed along: the rules that ask are a table of small
# predicates, and forked worker processes inherit it as it was when they started.
_remembered: PatternVerdicts | None = None


@contextlib.contextmanager
def remembering(verdicts: PatternVerdicts) -> Iterator[None]:
    """Recall decided pairs from `verdicts`, and keep newly decided ones there, meanwhile."""
    global _remembered
    previous, _remembered = _remembered, verdicts
    try:
        yield
    finally:
        _remembered = previous


@lru_cache(maxsize=4096)
def compare_patterns(
    old: str | None, new: str | None, limits: StringLimits = NO_LIMITS
) -> PatternVerdict:
    """How the strings `new` accepts compare with those `old` accepts, among the strings
    `limits` (the old model's) allow; None is no pattern (every string). Pure and cached:
    the same question is decided once per process, and once per machine while `remembering`."""
    if old == new:
        return PatternVerdict(PatternChange.EQUIVALENT)
    if limits != NO_LIMITS:
        unlimited = compare_patterns(old, new)
        witness = unlimited.witness
        # Nothing lost, or not known what, or a witness the limits allow: they change nothing.
        if witness is None or limits.allow(witness):
            return unlimited
    verdicts = _remembered
    known = verdicts.recall(old, new, limits) if verdicts is not None else None
    if known is not None:
        return known
    try:
        verdict = _compare(old, new) if limits == NO_LIMITS else _compare_within(old, new, limits)
    except _UndecidableError as problem:
        verdict = PatternVerdict(PatternChange.UNDECIDED, reason=str(problem))
    if verdicts is not None:
        verdicts.remember(old, new, limits, verdict)
    return verdict


def pattern_accepts(pattern: str | None, value: str) -> bool:
    """Whether AWS would accept `value` under `pattern`: a search, ASCII classes."""
    return pattern is None or _python_pattern(pattern).search(value) is not None


def _compare(old: str | None, new: str | None) -> PatternVerdict:
    old_everything, new_everything = _accepts_everything(old), _accepts_everything(new)
    if old_everything and new_everything:
        return PatternVerdict(PatternChange.EQUIVALENT)
    if new_everything and old_everything is False:
        return PatternVerdict(PatternChange.LOOSENED)
    for pattern in (old, new):
        if pattern is not None:
            _python_pattern(pattern)  # a pattern Python cannot read could not be checked
    lost, gained = _walk(_language(old), _language(new))
    if lost is not None:
        if pattern_accepts(old, lost) and not pattern_accepts(new, lost):
            return PatternVerdict(PatternChange.TIGHTENED, witness=lost)
        raise _UndecidableError(f"the counterexample {lost!r} did not hold when checked with re")
    return PatternVerdict(PatternChange.LOOSENED if gained else PatternChange.EQUIVALENT)


def _compare_within(old: str | None, new: str | None, limits: StringLimits) -> PatternVerdict:
    """The comparison among the strings `limits` allow, for a pair whose shortest witness
    they refuse: another witness, or none and the refused one kept to show."""
    refused = compare_patterns(old, new).witness
    if limits.enum is not None:
        allowed = [value for value in limits.enum if limits.allow(value)]
        lost = next((value for value in allowed if _lost(old, new, value)), None)
        gained = any(_lost(new, old, value) for value in allowed)
    else:
        lost, gained = _walk(_language(old), _language(new), limits)
        if lost is not None and not (_lost(old, new, lost) and limits.allow(lost)):
            raise _UndecidableError(f"the counterexample {lost!r} did not hold when checked")
    if lost is not None:
        return PatternVerdict(PatternChange.TIGHTENED, witness=lost)
    change = PatternChange.LOOSENED if gained else PatternChange.EQUIVALENT
    return PatternVerdict(change, refused_before=refused)


def _lost(old: str | None, new: str | None, value: str) -> bool:
    """Whether `value` matches the old pattern and not the new one."""
    return pattern_accepts(old, value) and not pattern_accepts(new, value)


# Unicode property classes (\p{L}, \P{C}, \pL), which Python's re cannot read.
_PROPERTY_CLASS = re.compile(r"\\[pP](\{[^}]*\}|[A-Za-z])")
# What makes an empty match depend on the text around it: anchors, word boundaries,
# lookarounds.
_ZERO_WIDTH = re.compile(r"[\^$]|\\[AZbBz]|\(\?<?[=!]")


def _accepts_everything(pattern: str | None) -> bool | None:
    """Whether a search for `pattern` succeeds on every string (None: not known).

    A pattern that matches the empty string, with nothing in it that looks at the text
    around a match, matches the empty string at the start of any string; one that does not
    match the empty string rejects at least that one. A property class
    is read as any one character there: a class takes exactly one character whichever it
    is, so whether the empty string matches does not depend on it (`\\P{C}*` matches it).
    """
    if pattern is None:
        return True
    try:
        readable = _quietly_compiled(_PROPERTY_CLASS.sub("[^\n]", pattern))
    except (re.error, OverflowError, RecursionError):
        return None
    if readable.search("") is None:
        return False  # the empty string is one it rejects
    return None if _ZERO_WIDTH.search(_PROPERTY_CLASS.sub("", pattern)) else True


def _quietly_compiled(pattern: str) -> re.Pattern[str]:
    # A model's pattern is not our code: re's FutureWarnings about it ("possible nested set"
    # in `[[a-z]`) would reach the user's terminal and tell them nothing they can act on.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(pattern, re.ASCII)


@lru_cache(maxsize=1024)
def _python_pattern(pattern: str) -> re.Pattern[str]:
    try:
        return _quietly_compiled(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise _UndecidableError(f"Python's re cannot read {pattern!r}: {error}") from None


@lru_cache(maxsize=1024)
def _language(pattern: str | None) -> FSM:
    """An automaton accepting exactly the strings in which a search for `pattern` succeeds."""
    if pattern is None:
        return _parse(_ANYTHING)
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise _UndecidableError(f"the pattern is longer than {MAX_PATTERN_LENGTH} characters")
    if re.search(r"\\[pPk]|\\[1-9]|\(\?<?[=!]", pattern):
        raise _UndecidableError("it uses Unicode properties, backreferences or lookarounds")
    if _too_wide_class(pattern):
        raise _UndecidableError(f"a character range is wider than {MAX_CLASS_WIDTH} characters")
    size = _expanded_size(pattern)
    if size > MAX_EXPANDED_SIZE:
        raise _UndecidableError(
            f"its repeats expand to {size} positions (limit {MAX_EXPANDED_SIZE})"
        )
    return _parse("|".join(_searched(pattern)))


def _too_wide_class(pattern: str) -> bool:
    """A range of more than MAX_CLASS_WIDTH characters, which the library lists one by one."""
    text = _unicode_escapes(pattern)
    return any(
        ord(high) - ord(low) > MAX_CLASS_WIDTH for low, high in re.findall(r"(.)-(.)", text, re.S)
    )


def _parse(pattern: str) -> FSM:
    followed = 0

    def counted(follow: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def step(state: Any, transition: Any) -> Any:
            nonlocal followed
            following = follow(state, transition)
            # A step costs more the more the state holds: crawl compares it with every
            # state found so far, and subset construction makes states of many positions.
            followed += 1 + (len(following) if isinstance(following, Collection) else 0)
            if followed > MAX_TRANSITIONS:
                raise _UndecidableError(
                    f"its automaton takes over {MAX_TRANSITIONS} steps to build"
                )
            return following

        return step

    interegular = _automata()
    token = _crawl_wrapper.set(counted)
    try:
        automaton: FSM = interegular.parse_pattern(_unicode_escapes(pattern)).to_fsm()
        return automaton
    except (interegular.Unsupported, interegular.InvalidSyntax) as error:
        raise _UndecidableError(f"the automaton library cannot read it: {error}") from None
    finally:
        _crawl_wrapper.reset(token)


# interegular builds every automaton through `fsm.crawl(alphabet, initial, final, follow)`
# and offers no limit: each build here counts its steps through that function.
_crawl_wrapper: ContextVar[Callable[[Callable[[Any, Any], Any]], Callable[[Any, Any], Any]]] = (
    ContextVar("crawl_wrapper", default=lambda follow: follow)
)


@cache
def _automata() -> ModuleType:
    """The automaton library, its builds made countable. Imported when first needed: it
    takes 30 ms, which a run whose pattern pairs are all remembered never spends."""
    import interegular
    import interegular.fsm

    unbounded_crawl: Callable[..., FSM] = interegular.fsm.crawl

    def bounded_crawl(alphabet: Any, initial: Any, final: Any, follow: Any) -> FSM:
        return unbounded_crawl(alphabet, initial, final, _crawl_wrapper.get()(follow))

    interegular.fsm.crawl = bounded_crawl
    return interegular


def _unicode_escapes(pattern: str) -> str:
    r"""`\uXXXX` written as the character itself, which the automaton library reads."""
    return re.sub(
        r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})",
        lambda match: match.group(1) + re.escape(chr(int(match.group(2), 16))),
        pattern,
    )


# --- the pattern's text: alternatives, anchors and size, without a full parser


def _searched(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern` as full-match patterns of a search."""
    searched = []
    for alternative in _alternatives(pattern):
        start = alternative.startswith("^") or alternative.startswith(r"\A")
        core = alternative[1 if alternative.startswith("^") else 2 :] if start else alternative
        end = _ends_with_anchor(core)
        core = core[: -(1 if core.endswith("$") else 2)] if end else core
        if _has_anchor(core):
            raise _UndecidableError("it has an anchor inside an alternative")
        if not end:
            core = _shortest_tail(core)
        searched.append(("" if start else _ANYTHING) + f"(?:{core})" + ("" if end else _ANYTHING))
    return searched


def _shortest_tail(core: str) -> str:
    """`core` with a repeat at its end cut to its least count: followed by "anything", a
    search for `P X{m,n}` accepts exactly what one for `P X{m}` does (`X*` and `X?` go, `X+`
    is `X`), and the short form builds a far smaller automaton."""
    tokens = _tokens(core)
    while len(tokens) >= 2:
        quantifier, start = _last_repeat(tokens)
        if quantifier is None:
            break
        atom = tokens[start : len(tokens) - len(quantifier)]
        low = quantifier.lstrip("{").split(",")[0].rstrip("}") if quantifier[0] == "{" else None
        if quantifier in ("*", "?") or low == "0":
            tokens = tokens[:start]
        else:
            count = "" if quantifier == "+" else f"{{{low}}}"
            tokens = [*tokens[:start], *atom, *count]
            break
    return "".join(tokens)


def _last_repeat(tokens: list[str]) -> tuple[str | None, int]:
    """The quantifier ending `tokens` (as text) and where the atom it repeats starts."""
    if tokens[-1] in ("*", "+", "?"):
        quantifier = tokens[-1]
    elif tokens[-1] == "}" and "{" in tokens:
        opening = len(tokens) - 1 - tokens[::-1].index("{")
        quantifier = "".join(tokens[opening:])
        if not _REPEAT.fullmatch(quantifier) or len(quantifier) != len(tokens) - opening:
            return None, 0
    else:
        return None, 0
    before = len(tokens) - len(quantifier)
    if before < 1 or tokens[before - 1] in ("*", "+", "?", "}", "|", "("):
        return None, 0  # lazy or possessive, or nothing to repeat: leave it
    if tokens[before - 1] != ")":
        return quantifier, before - 1
    depth = 0
    for index in range(before - 1, -1, -1):
        depth += (tokens[index] == ")") - (tokens[index] == "(")
        if depth == 0:
            return quantifier, index
    return None, 0


def _alternatives(pattern: str) -> list[str]:
    """Top-level alternatives, a group that spans a whole alternative opened up:
    `(^a$|^b$)` is the alternatives `^a$` and `^b$`."""
    found = []
    for alternative in _split_top_level(pattern):
        inner = _spanning_group(alternative)
        found.extend(_alternatives(inner) if inner is not None else [alternative])
    return found


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)


def _tokens(pattern: str) -> list[str]:
    """The pattern cut into escapes, classes and single characters."""
    tokens, position = [], 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            match = _ESCAPE.match(pattern, position)
            step = len(match.group(0)) if match else 1
        elif char == "[":
            step = _class_end(pattern, position) - position
        else:
            step = 1
        tokens.append(pattern[position : position + step])
        position += step
    return tokens


def _class_end(pattern: str, start: int) -> int:
    """The index after the `]` closing the class opened at `start`."""
    position = start + 1
    if position < len(pattern) and pattern[position] == "^":
        position += 1
    if position < len(pattern) and pattern[position] == "]":
        position += 1  # a leading ] is a literal
    while position < len(pattern):
        if pattern[position] == "\\":
            position += 2
            continue
        if pattern[position] == "[":
            position = _class_end(pattern, position)  # Java's nested classes
            continue
        if pattern[position] == "]":
            return position + 1
        position += 1
    raise _UndecidableError("a character class is not closed")


def _split_top_level(pattern: str) -> list[str]:
    parts, current, depth = [], "", 0
    for token in _tokens(pattern):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        if token == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += token
    parts.append(current)
    return parts


def _spanning_group(alternative: str) -> str | None:
    """The inside of a group that is the whole alternative, `(...)` or `(?:...)`."""
    tokens = _tokens(alternative)
    if len(tokens) < 2 or tokens[0] != "(" or tokens[-1] != ")":
        return None
    depth = 0
    for index, token in enumerate(tokens):
        depth += (token == "(") - (token == ")")
        if depth == 0 and index < len(tokens) - 1:
            return None  # the first group closes before the end
    inner = "".join(tokens[1:-1])
    if inner.startswith("?:"):
        return inner[2:]
    return None if inner.startswith("?") else inner


def _ends_with_anchor(text: str) -> bool:
    tokens = _tokens(text)
    return bool(tokens) and tokens[-1] in ("$", r"\Z", r"\z")


def _has_anchor(text: str) -> bool:
    return any(token in ("^", "$", r"\A", r"\Z", r"\z", r"\b", r"\B") for token in _tokens(text))


_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")


def _expanded_size(pattern: str) -> int:
    """Positions the automaton is built from: each atom once, times its repeat count."""
    tokens = _tokens(pattern)
    totals: list[int] = [0]
    last = 0  # the size of the atom or group a quantifier would apply to
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "(":
            totals.append(0)
            last = 0
        elif token == ")" and len(totals) > 1:
            last = totals.pop()
            totals[-1] += last
        elif token == "{" and (repeat := _REPEAT.match("".join(tokens[index : index + 12]))):
            low, comma, high = repeat.groups()
            count = int(high) if high else int(low) + (1 if comma is not None else 0)
            totals[-1] += last * (max(count, 1) - 1)
            index += len(repeat.group(0))
            continue
        elif token not in ("|", "*", "+", "?"):
            last = 1
            totals[-1] += 1
        index += 1
    return sum(totals)


# --- both automata walked together


def _walk(old: FSM, new: FSM, limits: StringLimits = NO_LIMITS) -> tuple[str | None, bool]:
    """A shortest string of a length `limits` allow that the old accepts and the new rejects
    (None: there is none) and, where there is none, whether the new accepts some string of
    such a length that the old rejects.

    It visits (old state, new state, length so far counted up to the minimum): a string is
    judged once it is long enough, and none is followed past the maximum.
    """
    alphabet, (old_keys, new_keys) = _automata().fsm.Alphabet.union(old.alphabet, new.alphabet)
    # Followed in the order of their spellings, readable first: the library's own order
    # follows set iteration, which changes with each process's string hashing, and so would
    # the witness found.
    spellings = dict(
        sorted(
            ((key, _spelling(alphabet, key)) for key in alphabet.by_transition),
            key=lambda item: _readability(item[1]),
        )
    )
    start = (old.initial, new.initial, 0)
    came_from: dict[tuple[Any, Any, int], tuple[tuple[Any, Any, int], str] | None] = {start: None}
    queue = deque([(start, 0)])
    gained = False
    while queue:
        node, length = queue.popleft()
        old_state, new_state, counted = node
        if counted >= limits.min_length:
            old_final, new_final = old_state in old.finals, new_state in new.finals
            if old_final and not new_final:
                return _spelt(node, came_from), gained
            gained = gained or (new_final and not old_final)
        if limits.max_length is not None and length >= limits.max_length:
            continue
        for key, spelling in spellings.items():
            following = (
                _follow(old, old_state, old_keys, key),
                _follow(new, new_state, new_keys, key),
                min(counted + 1, limits.min_length),
            )
            if following[:2] == (None, None) or following in came_from:
                continue
            if len(came_from) >= MAX_STATE_PAIRS:
                raise _UndecidableError(f"comparing them visits over {MAX_STATE_PAIRS} states")
            came_from[following] = (node, spelling)
            queue.append((following, length + 1))
    return None, gained


def _follow(fsm: FSM, state: Any, keys: dict[Any, Any], key: Any) -> Any:
    if state is None:
        return None
    return fsm.map.get(state, {}).get(keys[key])


def _spelt(node: tuple[Any, Any, int], came_from: dict[Any, Any]) -> str:
    characters = []
    step = came_from[node]
    while step is not None:
        node, character = step
        characters.append(character)
        step = came_from[node]
    return "".join(reversed(characters))


def _readability(char: str) -> tuple[int, str]:
    """Where a character comes in the order witnesses are spelt in: readable ones first."""
    position = _READABLE.find(char)
    return (position if position >= 0 else len(_READABLE), char)


def _spelling(alphabet: Alphabet, key: Any) -> str:
    """A character that takes transition `key`: a readable one where the class allows it."""
    anything_else = _automata().fsm.anything_else
    symbols = alphabet.by_transition[key]
    if anything_else in symbols:
        taken = {symbol for symbol in alphabet if symbol is not anything_else}
        others = (chr(code) for code in range(0x20, 0x110000))
        return next(
            char for char in itertools.chain(_OTHER_CANDIDATES, others) if char not in taken
        )
    chars = sorted(symbol for symbol in symbols if isinstance(symbol, str))
    return next((char for char in _READABLE if char in chars), chars[0])
