"""document_method against the reference page, and the rendering choices behind it."""

from __future__ import annotations

import gzip
import json
from typing import Any

import botocore.model
import pytest
from botocore.docs.bcdoc.restdoc import DocumentStructure

from apidiff.render.html_text import html_to_text_lines
from apidiff.report import method_docs
from apidiff.report.method_docs import document_method
from tests.conftest import FIXTURES, MODELS

REFERENCE = FIXTURES / "reference" / "sagemaker-2021-03-30.txt"
SAGEMAKER_1_20_41 = MODELS / "botocore-1.20.41" / "sagemaker" / "2017-07-24" / "service-2.json.gz"
# The updated methods of the reference page, in its order.
REFERENCE_METHODS = ("DescribeAutoMLJob", "ListAutoMLJobs", "ListCandidatesForAutoMLJob")


@pytest.fixture(scope="module")
def sagemaker() -> botocore.model.ServiceModel:
    document = json.loads(gzip.decompress(SAGEMAKER_1_20_41.read_bytes()))
    return botocore.model.ServiceModel(document, "sagemaker")


def reference_blocks() -> dict[str, list[str]]:
    """Each method's documentation on the reference page: the lines after its delta line."""
    blocks: list[list[str]] = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("{'"):
            blocks.append([])
        elif blocks:
            blocks[-1].append(line)
    assert len(blocks) == len(REFERENCE_METHODS)
    return dict(zip(REFERENCE_METHODS, blocks, strict=True))


def text_lines(model: botocore.model.ServiceModel, operation: str) -> list[str]:
    return html_to_text_lines(document_method(model, operation))


def one_operation_model(
    output_members: dict[str, Any],
    documentation: str = "<p>Gets a thing.</p>",
    shapes: dict[str, Any] | None = None,
    **output_traits: Any,
) -> botocore.model.ServiceModel:
    """A model with one operation, Get, whose output has the given members."""
    return botocore.model.ServiceModel(
        {
            "metadata": {
                "apiVersion": "2020-01-01",
                "endpointPrefix": "example",
                "protocol": "rest-json",
                "serviceFullName": "Example Service",
                "serviceId": "Example",
                "uid": "example-2020-01-01",
            },
            "operations": {
                "Get": {
                    "name": "Get",
                    "http": {"method": "GET", "requestUri": "/"},
                    "output": {"shape": "GetOutput"},
                    "documentation": documentation,
                }
            },
            "shapes": {
                "String": {"type": "string"},
                "Payload": {"type": "blob", "streaming": True},
                "GetOutput": {"type": "structure", "members": output_members, **output_traits},
                **(shapes or {}),
            },
        },
        "example",
    )


@pytest.mark.parametrize("operation", REFERENCE_METHODS)
def test_reference_methods_match_word_for_word(
    sagemaker: botocore.model.ServiceModel, operation: str
) -> None:
    expected = " ".join(reference_blocks()[operation]).split()
    assert " ".join(text_lines(sagemaker, operation)).split() == expected


@pytest.mark.parametrize("operation", REFERENCE_METHODS)
def test_reference_methods_match_line_for_line(
    sagemaker: botocore.model.ServiceModel, operation: str
) -> None:
    assert text_lines(sagemaker, operation) == reference_blocks()[operation]


def test_inline_code_before_punctuation_keeps_the_reference_space(
    sagemaker: botocore.model.ServiceModel,
) -> None:
    # The model says "<code>Gzip</code> or <code>None</code>."; botocore 1.20 wrote a space
    # after inline markup, and the reference shows it.
    lines = text_lines(sagemaker, "DescribeAutoMLJob")
    assert "You can use Gzip or None . The default value is None ." in lines


def test_field_names_stay_in_the_html(sagemaker: botocore.model.ServiceModel) -> None:
    html = document_method(sagemaker, "DescribeAutoMLJob")
    assert '<dl class="field-list' in html
    assert "<dt>param AutoMLJobName" in html
    assert "<dt>rtype" in html
    assert "<dt>returns" in html


def test_html_is_a_body_fragment(sagemaker: botocore.model.ServiceModel) -> None:
    html = document_method(sagemaker, "ListAutoMLJobs")
    assert html.startswith("<p>Request a list of jobs.</p>")
    for tag in ("<html", "<head", "<body", "<style", "<link"):
        assert tag not in html


def test_every_bundled_operation_renders_without_docutils_errors(
    sagemaker: botocore.model.ServiceModel,
) -> None:
    for operation in sagemaker.operation_names:
        html = document_method(sagemaker, operation)
        assert "problematic" not in html, operation
        assert "system-message" not in html, operation


def test_unknown_sphinx_roles_render_as_their_text() -> None:
    model = one_operation_model(
        {"Name": {"shape": "String"}},
        documentation=(
            "<p>Call :py:meth:`~S3.Client.get_object` with a :py:class:`boto3.session.Session`, "
            "as :ref:`the guide &lt;guide-label&gt;` says.</p>"
        ),
    )
    html = document_method(model, "Get")
    assert ":py:" not in html
    assert "problematic" not in html
    assert '<span class="xref py-meth">get_object</span>' in html
    assert html_to_text_lines(html)[0] == (
        "Call get_object with a boto3.session.Session, as the guide says."
    )


def test_roles_botocore_writes_render_as_their_text() -> None:
    # botocore types a streaming payload as ":class:`.StreamingBody`".
    model = one_operation_model({"Body": {"shape": "Payload"}}, payload="Body")
    assert "Body (StreamingBody) --" in text_lines(model, "Get")


def test_rendering_is_deterministic(sagemaker: botocore.model.ServiceModel) -> None:
    first = document_method(sagemaker, "DescribeAutoMLJob")
    document_method(sagemaker, "ListCandidatesForAutoMLJob")
    assert document_method(sagemaker, "DescribeAutoMLJob") == first


def test_unknown_operation_is_botocore_error(sagemaker: botocore.model.ServiceModel) -> None:
    with pytest.raises(botocore.model.OperationNotFoundError):
        document_method(sagemaker, "NoSuchOperation")


def documented_members(count: int) -> dict[str, Any]:
    return {
        f"Member{i}": {"shape": "String", "documentation": f"<p>Member <code>{i}</code>.</p>"}
        for i in range(count)
    }


def test_sections_over_botocore_line_limits_are_replaced() -> None:
    lines = text_lines(one_operation_model(documented_members(2000)), "Get")
    too_large = (
        "# This section is too large to render."
        " # Please see the AWS API Documentation linked below."
    )
    assert lines.count(too_large) == 2
    assert "Member1999 (string) --" not in lines


# With one documented string member each, the response structure passes botocore's 5,000-line
# limit at 714 members and the response syntax its 1,500-line limit at 1,492.
@pytest.mark.parametrize("members", [1, 713, 714, 715, 1491, 1492, 1493, 3000])
def test_discarding_what_botocore_would_discard_changes_nothing(
    members: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = one_operation_model(documented_members(members))
    discarding = document_method(model, "Get")
    for name in ("add_new_section", "include_doc_string"):
        monkeypatch.setattr(method_docs._MethodDocument, name, getattr(DocumentStructure, name))
    assert document_method(model, "Get") == discarding


def test_documentation_of_discarded_sections_is_not_converted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    converted: list[str] = []
    convert = DocumentStructure.include_doc_string

    def counting(section: DocumentStructure, doc_string: str) -> None:
        converted.append(doc_string)
        convert(section, doc_string)

    monkeypatch.setattr(DocumentStructure, "include_doc_string", counting)
    document_method(one_operation_model(documented_members(2000)), "Get")
    # The operation's own text, then members until the response structure passes 5,000 lines.
    assert 700 < len(converted) < 800


def test_enum_longer_than_docutils_line_limit_is_rendered() -> None:
    # botocore writes an enum on one line of the syntax: EC2's InstanceType is 17,800 characters.
    values = [f"size{i:05}.xlarge" for i in range(1000)]
    model = one_operation_model(
        {"Size": {"shape": "Size"}}, shapes={"Size": {"type": "string", "enum": values}}
    )
    lines = text_lines(model, "Get")
    assert "Response Syntax" in lines
    assert lines[lines.index("Response Syntax") + 1].count("xlarge") == 1000
