"""Direction controls in what customers write (``csatbot.console.bidi``): shown, but each text is an
isolate of its own that opens nothing it does not close, so it cannot reorder the page around it."""

from __future__ import annotations

import random
import re

import pytest
from markupsafe import Markup

from csatbot.console.bidi import EMBEDDINGS, FSI, ISOLATES, PDF, PDI, isolated, shown

from ...conftest import conversation_of, customer_says
from .conftest import Console

RLO, LRE, RLI = "\u202e", "\u202a", "\u2067"


def balanced(text: str) -> bool:
    """Whether every control in ``text`` is closed within it and no closer closes what it did not open:
    innermost pairs are struck out (an isolate's end takes the embeddings left open inside it) until
    none is left, or nothing more can be struck."""
    controls = re.sub(f"[^{EMBEDDINGS}{ISOLATES}{PDF}{PDI}]", "", text)
    pairs = re.compile(f"[{EMBEDDINGS}]{PDF}|[{ISOLATES}][{EMBEDDINGS}]*{PDI}")
    while True:
        fewer = pairs.sub("", controls)
        if fewer == controls:
            return not controls
        controls = fewer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refund \u202egnp.exe", f"{FSI}refund {RLO}gnp.exe{PDF}{PDI}"),
        (f"a{PDI}{RLO}b", f"{FSI}a{RLO}b{PDF}{PDI}"),  # a stray PDI would have ended the isolate early
        (f"{PDF}{PDF}x", f"{FSI}x{PDI}"),
        (f"{RLI}{LRE}x{PDI}y", f"{FSI}{RLI}{LRE}x{PDI}y{PDI}"),  # the PDI closes the embedding inside
        (f"{RLO}a{PDF}b", f"{FSI}{RLO}a{PDF}b{PDI}"),
        (f"{LRE}{RLI}x{PDF}y", f"{FSI}{LRE}{RLI}xy{PDI}{PDF}{PDI}"),  # a PDF cannot leave an isolate
    ],
)
def test_each_control_is_closed_within_the_text(text: str, expected: str) -> None:
    assert isolated(text) == expected


def test_text_without_controls_is_left_as_it_is() -> None:
    for text in ("", "hello", "שלום world 123", "\u200fmarks\u200e are not overrides", "ann\n"):
        assert isolated(text) == text


def test_random_text_always_comes_out_balanced() -> None:
    rng = random.Random(12)
    alphabet = [*EMBEDDINGS, *ISOLATES, PDF, PDI, "a", "ב", " ", "\n"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        out = isolated(text)
        assert balanced(out), repr(text)
        assert out.replace(FSI, "").replace(PDI, "").replace(PDF, "").count("a") == text.count("a")


def test_markup_and_other_values_pass_as_they_are() -> None:
    built = Markup(f"<b>{RLO}</b>")
    assert shown(built) is built and shown(3) == 3 and shown(None) is None
    assert shown(f"x{RLO}") == f"{FSI}x{RLO}{PDF}{PDI}"


async def test_a_customers_override_stays_inside_their_message_on_the_console(console: Console) -> None:
    """A message ending in a right-to-left override: on the conversation page it is one isolate,
    closed, so the page's own text after it reads as it should (it read backwards before)."""
    await customer_says(console.http, "ann", text=f"my order {RLO}is late")
    conversation = await conversation_of(console.http, "ann")
    console.add_user("amy")
    await console.sign_in("amy")
    page = (await console.page(f"/conversations/{conversation}")).text
    assert f"{FSI}my order {RLO}is late{PDF}{PDI}" in page
    assert f"{RLO}is late<" not in page
