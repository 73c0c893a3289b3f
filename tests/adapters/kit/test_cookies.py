"""One switch makes the web chat's and the console's cookies ``Secure``."""

from __future__ import annotations

import pytest

from adapters.kit.cookies import SECURE_ENV, forced_secure


@pytest.mark.parametrize(
    ("value", "secure"),
    [(None, False), ("", False), ("0", False), ("no", False), ("1", True), ("true", True), (" Yes ", True)],
)
def test_the_switch_reads_the_usual_spellings_of_yes(value: str | None, secure: bool) -> None:
    environ = {} if value is None else {SECURE_ENV: value}
    assert forced_secure(environ) is secure
