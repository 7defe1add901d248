"""The oracle fails loudly on a deprecated docutils call, rather than warning in a summary."""

from __future__ import annotations

import warnings
from typing import Any

import botocore.session
import pytest
from docutils.parsers.rst import Parser

from tests.oracle.botocore_docs import document_method


def test_the_oracle_renders_without_deprecation_warnings() -> None:
    model = botocore.session.get_session().get_service_model("sts")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "GetCallerIdentity" in document_method(model, "GetCallerIdentity")


def test_a_deprecated_docutils_call_fails_the_oracle(monkeypatch: pytest.MonkeyPatch) -> None:
    parse = Parser.parse

    def parse_deprecated(self: Parser, text: str, document: Any) -> None:
        warnings.warn("this call goes away in the next docutils", DeprecationWarning, stacklevel=2)
        parse(self, text, document)

    monkeypatch.setattr(Parser, "parse", parse_deprecated)
    model = botocore.session.get_session().get_service_model("sts")
    with pytest.raises(DeprecationWarning, match="goes away"):
        document_method(model, "GetCallerIdentity")
