"""Which findings touch which calls of the sample project.

Real pairs of bundled releases, compared downwards (the newer release as OLD), give real
removals: a member only a nested dict literal passes (route53 AZAffinity), a response key
only a read reaches (sagemaker BestCandidate.CandidateProperties), enum values passed as
literals (wafv2, fsx), a waiter, a paginator and an operation removed. A small synthetic
pair adds newly required members and a call whose parameters are not visible.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from apidiff.classify import Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.report.check import CheckResult, evaluate_check
from apidiff.sources import open_source
from apidiff.usage import scan_usage
from apidiff.usage.match import UsageMatch, match_usage
from apidiff.usage.output import match_to_json, usage_schema
from tests.usage.conftest import SAMPLE, line_of


def _check(old: str, new: str, code: Path | str = SAMPLE) -> tuple[CheckResult, UsageMatch]:
    # The code was written against OLD: its models name the calls.
    report = compare_sources(open_source(old), open_source(new), CompareOptions(with_docs=False))
    result = evaluate_check(report, min_severity=Severity.INFO)
    return result, match_usage(result, scan_usage([str(code)], open_source(old)))


@pytest.fixture(scope="module")
def downgrade_1_44() -> tuple[CheckResult, UsageMatch]:
    return _check("bundled:botocore-1.44.8", "bundled:botocore-1.44.7")


@pytest.fixture(scope="module")
def downgrade_1_20() -> tuple[CheckResult, UsageMatch]:
    return _check("bundled:botocore-1.20.41", "bundled:botocore-1.20.40")


def _touched_lines(match: UsageMatch, description: str) -> list[tuple[str, int]]:
    """Where the finding with this description touches the code: (file, line)."""
    found = [
        touched
        for touched in match.touching
        if touched.finding.record.change.description == description
    ]
    assert len(found) <= 1
    if not found:
        return []
    return [
        (touch.call.location.file.split("sample_project/")[1], touch.call.location.line)
        for touch in found[0].touches
    ]


def _untouched(match: UsageMatch) -> set[str]:
    return {finding.record.change.description for finding in match.untouched}


def test_a_member_only_a_nested_dict_literal_passes(
    downgrade_1_44: tuple[CheckResult, UsageMatch],
) -> None:
    _result, match = downgrade_1_44
    assert _touched_lines(match, "member ResourceRecordSet.AZAffinity removed") == [
        ("app/network.py", line_of("app/network.py", "def upsert_near(") + 1)
    ]


def test_a_removed_enum_value_touches_only_the_call_passing_it(
    downgrade_1_44: tuple[CheckResult, UsageMatch],
) -> None:
    _result, match = downgrade_1_44
    small = line_of("app/network.py", "def create_small_acl(") + 1
    assert _touched_lines(match, "shape SizeInspectionLimit enum value KB_8 removed") == [
        ("app/network.py", small)
    ]
    ontap = line_of("app/typed.py", "def ontap_file_system(") + 1
    assert _touched_lines(match, "shape OntapDeploymentType enum value SINGLE_AZ_3 removed") == [
        ("app/typed.py", ontap)
    ]
    # MULTI_AZ_2 is passed, not MULTI_AZ_3: in an operation called, on no value passed.
    assert "shape OntapDeploymentType enum value MULTI_AZ_3 removed" in _untouched(match)


def test_waiter_paginator_and_operation_touch_their_calls(
    downgrade_1_44: tuple[CheckResult, UsageMatch],
) -> None:
    _result, match = downgrade_1_44
    wait = line_of("app/network.py", 'get_waiter("health_check_source_created")')
    assert _touched_lines(
        match, "waiter HealthCheckSourceCreated.maxAttempts changed: 100 -> 40"
    ) == [("app/network.py", wait)]
    pages = line_of("app/network.py", 'get_paginator("list_resource_record_set_changes")')
    for description in (
        "paginator ListResourceRecordSetChanges removed",
        "operation ListResourceRecordSetChanges removed",
    ):
        assert _touched_lines(match, description) == [("app/network.py", pages)]


def test_findings_on_operations_not_called_touch_nothing(
    downgrade_1_44: tuple[CheckResult, UsageMatch],
) -> None:
    result, match = downgrade_1_44
    assert _touched_lines(match, "operation GetHostedZoneChangeBatch removed") == []
    assert "operation GetHostedZoneChangeBatch removed" not in _untouched(match)
    assert len(match.touching) + len(match.untouched) + match.elsewhere == len(result.gated)
    assert match.elsewhere > len(match.touching)


def test_a_response_key_only_a_read_reaches(
    downgrade_1_20: tuple[CheckResult, UsageMatch],
) -> None:
    _result, match = downgrade_1_20
    read = line_of("app/clients.py", "job = client.describe_auto_ml_job(")
    assert _touched_lines(match, "member AutoMLCandidate.CandidateProperties removed") == [
        ("app/clients.py", read)
    ]
    (touched,) = [
        touched
        for touched in match.touching
        if touched.finding.record.change.member == "CandidateProperties"
    ]
    assert touched.touches[0].why == "reads response key 'BestCandidate.CandidateProperties'"
    # Removed from the response of an operation called, but never read.
    assert "member DescribeAutoMLJobResponse.PartialFailureReasons removed" in _untouched(match)


def test_only_touching_findings_fail_unless_strict(
    downgrade_1_20: tuple[CheckResult, UsageMatch],
) -> None:
    result, match = downgrade_1_20
    failing = {finding.record.change.description for finding in match.failing(result)}
    assert failing == {"member AutoMLCandidate.CandidateProperties removed"}
    strict = {finding.record.change.description for finding in match.failing(result, strict=True)}
    assert "member DescribeAutoMLJobResponse.PartialFailureReasons removed" in strict
    assert len(result.failing) > len(strict)


def test_calls_are_grouped_by_place_for_line_annotations(
    downgrade_1_44: tuple[CheckResult, UsageMatch],
) -> None:
    _result, match = downgrade_1_44
    places = [call.location for call, _findings in match.by_call]
    assert places == sorted(places)
    assert all(findings for _call, findings in match.by_call)


# A synthetic service: its request's members become required, or go away.


def _document(required: list[str], config_required: list[str]) -> Mapping[str, Any]:
    return {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "example",
            "protocol": "json",
            "serviceFullName": "Example Service",
            "serviceId": "Example",
            "uid": "example-2020-01-01",
        },
        "operations": {
            "DoThing": {
                "name": "DoThing",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "DoThingRequest"},
            }
        },
        "shapes": {
            "DoThingRequest": {
                "type": "structure",
                "required": required,
                "members": {
                    "Name": {"shape": "String"},
                    "Config": {"shape": "Config"},
                },
            },
            "Config": {
                "type": "structure",
                "required": config_required,
                "members": {"A": {"shape": "String"}, "B": {"shape": "String"}},
            },
            "String": {"type": "string"},
        },
    }


def _write_release(
    root: Path, document: Mapping[str, Any], paginators: Mapping[str, Any] | None = None
) -> str:
    folder = root / "example" / "2020-01-01"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(document), encoding="utf-8")
    if paginators is not None:
        text = json.dumps({"pagination": paginators})
        (folder / "paginators-1.json").write_text(text, encoding="utf-8")
    return str(root)


def test_newly_required_members_touch_calls_that_do_not_pass_them(tmp_path: Path) -> None:
    old = _write_release(tmp_path / "old", _document([], []))
    new = _write_release(tmp_path / "new", _document(["Name"], ["B"]))
    code = tmp_path / "code.py"
    code.write_text(
        "import boto3\n"
        "c = boto3.client('example')\n"
        "c.do_thing(Name='n', Config={'A': 'a'})\n"  # 3: lacks Config.B
        "c.do_thing(Config={'A': 'a', 'B': 'b'})\n"  # 4: lacks Name
        "c.do_thing(Name='n')\n"  # 5: passes no Config: B cannot be missing from it
        "c.do_thing(Name='n', **elsewhere)\n",  # 6: may pass anything
        encoding="utf-8",
    )
    _result, match = _check(old, new, code)
    lines = {
        touched.finding.record.change.member: sorted(t.call.location.line for t in touched.touches)
        for touched in match.touching
    }
    assert lines == {"Name": [4, 6], "B": [3, 6]}
    whys = {t.why for touched in match.touching for t in touched.touches}
    assert "does not pass newly required 'Config.B'" in whys
    assert "parameters not visible (**elsewhere is not visible here): may pass 'Name'" in whys


def test_the_match_as_json_is_valid_against_its_schema(
    downgrade_1_44: tuple[CheckResult, UsageMatch],
) -> None:
    result, match = downgrade_1_44
    document = match_to_json(match)
    schema = usage_schema()
    part = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/usage_match"}
    jsonschema.validate(document, part)
    fingerprints = {finding.record.fingerprint for finding in result.gated}
    assert {entry["fingerprint"] for entry in document["touching"]} <= fingerprints
    assert len(document["touching"]) == len(match.touching)
    assert document["elsewhere"] == match.elsewhere


def test_a_removed_paginator_touches_the_paginate_calls_only(tmp_path: Path) -> None:
    paginator = {"DoThing": {"input_token": "Name", "output_token": "Name", "result_key": "X"}}
    old = _write_release(tmp_path / "old", _document([], []), paginators=paginator)
    new = _write_release(tmp_path / "new", _document([], []), paginators={})
    code = tmp_path / "code.py"
    code.write_text(
        "import boto3\n"
        "c = boto3.client('example')\n"
        "c.do_thing(Name='n')\n"
        "for page in c.get_paginator('do_thing').paginate(Name='n'):\n"
        "    pass\n",
        encoding="utf-8",
    )
    _result, match = _check(old, new, code)
    (touched,) = match.touching
    assert touched.finding.record.rule == "paginator.removed"
    assert [(t.call.location.line, t.why) for t in touched.touches] == [
        (4, "paginates: paginator DoThing removed")
    ]
