"""A site's pages are all written again when the code that lays out their documentation changes."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from apidiff.site import pages


def test_the_layout_fingerprint_follows_the_documentation_writers_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = tmp_path / "method_html.py"
    writer.write_text("def method_html(): return '<dl>'\n", encoding="utf-8")
    module = types.ModuleType("apidiff.render.method_html")
    module.__file__ = str(writer)
    monkeypatch.setattr(pages, "_PAGE_WRITERS", (module,))
    before = pages.layout_fingerprint()
    assert pages.layout_fingerprint() == before

    writer.write_text("def method_html(): return '<dl class=\"x\">'\n", encoding="utf-8")
    assert pages.layout_fingerprint() != before


def test_the_documentation_writers_are_the_modules_that_write_it() -> None:
    names = {module.__name__ for module in pages._PAGE_WRITERS}
    assert names == {"apidiff.render.method_html", "apidiff.report.doc_html"}
    assert all(Path(module.__file__ or "").is_file() for module in pages._PAGE_WRITERS)
