"""Channel-neutral outbound prompts: what the core asks an adapter to show.

Texts are already localised by the core. Adapters decide how to draw them within their platform's
limits (buttons, lists, menus, numbered text) but never change their meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

ScaleKind = Literal["csat", "nps", "ces"]


@dataclass(frozen=True, slots=True)
class Option:
    """One choice the customer can tap; ``id`` is what comes back in ``ChoicePicked.value``."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Scale:
    """A numeric rating scale with localised anchor words for its ends."""

    kind: ScaleKind
    low: int
    high: int
    low_label: str = ""
    high_label: str = ""

    @property
    def values(self) -> range:
        return range(self.low, self.high + 1)


@dataclass(frozen=True, slots=True)
class Say:
    """Plain text from the bot or an agent."""

    text: str


@dataclass(frozen=True, slots=True)
class AskRating:
    """A rating question; ``options`` carries one button label per scale value, lowest first."""

    survey: str
    step: str
    text: str
    scale: Scale
    options: tuple[Option, ...]
    hint: str = ""


@dataclass(frozen=True, slots=True)
class AskChoice:
    """A single-choice question; ``hint`` tells how to answer by typing."""

    survey: str
    step: str
    text: str
    options: tuple[Option, ...]
    hint: str = ""


@dataclass(frozen=True, slots=True)
class AskText:
    """A free-text question; ``optional`` questions can be skipped with ``skip_word``."""

    survey: str
    step: str
    text: str
    optional: bool = False
    skip_word: str = ""


@dataclass(frozen=True, slots=True)
class End:
    """The survey is over; ``text`` is the closing line (may be empty)."""

    survey: str
    text: str = ""


Prompt = Say | AskRating | AskChoice | AskText | End


def prompt_text(prompt: Prompt) -> str:
    """The prompt as one plain-text message: the fallback every channel can show."""
    match prompt:
        case Say(text=text) | End(text=text):
            return text
        case (
            AskRating(text=text, options=options, hint=hint)
            | AskChoice(text=text, options=options, hint=hint)
        ):
            numbered = _numbered(prompt)
            keys = [str(n) if numbered else o.id for n, o in enumerate(options, 1)]
            lines = [text, *(f"[{key}] {o.label}" for key, o in zip(keys, options, strict=True))]
            if hint:
                lines.append(hint)
            return "\n".join(lines)
        case AskText(text=text):
            return text


def _numbered(prompt: Prompt) -> bool:
    """A choice's hint says "reply with its number": its options show the number a typed digit picks
    (as the web chat page numbers its buttons), not their ids; a yes/no question's stay "yes"/"no"."""
    return isinstance(prompt, AskChoice) and not all(o.id in ("yes", "no") for o in prompt.options)


_PROMPT_TYPES: dict[str, type[Prompt]] = {
    cls.__name__: cls for cls in (Say, AskRating, AskChoice, AskText, End)
}


def prompt_to_dict(prompt: Prompt) -> dict[str, Any]:
    """A JSON-ready dict of ``prompt`` (``type`` names the class); inverse of :func:`prompt_from_dict`."""
    data = asdict(prompt)
    data["type"] = type(prompt).__name__
    return data


def prompt_from_dict(data: Mapping[str, Any]) -> Prompt:
    """Rebuild a prompt stored with :func:`prompt_to_dict`; raises ``ValueError`` on unknown shapes."""
    fields = dict(data)
    kind = fields.pop("type", None)
    cls = _PROMPT_TYPES.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown prompt type {kind!r}")
    if "options" in fields:
        fields["options"] = tuple(Option(**o) for o in fields["options"])
    if "scale" in fields:
        fields["scale"] = Scale(**fields["scale"])
    return cls(**fields)
