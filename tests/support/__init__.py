"""What the tests share beyond fixtures: the config builder (:mod:`.config`) and the app harness
(:mod:`.app`).

Conftests keep the fixture names tests use (``write_config``, ``app``, ``make_app``...) and build
them from here; tests import from here with a relative import (``from ...support.config import ...``).
Columns read with raw SQL, alike on both databases: :mod:`.columns`. Fixture types: ``Harness``,
``MakeHarness`` and ``AsAgent`` in ``tests/conftest.py``, ``App`` (an :class:`.app.AppHarness`) in
each channel's conftest, ``Console`` in ``tests/csatbot/console``.
"""
