"""A non-editable install must find its templates, bundled models and schemas in the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_carries_templates_models_and_schemas(tmp_path: Path) -> None:
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    subprocess.run(
        [*pip_wheel, "--no-build-isolation", "--wheel-dir", str(tmp_path), str(REPO)], check=True
    )
    (wheel,) = tmp_path.glob("apidiff-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    root = REPO / "templates"
    templates = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    assert {f"apidiff/_data/templates/{name}" for name in templates} <= names
    assert "apidiff/_data/templates/site/static/site.css" in names
    assert "apidiff/_data/models/botocore-1.20.41/provenance.json" in names
    assert "apidiff/_data/models/botocore-1.20.41/sagemaker/2017-07-24/service-2.json.gz" in names
    assert "apidiff/schemas/report.schema.json" in names
    assert "apidiff/schemas/service-model.schema.json" in names
