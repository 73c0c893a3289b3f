"""The tests tree mirrors the core: every module of ``bot/`` has a test module of its own.

``bot/x.py`` is tested in ``tests/bot/test_x.py`` and ``bot/config/y.py`` in
``tests/bot/config/test_y.py`` (package ``__init__`` files excepted). A new core module without one
fails here; write its tests rather than an exception to this rule.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "bot"


def expected_test_module(module: Path) -> Path:
    """Where the tests of core module ``module`` live (the same folders under ``tests/``)."""
    relative = module.relative_to(ROOT)
    return ROOT / "tests" / relative.parent / f"test_{relative.name}"


def core_modules() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if p.name != "__init__.py")


def test_the_core_is_found() -> None:
    names = {p.relative_to(CORE).as_posix() for p in core_modules()}
    assert {"engine.py", "service.py", "config/loader.py"} <= names


def test_the_test_module_of_a_core_module_mirrors_its_path() -> None:
    assert expected_test_module(CORE / "config" / "loader.py") == ROOT / "tests/bot/config/test_loader.py"
    assert expected_test_module(CORE / "engine.py") == ROOT / "tests/bot/test_engine.py"


def test_every_core_module_has_a_test_module_of_its_own() -> None:
    missing = [
        f"{module.relative_to(ROOT)}: no {expected_test_module(module).relative_to(ROOT)}"
        for module in core_modules()
        if not expected_test_module(module).is_file()
    ]
    assert not missing, "core modules without a test module of their own:\n" + "\n".join(missing)
