"""Pattern changes already decided, remembered on disk so each pair is decided once per machine.

Deciding a pair builds two automata, which takes up to a third of a second for AWS's longer
patterns (bedrock's ARNs): more than the rest of comparing a whole release's services, in the
run where it happens. Releases are compared again and again (a site rebuilt, CI, the next
release's notes), so a verdict is kept as a small JSON file named by the sha256 of what it
answers (the pair, and the old model's limits on the string where they were asked about),
beside the model verdicts, in a folder named by what decided it (this apidiff version, the
code of the decision and the automaton library's): a change to any of them decides every
pair again. The files are a shortcut, never a source of truth: one that cannot be read as a
verdict is ignored (the pair is decided again), one that cannot be written is left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
from functools import cache
from pathlib import Path

import orjson

from apidiff import __version__
from apidiff.classify.patterns import NO_LIMITS, PatternChange, PatternVerdict, StringLimits
from apidiff.model.verdicts import FOLDER as VERDICTS_FOLDER

SUBFOLDER = "patterns"


class PatternVerdicts:
    """The pattern pairs decided so far, in a folder of the cache."""

    def __init__(self, cache_root: Path) -> None:
        self._folder = cache_root / VERDICTS_FOLDER / SUBFOLDER / _decider_fingerprint()

    def recall(
        self, old: str | None, new: str | None, limits: StringLimits = NO_LIMITS
    ) -> PatternVerdict | None:
        try:
            record = orjson.loads(self._path(old, new, limits).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        return _verdict_from(record)

    def remember(
        self,
        old: str | None,
        new: str | None,
        limits: StringLimits,
        verdict: PatternVerdict,
    ) -> None:
        record = {
            "change": verdict.change,
            "witness": verdict.witness,
            "reason": verdict.reason,
            "refused_before": verdict.refused_before,
        }
        path = self._path(old, new, limits)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            # A witness may hold a lone surrogate, which JSON text cannot: not remembered.
            text = orjson.dumps(record)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(text)
            # Whole or absent: two processes deciding the same pair write the same verdict.
            temporary.replace(path)
        except (OSError, orjson.JSONEncodeError):
            with contextlib.suppress(OSError):  # a folder that could not be made holds none
                temporary.unlink(missing_ok=True)

    def _path(self, old: str | None, new: str | None, limits: StringLimits) -> Path:
        question = f"{old!r}\n{new!r}"
        if limits != NO_LIMITS:
            question += f"\n{limits.min_length!r} {limits.max_length!r} {limits.enum!r}"
        key = question.encode("utf-8", "surrogatepass")
        return self._folder / hashlib.sha256(key).hexdigest()


def _verdict_from(record: object) -> PatternVerdict | None:
    if not isinstance(record, dict):
        return None
    change, witness, reason = record.get("change"), record.get("witness"), record.get("reason")
    refused_before = record.get("refused_before")
    if change not in set(PatternChange) or not all(
        value is None or isinstance(value, str) for value in (witness, reason, refused_before)
    ):
        return None
    return PatternVerdict(
        PatternChange(change), witness=witness, reason=reason, refused_before=refused_before
    )


@cache
def _decider_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    # A development checkout changes the decision, or how it is kept, without changing its
    # version number.
    digest.update(Path(__file__).with_name("patterns.py").read_bytes())
    digest.update(Path(__file__).read_bytes())
    library = importlib.util.find_spec("interegular")
    if library is not None and library.origin is not None:
        digest.update(Path(library.origin).read_bytes())  # it holds the library's version
    return digest.hexdigest()[:16]
