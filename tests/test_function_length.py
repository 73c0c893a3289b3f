"""No function of the core is longer than :data:`MAX_LINES` lines (issue 18 point 6).

A long function mixes steps that are easier to read, test and change apart. The functions are read
with :mod:`ast` from ``bot/`` and ``storage/`` (not the Alembic revisions, which are written once
and never changed), so nothing is imported to check them. A function's length runs from its ``def``
line to its last line, signature and docstring included, decorators not; a nested function counts
on its own and inside the function around it.

``adapters/`` and ``csatbot/`` are not covered yet: their HTTP routers and wiring still hold longer
functions (``csatbot/report_api.py report_router``, ``csatbot/web.py create_app``...).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "storage")
SKIPPED = (ROOT / "storage" / "migrations",)
MAX_LINES = 40


def _functions(path: Path) -> Iterator[tuple[str, int]]:
    """Each function of ``path`` (methods and nested ones too) and its length in lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, (node.end_lineno or node.lineno) - node.lineno + 1


def _sources() -> list[Path]:
    found = [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if not any(path.is_relative_to(skipped) for skipped in SKIPPED)
    ]
    assert len(found) > 50, f"only {len(found)} files found under {PACKAGES}: is ROOT right?"
    return found


def _too_long(paths: list[Path], root: Path) -> list[str]:
    """``file:function: N lines`` for each function of ``paths`` over :data:`MAX_LINES` lines."""
    return [
        f"{path.relative_to(root)}:{name}: {length} lines"
        for path in paths
        for name, length in _functions(path)
        if length > MAX_LINES
    ]


def test_no_core_function_is_longer_than_40_lines() -> None:
    too_long = _too_long(_sources(), ROOT)
    assert not too_long, (
        f"functions longer than {MAX_LINES} lines; split each into named steps (small private "
        "functions, or a small dataclass for the state they share):\n  " + "\n  ".join(too_long)
    )


def test_the_measure_counts_from_def_to_the_last_line(tmp_path: Path) -> None:
    def function(name: str, lines: int) -> str:
        # A decorator, a three-line signature, a docstring, then the body up to ``lines``.
        body = "".join(f"    x{i} = {i}\n" for i in range(lines - 4))
        return f'@decorator\ndef {name}(\n    a: int,\n) -> None:\n    """Doc."""\n{body}\n\n'

    source = tmp_path / "example.py"
    source.write_text(function("fits", MAX_LINES) + function("one_over", MAX_LINES + 1), encoding="utf-8")
    assert dict(_functions(source)) == {"fits": MAX_LINES, "one_over": MAX_LINES + 1}
    assert _too_long([source], tmp_path) == [f"example.py:one_over: {MAX_LINES + 1} lines"]
