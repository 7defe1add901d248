"""The notes' Jinja environment keeps its compiled templates in apidiff's cache: a second
process renders from them exactly what a compile gives, and a cache that cannot be used
costs a compile, never a failure."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from apidiff.classify import Perspective
from apidiff.classify.rules import RULES
from apidiff.render.environment import environment

TEMPLATES = ("kinds.txt.j2", "kinds.md.j2")


def _fresh_environment(cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> jinja2.Environment:
    # A new process's environment: the one of this process is made once and kept.
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(cache_root))
    return environment.__wrapped__()  # type: ignore[attr-defined, no-any-return]


def _render(env: jinja2.Environment, name: str) -> str:
    return env.get_template(name).render(rules=RULES, perspectives=list(Perspective))


def _compiled_files(cache_root: Path) -> list[Path]:
    return sorted(path for path in cache_root.rglob("*") if path.is_file())


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_template_compiled_once_is_read_back_and_renders_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    first = _fresh_environment(tmp_path, monkeypatch)
    expected = _render(first, name)
    assert _compiled_files(tmp_path), "nothing was written to the cache"

    second = _fresh_environment(tmp_path, monkeypatch)

    def no_compiling(*args: object, **kwargs: object) -> object:
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(second, "compile", no_compiling)
    assert _render(second, name) == expected


def test_a_cache_that_cannot_be_written_costs_a_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file where the cache folder would go: nothing can be created beneath it.
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    expected = _render(_fresh_environment(tmp_path / "elsewhere", monkeypatch), "kinds.txt.j2")

    assert _render(_fresh_environment(blocked, monkeypatch), "kinds.txt.j2") == expected
    assert blocked.read_text() == "not a folder"


def test_a_damaged_compiled_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _render(_fresh_environment(tmp_path, monkeypatch), "kinds.txt.j2")
    (compiled,) = _compiled_files(tmp_path)
    # Jinja's header and the source's checksum, then a cut-off code object.
    compiled.write_bytes(compiled.read_bytes()[:60])

    assert _render(_fresh_environment(tmp_path, monkeypatch), "kinds.txt.j2") == expected
    assert len(compiled.read_bytes()) > 60, "the damaged file was not written over"


def test_the_folder_changes_with_the_environments_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _render(_fresh_environment(tmp_path, monkeypatch), "kinds.txt.j2")
    (compiled,) = _compiled_files(tmp_path)
    # templates/<fingerprint of Jinja's version and environment.py>/<Jinja's file>
    assert compiled.parent.parent == tmp_path / "templates"
    assert len(compiled.parent.name) == 16
