"""``csatbot chat``: talk to the bot as a web chat customer from a terminal or a script.

It runs triage with the configured model when one exists (and says when none does), prints the
triage labels of each message, and says why a survey waits or is not sent (quiet hours, the
throttle, the channel's window).
"""

from __future__ import annotations

import asyncio
import io
import math
import re
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from adapters.strict_json import unstorable
from bot.config import load_config
from bot.messages import InboundMessage, Text
from bot.ports import Classifier, OffsetClock
from bot.prompts import prompt_from_dict, prompt_text
from bot.resolution import survey_outcome
from csatbot.runtime import Runtime
from storage.queries import customer_surveys

HELP = "commands: /as NAME, /agent TEXT, /resolve, /tick MINUTES, /quit"
LONGEST_TICK = 366 * 24 * 60
"""The most minutes one ``/tick`` moves the clock on (a year)."""
_SURVEY_ID = re.compile(r"\bsurvey (\S+)")


class TerminalChat:
    """Runs the service in-process on an offset clock; every stdin line is one action."""

    def __init__(self, runtime: Runtime, clock: OffsetClock, out: Callable[[str], None]) -> None:
        self.rt = runtime
        self.clock = clock
        self.out = out
        self.user = "customer"
        self.seen: dict[str, int] = {}
        self.surveys: set[str] = set()
        self.count = 0

    async def run(self, lines: TextIO) -> None:
        self.out(f"-- chatting as {self.user}; {HELP}")
        for raw in lines:
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            if line.strip() == "/quit":
                break
            if unstorable(line):  # a traceback from the database driver before
                what = "a NUL character" if "\x00" in line else "bytes that are not UTF-8 text"
                self.out(f"-- not taken: the line holds {what}; retype it in a UTF-8 terminal")
                continue
            await self.step(line)

    async def step(self, line: str) -> None:
        """Carry out one input line and print what the bot (or an agent) said."""
        command, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        if command == "/as" and rest:
            self.user = rest
            self.out(f"-- now chatting as {self.user}")
        elif command == "/agent" and rest:
            conversation = await self._conversation()
            if conversation is None:
                self.out("-- no conversation to reply to yet")
            else:
                await self.rt.service.agent_reply(conversation, "support", rest)
        elif command == "/resolve":
            await self._resolve()
        elif command == "/tick":
            await self._tick(rest)
        elif command in ("/as", "/agent"):  # without its NAME or TEXT
            self.out(f"-- usage: {command} {'NAME' if command == '/as' else 'TEXT'}")
        elif command.startswith("/") and command not in ("/start",):
            self.out(f"-- unknown command {command}; {HELP}")
            return
        else:
            self.count += 1
            message = InboundMessage(
                channel="webchat",
                account="",
                user=self.user,
                platform_id=f"chat-{self.clock.now().timestamp()}-{self.count}",
                received_at=self.clock.now(),
                payload=Text(line),
                display_name=self.user,
            )
            await self.rt.service.handle(message)
        await self.rt.dispatcher.deliver_due()
        await self._print_new()

    async def _resolve(self) -> None:
        conversation = await self._conversation(open_only=True)
        if conversation is None:
            self.out("-- no open conversation to resolve")
            return
        result = await self.rt.service.resolve(conversation, "support")
        if result.survey_id is not None:
            self.surveys.add(result.survey_id)
        self.out(f"-- conversation {conversation} resolved; {survey_outcome(result, self.clock.now())}")

    async def _tick(self, rest: str) -> None:
        try:
            minutes = float(rest)
        except ValueError:
            minutes = math.nan
        if not 0 <= minutes <= LONGEST_TICK:  # NaN too; 1e308 minutes overflowed timedelta
            self.out(f"-- usage: /tick MINUTES (0 to {LONGEST_TICK}, a year)")
            return
        self.clock.advance(timedelta(minutes=minutes))
        for outcome in await self.rt.service.fire_due_timers():
            self.surveys.update(_SURVEY_ID.findall(outcome))  # said here: not announced again
            self.out(f"-- {outcome}")

    async def _conversation(self, *, open_only: bool = False) -> int | None:
        def work(repo: Any) -> int | None:
            identity = repo.find_identity("webchat", "", self.user)
            if identity is None:
                return None
            current = repo.open_conversation(identity.id)
            if current is not None or open_only:
                return current.id if current is not None else None
            messages = repo.messages_for(identity.id, 0)
            ids = [m["conversation_id"] for m in messages if m["conversation_id"] is not None]
            return ids[-1] if ids else None

        return await self.rt.store.read(work)

    async def _print_new(self) -> None:
        after = self.seen.get(self.user, 0)

        def work(repo: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            identity = repo.find_identity("webchat", "", self.user)
            if identity is None:
                return [], []
            return repo.messages_for(identity.id, after), customer_surveys(repo.session, identity.customer_id)

        messages, surveys = await self.rt.store.read(work)
        for message in messages:
            self.seen[self.user] = message["id"]
            if message["direction"] == "out":
                self.out(format_message(message))
            elif (found := message.get("classification")) is not None:
                self.out(f"-- triage: {triage_line(found)}")
        for survey in surveys:  # surveys a turn or a timer opened since (an automatic answer's "yes")
            if survey["id"] not in self.surveys:
                self.surveys.add(survey["id"])
                self.out(f"-- {self._survey_news(survey)}")

    def _survey_news(self, survey: dict[str, Any]) -> str:
        if survey["skip_reason"]:
            return f"no survey: {survey['skip_reason']}"
        now = self.clock.now()
        minutes = max(0, round((survey["due_at"] - now).total_seconds() / 60))
        config = self.rt.settings().config
        quiet = config.surveying.quiet_hours
        local = survey["due_at"].astimezone(ZoneInfo(config.timezone))
        waits = quiet is not None and local.time().replace(second=0, microsecond=0) == quiet.end
        return f"survey {survey['id']} due in {minutes} min" + (
            f" (quiet hours until {quiet.end:%H:%M})" if waits and quiet is not None else ""
        )


def triage_line(found: dict[str, Any]) -> str:
    """``password_reset (97%), neutral (88%)``."""
    return (
        f"{found['intent']} ({found['intent_confidence']:.0%}), "
        f"{found['sentiment']} ({found['sentiment_confidence']:.0%})"
    )


def format_message(message: dict[str, Any]) -> str:
    """``bot> text`` (continuation lines prefixed too): a question as every channel's plain-text
    fallback shows it, each choice as ``[number] label`` (``[id]`` for yes and no), then the hint."""
    author = message["author"]
    prefix = "bot> " if author == "bot" else f"{author.replace('agent:', 'agent ')}> "
    data = message.get("prompt")
    text = prompt_text(prompt_from_dict(data)) if data else message["text"]
    return "\n".join(prefix + part for part in text.split("\n"))


async def load_classifier(config: str, out: Callable[[str], None]) -> Classifier | None:
    """The configured triage model, loaded, or ``None`` (saying why) when there is none."""
    from nlu.errors import NluError
    from nlu.runtime import TransformerClassifier, model_is_ready

    nlu = load_config(Path(config)).nlu
    if not model_is_ready(nlu.model_dir):
        out(f"-- triage is off: no model in {nlu.model_dir} (train one: csatbot nlu train)")
        return None
    model = TransformerClassifier(nlu.model_dir, threshold=nlu.threshold)
    try:
        await asyncio.to_thread(model.load)
    except NluError as exc:
        out(f"-- triage is off: the model in {nlu.model_dir} could not be loaded ({exc})")
        return None
    out(f"-- triage is on: model in {nlu.model_dir}")
    return model


async def run_chat(
    config: str, db: str | None, lines: TextIO | None = None, *, start_at: datetime | None = None
) -> None:
    """Chat on ``config`` and ``db`` with ``lines`` (stdin as it is when called, not when imported);
    ``start_at`` moves the clock to that time (to try quiet hours)."""

    def out(line: str) -> None:
        print(line, flush=True)

    clock = OffsetClock()
    if start_at is not None:
        clock.advance(start_at - clock.now())
    classifier = await load_classifier(config, out)
    runtime = Runtime(config, db, clock=clock, classifier=classifier)
    try:
        await TerminalChat(runtime, clock, out).run(lines if lines is not None else _every_byte(sys.stdin))
    finally:
        await runtime.stop()


def _every_byte(stdin: TextIO) -> TextIO:
    """``stdin`` reading a byte that is not UTF-8 as a lone surrogate (which :meth:`TerminalChat.run`
    refuses by line) rather than failing the whole chat with a UnicodeDecodeError."""
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="surrogateescape")
    return stdin
