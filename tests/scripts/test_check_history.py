"""The hand-checked sample of check_history.py: 40 breaking and 40 risky findings of the
releases 1.43.80 -> 1.44.8, each replayed in the real botocore of its two releases
(scripts/replay_history.py) and judged by hand.

The fixture must keep agreeing with the check: every finding it lists is still produced on
the real releases with the same rule and severity, so a rule change that moves one shows
here and the sample is judged again. Its hand verdicts hold the check to its precision
goals. The replay itself is tested offline on bundled releases.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from apidiff.classify import Perspective
from apidiff.sources import PackageIndex, open_source

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "check_history" / "sample-1.43.80-1.44.8.json"
MODELS = REPO_ROOT / "models"
TRUE, FALSE = "true positive", "false positive"
# The check's goals: what share of the findings it calls breaking or risky are so.
PRECISION_GOAL = {"breaking": 0.99, "risky": 0.90}
CHANGE_IDENTITY = ("kind", "shape", "member", "operation", "aspect")


def _script(name: str) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@functools.cache
def _sample() -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["findings"]
    return findings


def test_the_sample_is_40_breaking_and_40_risky_findings_over_at_least_8_pairs() -> None:
    sample = _sample()
    severities = [finding["severity"] for finding in sample]
    assert severities.count("breaking") == 40 and severities.count("risky") == 40
    assert len({finding["pair"] for finding in sample}) >= 8
    assert len({finding["fingerprint"] for finding in sample}) == len(sample)


def test_every_sampled_finding_has_a_hand_verdict_with_its_reason() -> None:
    for finding in _sample():
        assert finding["hand"] in (TRUE, FALSE), finding["fingerprint"]
        assert finding["note"], finding["fingerprint"]
        assert finding["replay"], finding["fingerprint"]


def test_only_false_positives_are_marked_fixed() -> None:
    fixed = [finding for finding in _sample() if finding.get("fixed")]
    assert fixed and all(finding["hand"] == FALSE for finding in fixed)


@pytest.mark.parametrize("severity", ["breaking", "risky"])
def test_precision_over_the_hand_verdicts_meets_the_goal(severity: str) -> None:
    verdicts = [finding["hand"] for finding in _sample() if finding["severity"] == severity]
    precision = verdicts.count(TRUE) / len(verdicts)
    false = [
        f"{finding['location']} ({finding['rule']}): {finding['note']}"
        for finding in _sample()
        if finding["severity"] == severity and finding["hand"] == FALSE
    ]
    assert precision >= PRECISION_GOAL[severity], "\n".join(false)


@pytest.mark.network
def test_the_check_still_produces_every_sampled_finding_with_its_rule_and_severity() -> None:
    check_history = _script("check_history")
    index = PackageIndex.from_environment()
    by_pair: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in _sample():
        by_pair[finding["pair"]].append(finding)
    for pair, expected in sorted(by_pair.items()):
        old, new = pair.split(" -> ")
        services = tuple(sorted({finding["service"] for finding in expected}))
        outcome = check_history.check_pair(
            open_source(f"botocore=={old}", index),
            open_source(f"botocore=={new}", index),
            Perspective.SDK,
            old,
            new,
            services,
        )
        produced = {
            _identity(entry): entry
            for entry in (
                check_history.finding_json(outcome, finding) for finding in outcome.listed
            )
        }
        for finding in expected:
            found = produced.get(_identity(finding))
            if finding.get("fixed"):
                assert found is None, f"{pair}: {finding['location']} is listed again"
                continue
            assert found is not None, (
                f"{pair}: {finding['location']} is no longer breaking or risky"
            )
            assert (found["rule"], found["severity"]) == (finding["rule"], finding["severity"]), (
                f"{pair}: {finding['location']}"
            )


def _identity(finding: dict[str, Any]) -> tuple[Any, ...]:
    change = finding["change"]
    return (finding["service"], *(change[key] for key in CHANGE_IDENTITY))


# --- the replay, offline: bundled models in the installed botocore


def _bundled_findings(old: str, new: str) -> list[dict[str, Any]]:
    check_history = _script("check_history")
    outcome = check_history.check_pair(
        open_source(f"models/botocore-{old}"),
        open_source(f"models/botocore-{new}"),
        Perspective.SDK,
        old,
        new,
    )
    return [check_history.finding_json(outcome, finding) for finding in outcome.listed]


def _bundled(version: str) -> Any:
    replay = _script("replay_history")
    return replay.Botocore(version, data_dir=MODELS / f"botocore-{version}")


def test_a_removed_method_and_member_are_reproduced_in_botocore() -> None:
    replay = _script("replay_history")
    findings = _bundled_findings("1.20.73", "1.20.74")
    replays = replay.replay_pair(_bundled("1.20.73"), _bundled("1.20.74"), findings)
    outcomes = {
        finding["rule"]: outcome for finding, outcome in zip(findings, replays, strict=True)
    }
    assert set(outcomes) == {"operation.removed", "member.removed"}
    assert outcomes["operation.removed"].reproduced
    assert "AttributeError" in outcomes["operation.removed"].outcome
    removed = outcomes["member.removed"]
    # The request now fails in botocore, and the old service's response parses without it.
    assert removed.reproduced
    assert 'Unknown parameter in suiteRunConfiguration: "secondaryDevice"' in removed.outcome
    assert "secondaryDevice: the same bytes parse as {} -> <missing>" in removed.outcome


def test_nothing_is_reproduced_between_a_release_and_itself() -> None:
    replay = _script("replay_history")
    findings = _bundled_findings("1.20.73", "1.20.74")
    replays = replay.replay_pair(_bundled("1.20.73"), _bundled("1.20.73"), findings)
    assert [outcome.reproduced for outcome in replays] == [False, False]


def test_a_waiter_that_polls_longer_is_reproduced() -> None:
    replay = _script("replay_history")
    (finding,) = _bundled_findings("1.44.7", "1.44.8")
    assert finding["rule"] == "waiter.changed"
    (outcome,) = replay.replay_pair(_bundled("1.44.7"), _bundled("1.44.8"), [finding])
    assert outcome.reproduced
    assert "'max_attempts': 40" in outcome.outcome and "'max_attempts': 100" in outcome.outcome


def test_a_reach_path_is_read_step_by_step_as_the_projection_writes_it() -> None:
    steps = _script("replay_worker").path_steps
    assert steps("Items[].Attachments{key}") == ["Items", "[]", "Attachments", "{key}"]
    assert steps("Forms{}.FormTypeIdentifier") == ["Forms", "{}", "FormTypeIdentifier"]
    assert steps("Matrix[][].Cell") == ["Matrix", "[]", "[]", "Cell"]


def test_an_endpoint_finding_is_resolved_with_its_first_parameter_set() -> None:
    description = (
        "endpoint for Region=aws-global, UseFIPS=false, UseDualStack=true (and 7 more parameter"
        " sets) changed: https://support.aws-global.api.aws -> https://support.us-east-1.api.aws"
    )
    parameters = _script("replay_history").endpoint_parameters({"description": description})
    assert parameters == {"Region": "aws-global", "UseFIPS": False, "UseDualStack": True}
