"""What an endpoint carries beyond its URL: how requests to it are signed (its authSchemes)
and the headers it adds, compared where the URL stays, with botocore's own signer as the
oracle: a real client of each rule set signs a request for each parameter set, and its
Authorization header's credential scope is what a change names."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import botocore.session
import pytest
from botocore.awsrequest import AWSPreparedRequest
from botocore.config import Config
from botocore.exceptions import EndpointVariantError, MissingDependencyException
from botocore.stub import Stubber

from apidiff.diff.change import Change
from apidiff.diff.endpoints import EndpointCase, diff_endpoints, endpoint_cases
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel
from apidiff.sources import PackageIndex
from tests.diff.test_endpoints import ROUTE53, _model, _partitions, _rules, _with_rules

# --- botocore signs a request


class _StoppedBeforeSendingError(Exception):
    """Raised by `before-send` with the request botocore signed: nothing leaves the test."""


def _stop_before_sending(request: AWSPreparedRequest, **_: Any) -> None:
    raise _StoppedBeforeSendingError(request)


class Signed(NamedTuple):
    url: str
    scope: str  # the credential scope's region/service, "cn-north-1/iam"
    headers: dict[str, str]


_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


class BotocoreSigner:
    """Real botocore clients of one model under one rule set, asked to sign a request: a
    call of `method`, an operation without required parameters."""

    def __init__(
        self,
        model: ServiceModel,
        rules: dict[str, Any],
        data_dir: Path,
        method: str = "list_hosted_zones",
    ) -> None:
        folder = data_dir / model.name / model.api_version
        folder.mkdir(parents=True)
        (folder / "service-2.json").write_text(json.dumps(model.document), encoding="utf-8")
        (folder / "endpoint-rule-set-1.json").write_text(json.dumps(rules), encoding="utf-8")
        self._name = model.name
        self._method = method
        self._session = botocore.session.Session()
        self._session.get_component("data_loader").search_paths.insert(0, str(data_dir))

    def can_sign(self, case: EndpointCase) -> bool:
        """Whether botocore makes a client of `case` at all: it refuses dual-stack where its
        own endpoints.json has no dual-stack variant (EndpointVariantError)."""
        try:
            with self.client(case):
                return True
        except EndpointVariantError:
            return False

    @contextmanager
    def client(self, case: EndpointCase) -> Iterator[Any]:
        """A client configured as `case` says (region, FIPS, dual-stack, custom endpoint)."""
        parameters = dict(case.parameters)
        client = self._session.create_client(
            self._name,
            region_name=str(parameters["Region"]),
            endpoint_url=str(parameters["Endpoint"]) if "Endpoint" in parameters else None,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=Config(
                use_fips_endpoint=bool(parameters.get("UseFIPS", False)),
                use_dualstack_endpoint=bool(parameters.get("UseDualStack", False)),
            ),
        )
        client.meta.events.register("before-send", _stop_before_sending)
        try:
            yield client
        finally:
            client.close()

    def sign(self, case: EndpointCase) -> Signed:
        with self.client(case) as client:
            try:
                getattr(client, self._method)()
            except _StoppedBeforeSendingError as sent:
                request: AWSPreparedRequest = sent.args[0]
        authorization = request.headers["Authorization"]
        if isinstance(authorization, bytes):
            authorization = authorization.decode()
        found = _SCOPE.search(authorization)
        assert found, authorization
        headers = {str(name).lower(): _text(value) for name, value in request.headers.items()}
        return Signed(str(request.url), f"{found[1]}/{found[2]}", headers)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


# --- IAM in China (botocore 1.43.63 -> 1.43.64), cut down onto route53's bundled model
#
# 1.43.64 gave IAM's China FIPS endpoint, https://iam-fips.amazonaws.com.cn, a rule of its
# own signing in cn-north-1; before, the FIPS rule of every partition signed it in the
# partition's home region (`{PartitionResult#implicitGlobalRegion}`, cn-northwest-1). The
# URL stayed.

_CHINA_FIPS_URL = "https://iam-fips.amazonaws.com.cn"


def _china_rules(properties: dict[str, Any], headers: dict[str, Any] | None = None) -> Any:
    partition = {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
    in_china = {
        "fn": "stringEquals",
        "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]}, "aws-cn"],
    }
    fips = {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, True]}
    flag = {"required": True, "default": False, "type": "Boolean"}
    return {
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": False, "type": "String"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", **flag},
        },
        "rules": [
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}, partition],
                "rules": [
                    {
                        "conditions": [in_china, fips],
                        "endpoint": {
                            "url": _CHINA_FIPS_URL,
                            "properties": properties,
                            "headers": headers or {},
                        },
                        "type": "endpoint",
                    },
                    {
                        "conditions": [],
                        "endpoint": {
                            "url": "https://iam.{Region}.{PartitionResult#dnsSuffix}",
                            "properties": {},
                            "headers": {},
                        },
                        "type": "endpoint",
                    },
                ],
                "type": "tree",
            }
        ],
    }


def _iam_model() -> ServiceModel:
    """route53's bundled model named as IAM is for signing (its endpoint prefix and signing
    name), so botocore signs as it signs IAM."""
    route53 = _model(ROUTE53[1], ROUTE53[2])
    metadata = {**route53.document["metadata"], "endpointPrefix": "iam", "signingName": "iam"}
    return dataclasses.replace(route53, document={**route53.document, "metadata": metadata})


def _pair(
    old_properties: dict[str, Any],
    new_properties: dict[str, Any],
    new_headers: dict[str, Any] | None = None,
) -> tuple[ServiceModel, ServiceModel]:
    model = _iam_model()
    old = _with_rules(model, _china_rules(old_properties))
    return old, _with_rules(model, _china_rules(new_properties, new_headers))


def _sigv4(**properties: Any) -> dict[str, Any]:
    return {"authSchemes": [{"name": "sigv4", **properties}]}


def _signers(
    old: ServiceModel, new: ServiceModel, tmp_path: Path, method: str = "list_hosted_zones"
) -> tuple[BotocoreSigner, BotocoreSigner]:
    return (
        BotocoreSigner(old, _rules(old), tmp_path / "old", method),
        BotocoreSigner(new, _rules(new), tmp_path / "new", method),
    )


def assert_signing_changes_are_botocores(
    old: ServiceModel, new: ServiceModel, tmp_path: Path, method: str = "list_hosted_zones"
) -> list[Change]:
    """Each parameter set of the matrix whose URL botocore keeps and whose credential scope
    it changes is counted by exactly one ENDPOINT_AUTH_CHANGED, which names botocore's
    signing region and name on each side; returns those changes. Parameter sets botocore
    makes no client of (see `can_sign`) may be counted too, and are not signed."""
    old_signer, new_signer = _signers(old, new, tmp_path, method)
    matrix = endpoint_cases(_rules(old), _rules(new), _partitions(new), (old, new))
    cases = {case.text: case for case in matrix}
    signable = [case for case in matrix if new_signer.can_sign(case)]
    differing = 0
    for case in signable:
        before, after = old_signer.sign(case), new_signer.sign(case)
        differing += before.url == after.url and before.scope != after.scope
    changes = [c for c in diff_endpoints(old, new) if c.kind is ChangeKind.ENDPOINT_AUTH_CHANGED]
    shown = 0
    for change in changes:
        text, _, more = str(change.aspect).partition(" (and ")
        case = cases[text]
        for signer, said in ((old_signer, change.old), (new_signer, change.new)):
            if case in signable:
                region, name = signer.sign(case).scope.split("/")
                assert f"signingName={name}" in said and f"signingRegion={region}" in said
        shown += 1 + (int(more.split()[0]) if more else 0)
    assert differing <= shown <= differing + len(matrix) - len(signable)
    return changes


def test_a_new_signing_region_for_the_same_url_is_an_auth_change_as_botocore_signs(
    tmp_path: Path,
) -> None:
    old, new = _pair(
        _sigv4(signingRegion="{PartitionResult#implicitGlobalRegion}"),
        _sigv4(signingRegion="cn-north-1"),
    )

    changes = assert_signing_changes_are_botocores(old, new, tmp_path)

    assert changes
    assert all(
        change.kind is ChangeKind.ENDPOINT_AUTH_CHANGED for change in diff_endpoints(old, new)
    )
    first = changes[0]
    assert "UseFIPS=true" in str(first.aspect)
    assert first.description.startswith(f"endpoint for {first.aspect} signed as sigv4 (")
    assert "signingRegion=cn-north-1" in str(first.new)


# What botocore signs with where the endpoint states nothing: the model's signing name, and
# the credential scope botocore's endpoints.json gives IAM in China (cn-north-1).
@pytest.mark.parametrize(
    "stated", [_sigv4(signingName="iam"), _sigv4(signingRegion="cn-north-1")], ids=str
)
def test_an_auth_scheme_spelling_out_what_botocore_signs_with_anyway_is_no_change(
    stated: dict[str, Any], tmp_path: Path
) -> None:
    # As support 1.44.6 did, stating its signing where it had stated none.
    old, new = _pair({}, stated)

    assert diff_endpoints(old, new) == []
    assert assert_signing_changes_are_botocores(old, new, tmp_path) == []


def test_a_change_of_signing_seen_in_many_regions_is_one_change_per_pattern() -> None:
    old, new = _pair(_sigv4(signingRegion="{Region}"), _sigv4(signingRegion="{Region}"))
    renamed = _with_rules(new, _china_rules(_sigv4(signingName="iam2", signingRegion="{Region}")))

    changes = diff_endpoints(old, renamed)

    # Every China region with FIPS on: one change, counting the others.
    (change,) = changes
    assert change.kind is ChangeKind.ENDPOINT_AUTH_CHANGED
    assert "more parameter sets" in str(change.aspect)
    assert "signingName=iam2" in str(change.new) and "signingName=iam," in str(change.old)


def test_sigv4a_for_the_same_url_is_an_auth_change_botocore_cannot_sign_without_awscrt(
    tmp_path: Path,
) -> None:
    from botocore.compat import HAS_CRT

    old, new = _pair(_sigv4(signingRegion="cn-north-1"), {})
    new = _with_rules(
        new,
        _china_rules({"authSchemes": [{"name": "sigv4a", "signingRegionSet": ["*"]}]}),
    )

    changes = diff_endpoints(old, new)

    assert changes and {change.kind for change in changes} == {ChangeKind.ENDPOINT_AUTH_CHANGED}
    assert all(str(change.new).startswith("sigv4a (") for change in changes)
    if HAS_CRT:
        pytest.skip("awscrt is installed: botocore signs sigv4a")
    # What the rule's advice says of a boto3 caller, and of a stubbed test: the scheme is
    # chosen before the call is stubbed or sent.
    case = next(
        c
        for c in endpoint_cases(_rules(old), _rules(new), _partitions(new))
        if str(changes[0].aspect).startswith(c.text)
    )
    signer = BotocoreSigner(new, _rules(new), tmp_path)
    with signer.client(case) as client, Stubber(client) as stubber:
        stubber.add_response(
            "list_hosted_zones",
            {"HostedZones": [], "Marker": "", "IsTruncated": False, "MaxItems": "1"},
        )
        with pytest.raises(MissingDependencyException):
            client.list_hosted_zones()


def test_headers_an_endpoint_adds_for_the_same_url_are_a_headers_change(tmp_path: Path) -> None:
    scheme = _sigv4(signingRegion="cn-north-1")
    old, new = _pair(scheme, scheme, {"x-amz-example": ["a", "b"]})

    changes = diff_endpoints(old, new)

    (change,) = changes
    assert change.kind is ChangeKind.ENDPOINT_HEADERS_CHANGED
    assert (change.old, change.new) == ("none", "x-amz-example: a, b")
    assert (
        change.description
        == f"endpoint for {change.aspect} headers changed: none -> x-amz-example: a, b"
    )
    # botocore sends the header on the new rule set's requests only.
    case = EndpointCase((("Region", "cn-north-1"), ("UseFIPS", True)))
    old_signer, new_signer = _signers(old, new, tmp_path)
    assert "x-amz-example" not in old_signer.sign(case).headers
    # botocore sends the first value of each (`EndpointRulesetResolver.construct_endpoint`).
    assert new_signer.sign(case).headers["x-amz-example"] == "a"


def test_a_changed_url_is_an_endpoint_change_whatever_its_signing() -> None:
    old, new = _pair({}, _sigv4(signingRegion="cn-north-1"))
    moved = _with_rules(
        new,
        json.loads(json.dumps(_rules(new)).replace(_CHINA_FIPS_URL, "https://iam.fips.example.cn")),
    )

    kinds = {change.kind for change in diff_endpoints(old, moved)}

    assert kinds == {ChangeKind.ENDPOINT_CHANGED}


# --- the real pairs


@pytest.mark.network
def test_iam_1_43_64_signs_its_china_fips_endpoint_in_cn_north_1(tmp_path: Path) -> None:
    index = PackageIndex.from_environment()
    old = _model("botocore==1.43.63", "iam", index)
    new = _model("botocore==1.43.64", "iam", index)

    changes = assert_signing_changes_are_botocores(old, new, tmp_path, "list_users")

    assert changes
    for change in changes:
        assert "UseFIPS=true" in str(change.aspect)
        assert "signingRegion=cn-north-1" in str(change.new)
        assert "signingRegion=cn-north-1" not in str(change.old)


@pytest.mark.network
def test_support_1_44_6_states_the_signing_botocore_used_and_changes_none(
    tmp_path: Path,
) -> None:
    # Its authSchemes text changed (signingName dropped, schemes added where there were
    # none) for endpoints whose URL stayed; botocore signs each of them alike.
    index = PackageIndex.from_environment()
    old = _model("botocore==1.44.5", "support", index)
    new = _model("botocore==1.44.6", "support", index)

    kinds = {change.kind for change in diff_endpoints(old, new)}

    assert kinds == {ChangeKind.ENDPOINT_CHANGED}
    assert assert_signing_changes_are_botocores(old, new, tmp_path, "describe_services") == []
