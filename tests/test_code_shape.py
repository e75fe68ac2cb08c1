"""The shape the README promises the next engineer: small modules, short functions, and checks that
read the model, never the file."""

from __future__ import annotations

import ast

from pipeline.checks.run import check
from pipeline.config import SiteConfig
from pipeline.read.handout import read_handout

from .conftest import ROOT, SOURCE_DIR


def test_no_module_is_over_400_lines_and_no_function_over_60():
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, path
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno < 60, f"{path.relative_to(ROOT)}: {node.name}"


def test_the_checks_read_the_model_and_never_the_file(tmp_path):
    """A report made after the source is gone is the report of what was read: the same handout the PDF was made from."""
    source = tmp_path / "kratom.md"
    source.write_bytes((SOURCE_DIR / "kratom-pain-relief.md").read_bytes())
    handout = read_handout(source, SiteConfig())
    expected = check(handout, SiteConfig()).as_json()
    source.unlink()
    assert check(handout, SiteConfig()).as_json() == expected and expected["findings"]
