"""What each step of a survey flow looks like on one channel, before it goes live.

The prompts are the engine's own (:meth:`bot.flow.Flow.ask`, what :mod:`bot.engine` sends), drawn by
the channel's real renderer (``adapters/<channel>/render.py``): the preview reads the platform bodies
those functions return (a Telegram ``sendMessage``, a WhatsApp message, a WeChat menu or WeCom card).
The web chat page draws the prompt it receives itself (``adapters/webchat/static/chat.js``); its
preview reads that same prompt the way the page lays it out. Where a channel cannot show the
question as buttons the step says which fallback it gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.config.durations import format_duration
from bot.config.schema import Condition, Config
from bot.flow import Flow, build_flows
from bot.ports import Capabilities
from bot.prompts import AskChoice, AskRating, Prompt, prompt_to_dict
from csatbot.console.i18n import translate

CHANNELS: tuple[str, ...] = ("telegram", "whatsapp", "wechat", "wecom", "webchat")
"""The channels a flow can be previewed on (``wechat``: an Official Account; ``wecom``: a WeCom app)."""
SURVEY_ID = "SURVEYID"
"""A survey id as long as a real one (8 characters): button data is as long as it will be live."""
USER = "CUSTOMER"
WEBCHAT_SKIP = {"en": "Skip this question", "zh": "跳过此题"}
"""The label chat.js puts on an optional question's skip button (it sends the flow's skip word)."""


def capabilities(channel: str) -> Capabilities:
    """What ``channel`` can draw, from its adapter. Each adapter is imported only when its channel
    is asked for (Telegram's pulls in aiogram, seconds of start-up for the command line)."""
    if channel == "telegram":
        from adapters.telegram.render import CAPABILITIES

        return CAPABILITIES
    if channel == "whatsapp":
        from adapters.whatsapp.render import CAPABILITIES as WHATSAPP

        return WHATSAPP
    if channel in ("wechat", "wecom"):
        from adapters.wechat.factory import OFFICIAL_CAPABILITIES, WECOM_CAPABILITIES

        return OFFICIAL_CAPABILITIES if channel == "wechat" else WECOM_CAPABILITIES
    from adapters.webchat.channel import WebChatChannel

    return WebChatChannel.capabilities


class UnknownName(ValueError):
    """A flow, channel or locale that does not exist; the message lists the known ones."""

    def __init__(self, what: str, name: str, known: tuple[str, ...] | list[str]) -> None:
        super().__init__(f"unknown {what} {name!r} (known: {', '.join(known)})")
        self.what, self.name, self.known = what, name, tuple(known)


@dataclass(frozen=True)
class Drawn:
    """One message as the channel draws it.

    ``kind``: ``text`` (nothing to tap), ``keyboard`` (Telegram inline keyboard), ``buttons``
    (WhatsApp reply buttons, web chat buttons), ``list`` (WhatsApp list opened by ``opener``),
    ``menu`` (WeChat menu: one tappable line per row) or ``card`` (WeCom card). ``rows`` are the
    tappable labels, row by row; ``footer`` is what shows under them. ``body`` is the platform body
    exactly as the adapter sends it.
    """

    kind: str
    text: str
    rows: tuple[tuple[str, ...], ...] = ()
    opener: str = ""
    footer: str = ""
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """Something to know about a step or the flow on this channel: a catalogue key
    (``preview.note.<key>``) and its values, in words with :meth:`text`."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return translate(lang, f"preview.note.{self.key}", **self.values)


@dataclass(frozen=True)
class StepPreview:
    """A step: the messages it sends, the fallbacks it gets on the channel, where it goes next."""

    step: str
    type: str
    messages: tuple[Drawn, ...]
    notes: tuple[Note, ...]
    next: str | None
    branches: tuple[tuple[str, str], ...]
    """(condition, step) pairs: ``("≤3", "reason")``."""


@dataclass(frozen=True)
class Use:
    """Something that sends a flow: a trigger (numbered from 1 in config.yaml) or the re-survey."""

    kind: str  # "trigger" or "resurvey"
    index: int
    events: tuple[str, ...]
    delay: str
    channels: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FlowPreview:
    flow: str
    title: str
    channel: str
    locale: str
    uses: tuple[Use, ...]
    notes: tuple[Note, ...]
    steps: tuple[StepPreview, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, each note also in English words (``text``)."""
        data = asdict(self)
        data["notes"] = [{**asdict(n), "text": n.text()} for n in self.notes]
        for step, found in zip(data["steps"], self.steps, strict=True):
            step["notes"] = [{**asdict(n), "text": n.text()} for n in found.notes]
        return data


def flow_uses(config: Config) -> dict[str, list[Use]]:
    """Which triggers (and the re-survey) send each flow; flows nothing sends are absent."""
    uses: dict[str, list[Use]] = {}
    for index, trigger in enumerate(config.triggers, 1):
        channels = tuple(trigger.channels) if trigger.channels is not None else None
        use = Use("trigger", index, tuple(trigger.events), format_duration(trigger.delay), channels)
        uses.setdefault(trigger.survey, []).append(use)
    resurvey = config.tickets.resurvey
    if resurvey is not None:
        uses.setdefault(resurvey.flow, []).append(
            Use("resurvey", 1, ("ticket_resolved",), format_duration(resurvey.delay))
        )
    return uses


def pick(config: Config, flow: str, channel: str, locale: str) -> tuple[Flow, str, str]:
    """The flow, channel and locale (as config.yaml spells it) named; :class:`UnknownName` if not."""
    flows = build_flows(config)
    if flow not in flows:
        raise UnknownName("flow", flow, list(flows))
    if channel not in CHANNELS:
        raise UnknownName("channel", channel, CHANNELS)
    found = next((known for known in config.locales if known.casefold() == locale.casefold()), None)
    if found is None:
        raise UnknownName("locale", locale, config.locales)
    return flows[flow], channel, found


def preview(config: Config, flow_id: str, channel: str, locale: str) -> FlowPreview:
    """Every step of ``flow_id`` as ``channel`` shows it in ``locale`` (see the module docstring)."""
    flow, channel, locale = pick(config, flow_id, channel, locale)
    draw = _DRAW[channel]
    steps = []
    for step_id in flow.steps:  # in config.yaml's order, as the author wrote them
        step = flow.steps[step_id]
        prompt = flow.ask(SURVEY_ID, step_id, locale)
        drawn = tuple(draw(prompt, locale)) if getattr(prompt, "text", "") else ()
        steps.append(
            StepPreview(
                step_id,
                step.type,
                drawn,
                tuple(fallbacks(channel, prompt, drawn)),
                step.next,
                tuple((_condition(b.when), b.next) for b in step.branches),
            )
        )
    title = flow.local(config.surveys[flow_id].title, locale)
    uses = tuple(flow_uses(config).get(flow_id, ()))
    return FlowPreview(
        flow_id, title, channel, locale, uses, tuple(_flow_notes(config, flow, channel, locale)), tuple(steps)
    )


def _condition(when: Condition) -> str:
    parts = []
    if when.min is not None:
        parts.append(f"≥{when.min}")
    if when.max is not None:
        parts.append(f"≤{when.max}")
    if when.options:
        parts.append("/".join(when.options))
    return " ".join(parts)


def fallbacks(channel: str, prompt: Prompt, drawn: tuple[Drawn, ...]) -> list[Note]:
    """What the channel does instead of plain buttons for this question."""
    if not isinstance(prompt, AskRating | AskChoice):
        return []
    caps, n = capabilities(channel), len(prompt.options)
    kinds = {d.kind for d in drawn}
    if kinds <= {"text"}:
        most = max(caps.max_buttons, caps.max_list_rows)
        if n > most:
            return [Note("typed_too_many", {"n": n, "most": most, "channel": channel})]
        return [Note("typed")]
    notes = []
    if "list" in kinds:  # only WhatsApp draws lists
        values = {"buttons": caps.max_buttons, "chars": caps.max_button_label, "n": n}
        notes.append(Note("list", values))
    taps = [label for d in drawn for row in d.rows for label in row]
    if taps[:n] == [str(i) for i in range(1, n + 1)] and [o.label for o in prompt.options] != taps[:n]:
        notes.append(Note("numbered"))
    return notes


def _flow_notes(config: Config, flow: Flow, channel: str, locale: str) -> list[Note]:
    notes = [
        Note("not_on_channel", {"index": use.index, "channel": channel, "channels": ", ".join(use.channels)})
        for use in flow_uses(config).get(flow.id, ())
        if use.channels is not None and channel not in use.channels
    ]
    window = capabilities(channel).window
    if channel == "whatsapp":
        template = config.channels.whatsapp.template
        notes.append(
            Note("template", {"name": template.name, "language": template.language})
            if template is not None
            else Note("no_template")
        )
    elif window is not None:
        notes.append(Note("window", {"hours": f"{window.total_seconds() / 3600:g}", "channel": channel}))
    if flow.remind_after is not None and flow.remind_after < flow.expire_after:
        after = format_duration(flow.remind_after)
        notes.append(Note("remind", {"after": after, "text": flow.text("reminder", locale)}))
    notes.append(Note("expire", {"after": format_duration(flow.expire_after)}))
    return notes


def _telegram(prompt: Prompt, locale: str) -> list[Drawn]:
    from adapters.telegram.render import render

    drawn = []
    for call in render(prompt, USER):
        keyboard = call.params.get("reply_markup", {}).get("inline_keyboard", [])
        rows = tuple(tuple(button["text"] for button in row) for row in keyboard)
        drawn.append(Drawn("keyboard" if rows else "text", call.params["text"], rows, body=dict(call.params)))
    return drawn


def _whatsapp(prompt: Prompt, locale: str) -> list[Drawn]:
    from adapters.whatsapp.render import render

    drawn = []
    for body in render(prompt, USER):
        if body["type"] != "interactive":
            drawn.append(Drawn("text", body["text"]["body"], body=body))
            continue
        interactive = body["interactive"]
        text, action = interactive["body"]["text"], interactive["action"]
        if interactive["type"] == "button":
            labels = tuple(b["reply"]["title"] for b in action["buttons"])
            drawn.append(Drawn("buttons", text, (labels,), body=body))
            continue
        rows = tuple(
            (" — ".join(p for p in (row["title"], row.get("description", "")) if p),)
            for section in action["sections"]
            for row in section["rows"]
        )
        drawn.append(Drawn("list", text, rows, opener=action["button"], body=body))
    return drawn


def _wechat(prompt: Prompt, locale: str) -> list[Drawn]:
    from adapters.wechat.render import official_bodies

    drawn = []
    for body in official_bodies(USER, prompt):
        if body["msgtype"] == "msgmenu":
            menu = body["msgmenu"]
            rows = tuple((item["content"],) for item in menu["list"])
            drawn.append(
                Drawn("menu", menu["head_content"], rows, footer=menu.get("tail_content", ""), body=body)
            )
        else:
            drawn.append(Drawn("text", body["text"]["content"], body=body))
    return drawn


def _wecom(prompt: Prompt, locale: str) -> list[Drawn]:
    from adapters.wechat.render import wecom_bodies

    drawn = []
    for body in wecom_bodies(USER, 1000002, prompt, lambda: "preview"):
        if body["msgtype"] == "template_card":
            card = body["template_card"]
            title = card["main_title"]
            text = "\n".join(p for p in (title.get("title", ""), title.get("desc", "")) if p)
            labels = tuple(b["text"] for b in card["button_list"])
            drawn.append(Drawn("card", text, (labels,), footer=card.get("sub_title_text", ""), body=body))
        else:
            drawn.append(Drawn("text", body["text"]["content"], body=body))
    return drawn


def _webchat(prompt: Prompt, locale: str) -> list[Drawn]:
    """The prompt the page gets (``GET /api/webchat/messages``), laid out as chat.js draws it: the
    text, one button per option (and a skip button on an optional text question), the scale's end
    words, the hint."""
    body = prompt_to_dict(prompt)
    labels = [o["label"] for o in body.get("options", ())]
    if body["type"] == "AskText" and body["optional"] and body["skip_word"]:
        labels.append(WEBCHAT_SKIP["zh" if locale.lower().startswith("zh") else "en"])
    scale = body.get("scale") or {}
    ends = [
        f"{scale[v]} = {scale[k]}" for v, k in (("low", "low_label"), ("high", "high_label")) if scale.get(k)
    ]
    footer = "\n".join(p for p in ("   ".join(ends), body.get("hint", "")) if p)
    return [
        Drawn(
            "buttons" if labels else "text",
            body["text"],
            (tuple(labels),) if labels else (),
            footer=footer,
            body=body,
        )
    ]


_DRAW: dict[str, Callable[[Prompt, str], list[Drawn]]] = {
    "telegram": _telegram,
    "whatsapp": _whatsapp,
    "wechat": _wechat,
    "wecom": _wecom,
    "webchat": _webchat,
}


def as_text(found: FlowPreview) -> str:
    """The preview as the command line prints it (in English)."""
    lines = [f"{found.flow} · {found.title} — {found.channel}, {found.locale}"]
    lines += [f"sent by: {describe_use(use)}" for use in found.uses] or [f"sent by: {describe_use(None)}"]
    lines += [f"note: {note.text()}" for note in found.notes]
    for number, step in enumerate(found.steps, 1):
        lines += ["", f"{number}. {step.step} ({step.type})"]
        for message in step.messages:
            lines += _message_lines(message)
        if not step.messages:
            lines.append("   (nothing is sent)")
        lines += [f"   note: {note.text()}" for note in step.notes]
        goes = [f"{cond} → {to}" for cond, to in step.branches] + ([f"→ {step.next}"] if step.next else [])
        if goes:
            lines.append(f"   next: {'; '.join(goes)}")
    return "\n".join(lines) + "\n"


def describe_use(use: Use | None, lang: str = "en") -> str:
    """What sends a flow, in words (``None``: nothing does)."""
    if use is None:
        return translate(lang, "preview.use.none")
    if use.kind == "resurvey":
        return translate(lang, "preview.use.resurvey", delay=use.delay)
    where = translate(lang, "preview.use.on", channels=", ".join(use.channels)) if use.channels else ""
    events = ", ".join(use.events)
    return translate(
        lang, "preview.use.trigger", index=use.index, events=events, delay=use.delay, where=where
    )


def _message_lines(message: Drawn) -> list[str]:
    lines = [f"   | {line}" for line in message.text.split("\n")]
    if message.kind == "list":
        lines.append(f"   [{message.opener}] opens a list:")
        lines += [f"     - {row[0]}" for row in message.rows]
    elif message.kind == "menu":
        lines += [f"   > {row[0]}" for row in message.rows]
    else:
        lines += ["   " + " ".join(f"[{label}]" for label in row) for row in message.rows]
    lines += [f"   | {line}" for line in message.footer.split("\n") if line]
    return lines


__all__ = [
    "CHANNELS",
    "Drawn",
    "FlowPreview",
    "Note",
    "StepPreview",
    "UnknownName",
    "Use",
    "as_text",
    "describe_use",
    "flow_uses",
    "pick",
    "preview",
]
