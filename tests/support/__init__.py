"""What the tests share beyond fixtures: the config builder (:mod:`.config`), the app harness
(:mod:`.app`) and the types of the shared fixtures (:mod:`.types`).

Conftests keep the fixture names tests use (``write_config``, ``app``, ``make_app``...) and build
them from here; tests import from here with a relative import (``from ...support.config import ...``).
"""
