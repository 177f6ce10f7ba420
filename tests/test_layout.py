"""The source stays readable (issue 18's goals): no module of src/ over 500 lines, split by concept when one grows;
no function-local import of sitroom's own modules but an optional extra's."""

from __future__ import annotations

import ast

from conftest import ROOT

MAX_LINES = 500


def test_no_module_is_over_500_lines():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in (ROOT / "src").rglob("*.py")}
    assert sizes, "found no source files"
    too_long = {path: n for path, n in sorted(sizes.items()) if n > MAX_LINES}
    assert too_long == {}, f"split these by concept (at most {MAX_LINES} lines each): {too_long}"



# Imports of sitroom's own modules inside a function hide the dependency graph; the one allowed kind
# is an optional extra, which must fail with its install command where it is not installed.
OPTIONAL_EXTRA_IMPORTS = {("sitroom/cli/ingest.py", "sitroom.runners.dask")}


def _function_local_imports(path) -> list[tuple[str, int]]:
    """(module, line) of each import of a sitroom module made inside a function of `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.level > 0 or (inner.module or "").startswith("sitroom")):
                found.append(("." * inner.level + (inner.module or ""), inner.lineno))
            elif isinstance(inner, ast.Import):
                found += [(alias.name, inner.lineno) for alias in inner.names if alias.name.startswith("sitroom")]
    return found


def test_no_function_imports_sitroom_modules_except_optional_extras():
    hidden = {(path.relative_to(ROOT / "src").as_posix(), module, line)
              for path in (ROOT / "src").rglob("*.py") for module, line in _function_local_imports(path)}
    hidden = {h for h in hidden if h[:2] not in OPTIONAL_EXTRA_IMPORTS}
    assert hidden == set(), f"import these at the top of their module (or break the cycle that stops it): {sorted(hidden)}"


def test_the_import_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import sitroom.model\n\ndef f():\n    from sitroom.extract import nlp\n    from .cache import x\n    import json\n")
    assert _function_local_imports(module) == [("sitroom.extract", 4), (".cache", 5)]
