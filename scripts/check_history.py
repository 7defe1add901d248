#!/usr/bin/env python3
"""Run the compatibility check over consecutive real botocore releases and count what it finds.

    python scripts/check_history.py --from 1.43.86 --count 51 [--perspective sdk]
        [--out history.json] [--samples N] [--offline]

Takes `count` consecutive final botocore releases starting at `--from` (in version order, as the
package index lists them), and checks each release against the one before it, as
`apidiff check botocore==A botocore==B --fail-on none --min-severity info` would, in
this process and with no ignore file. Prints one row per pair (changed services, findings per
severity), then the totals per severity and per breaking or risky rule. `--out` writes every
breaking and risky finding as JSON, with a fixed sample of `--samples` of each, spread over
the rules, to check by hand.

The wheels come from apidiff's cache (APIDIFF_CACHE_DIR, else the platform cache) and are
downloaded once; with --offline (or APIDIFF_OFFLINE=1) nothing is fetched.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from apidiff.classify import Perspective, Severity  # noqa: E402
from apidiff.compare import CompareOptions, compare_sources  # noqa: E402
from apidiff.errors import ApidiffError, FetchError, SourceError  # noqa: E402
from apidiff.report.check import Finding, evaluate_check  # noqa: E402
from apidiff.sources import ModelSource, PackageIndex, open_source  # noqa: E402

PACKAGE = "botocore"
# The severities a reader acts on; these are listed finding by finding.
LISTED = (Severity.BREAKING, Severity.RISKY)
# Most severe first, for every table.
SEVERITIES = tuple(sorted(Severity, key=lambda severity: -severity.rank))


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """What the check found between two consecutive releases."""

    old: str
    new: str
    changed_services: int
    counts: Counter[Severity]
    listed: tuple[Finding, ...]
    seconds: float

    @property
    def name(self) -> str:
        return f"{self.old} -> {self.new}"


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", required=True, help="first release, e.g. 1.43.86")
    parser.add_argument("--count", type=int, default=51, help="releases, so count-1 pairs")
    parser.add_argument(
        "--perspective",
        choices=[perspective.value for perspective in Perspective],
        default=Perspective.SDK.value,
    )
    parser.add_argument("--out", type=Path, help="write the JSON summary here")
    parser.add_argument("--samples", type=int, default=10, help="sampled findings per severity")
    parser.add_argument("--offline", action="store_true", help="use the cache only")
    arguments = parser.parse_args(argv)
    if arguments.count < 2:
        parser.error("--count must be at least 2: a pair needs two releases")
    return arguments


def release_window(index: PackageIndex, start: str, count: int) -> tuple[str, ...]:
    """`count` consecutive final releases from `start`, from the cached listing if it holds
    them all (a release cannot appear between two already listed), else from the index."""
    spec = f"{PACKAGE}=={start}"
    window = _window(index.cache.read_versions(PACKAGE) or (), start, count)
    if len(window) == count:
        return window
    if index.settings.offline:
        raise FetchError(
            spec,
            f"the cached list of releases does not hold {count} from {start}"
            f" and {index.settings.offline_switch} is set",
        )
    # PackageIndex lists releases only inside previous_version; its listing is what we need.
    window = _window(index._listing(PACKAGE, spec).versions, start, count)
    if not window:
        raise SourceError(spec, "not a final release on the index")
    if len(window) < count:
        raise SourceError(spec, f"only {len(window)} final releases from it on, not {count}")
    return window


def _window(versions: Sequence[str], start: str, count: int) -> tuple[str, ...]:
    if start not in versions:
        return ()
    first = list(versions).index(start)
    return tuple(versions[first : first + count])


def check_pair(
    old: ModelSource,
    new: ModelSource,
    perspective: Perspective,
    old_version: str,
    new_version: str,
    services: tuple[str, ...] = (),
) -> PairOutcome:
    """Every finding between two releases, at every severity, as the perspective rates it;
    in `services` only, where given."""
    began = time.perf_counter()
    report = compare_sources(old, new, CompareOptions(with_docs=False, services=services))
    result = evaluate_check(
        report, perspective=perspective, fail_on=None, min_severity=Severity.INFO
    )
    return PairOutcome(
        old=old_version,
        new=new_version,
        changed_services=len(report.services),
        counts=Counter(finding.severity for finding in result.gated),
        listed=tuple(finding for finding in result.gated if finding.severity in LISTED),
        seconds=time.perf_counter() - began,
    )


def check_history(
    index: PackageIndex, versions: Sequence[str], perspective: Perspective
) -> list[PairOutcome]:
    """Each consecutive pair checked in turn; a row printed as each finishes, since a cold
    cache makes the first run slow and progress is worth seeing."""
    print(_row("pair", "services", *(severity.value for severity in SEVERITIES), "seconds"))
    outcomes: list[PairOutcome] = []
    # Each release is opened once and serves as the new side, then the old side.
    previous = open_source(f"{PACKAGE}=={versions[0]}", index)
    for old_version, new_version in itertools.pairwise(versions):
        current = open_source(f"{PACKAGE}=={new_version}", index)
        outcome = check_pair(previous, current, perspective, old_version, new_version)
        outcomes.append(outcome)
        counts = (str(outcome.counts[severity]) for severity in SEVERITIES)
        print(_row(outcome.name, str(outcome.changed_services), *counts, f"{outcome.seconds:.1f}"))
        previous = current
    return outcomes


def _row(first: str, *cells: str) -> str:
    return f"{first:<22}" + "".join(f"{cell:>10}" for cell in cells)


def rule_counts(outcomes: Sequence[PairOutcome], severity: Severity) -> Counter[str]:
    return Counter(
        finding.rule.id
        for outcome in outcomes
        for finding in outcome.listed
        if finding.severity is severity
    )


def print_totals(outcomes: Sequence[PairOutcome], seconds: float) -> None:
    totals = sum((outcome.counts for outcome in outcomes), Counter[Severity]())
    services = sum(outcome.changed_services for outcome in outcomes)
    print(f"\n{len(outcomes)} pairs, {services} changed services, {seconds:.0f} s")
    print(", ".join(f"{totals[severity]} {severity.value}" for severity in SEVERITIES))
    for severity in LISTED:
        print(f"\n{severity.value} findings by rule:")
        for rule_id, count in rule_counts(outcomes, severity).most_common():
            print(f"  {count:>6}  {rule_id}")


def sample(findings: Sequence[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """`size` findings to check by hand: the places are dealt out over the rules in turn (most
    frequent first), so a rare rule is seen before a frequent one is seen twice, and each rule's
    share is every k-th of its findings, spread over the whole range. The same run gives the
    same sample."""
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_rule.setdefault(finding["rule"], []).append(finding)
    rules = sorted(by_rule, key=lambda rule_id: (-len(by_rule[rule_id]), rule_id))
    shares = Counter[str]()
    for _ in range(size):
        open_rules = [rule_id for rule_id in rules if shares[rule_id] < len(by_rule[rule_id])]
        if not open_rules:
            break
        shares[min(open_rules, key=lambda rule_id: shares[rule_id])] += 1
    picked: list[dict[str, Any]] = []
    for rule_id in rules:
        if shares[rule_id]:
            group = by_rule[rule_id]
            picked.extend(group[:: len(group) // shares[rule_id]][: shares[rule_id]])
    return picked


def finding_json(outcome: PairOutcome, finding: Finding) -> dict[str, Any]:
    change = finding.record.change
    return {
        "pair": outcome.name,
        "service": finding.service,
        "rule": finding.rule.id,
        "severity": finding.severity.value,
        "fingerprint": finding.record.fingerprint,
        "location": finding.location,
        "description": change.description,
        "detail": finding.record.detail,
        # The change as the diff found it: what a replay needs to build a call that meets it.
        "change": {
            "kind": change.kind.value,
            "shape": change.shape,
            "member": change.member,
            "operation": change.operation,
            "aspect": change.aspect,
            "old": change.old,
            "new": change.new,
        },
        "operations": list(finding.operations),
        # The rules' verdicts depend on where a change is met, so say where it was.
        "positions": sorted({reach.position.value for reach in finding.record.reaches}),
        "reaches": [
            {"operation": reach.operation, "position": reach.position.value, "path": reach.path}
            for reach in finding.record.reaches
        ],
        # A change found behind renamed shapes: every place callers meet it.
        "via": [f"{via.shape or via.operation}.{via.path}".rstrip(".") for via in change.via],
    }


def summary_json(
    outcomes: Sequence[PairOutcome], perspective: Perspective, samples: int, seconds: float
) -> dict[str, Any]:
    listed = [finding_json(outcome, finding) for outcome in outcomes for finding in outcome.listed]
    totals = sum((outcome.counts for outcome in outcomes), Counter[Severity]())
    return {
        "perspective": perspective.value,
        "releases": [outcomes[0].old, outcomes[-1].new],
        "seconds": round(seconds, 1),
        "pairs": [
            {
                "pair": outcome.name,
                "changed_services": outcome.changed_services,
                "counts": {severity.value: outcome.counts[severity] for severity in SEVERITIES},
                "seconds": round(outcome.seconds, 1),
            }
            for outcome in outcomes
        ],
        "totals": {severity.value: totals[severity] for severity in SEVERITIES},
        "rules": {
            severity.value: dict(rule_counts(outcomes, severity).most_common())
            for severity in LISTED
        },
        "findings": listed,
        "samples": {
            severity.value: sample(
                [entry for entry in listed if entry["severity"] == severity.value], samples
            )
            for severity in LISTED
        },
    }


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)
    perspective = Perspective(arguments.perspective)
    began = time.perf_counter()
    try:
        index = PackageIndex.from_environment(offline=arguments.offline)
        versions = release_window(index, arguments.start, arguments.count)
        outcomes = check_history(index, versions, perspective)
    except ApidiffError as error:
        print(f"check_history: {error}", file=sys.stderr)
        return int(error.exit_status)
    seconds = time.perf_counter() - began
    print_totals(outcomes, seconds)
    if arguments.out:
        summary = summary_json(outcomes, perspective, arguments.samples, seconds)
        arguments.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
