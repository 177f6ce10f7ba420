"""The source stays readable: no module of src/ over 500 lines (issue 18's goal); split one by concept when it grows."""

from __future__ import annotations

from conftest import ROOT

MAX_LINES = 500


def test_no_module_is_over_500_lines():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in (ROOT / "src").rglob("*.py")}
    assert sizes, "found no source files"
    too_long = {path: n for path, n in sorted(sizes.items()) if n > MAX_LINES}
    assert too_long == {}, f"split these by concept (at most {MAX_LINES} lines each): {too_long}"

