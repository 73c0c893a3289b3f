"""``csatbot chat``: talk to the bot as a web chat customer from a terminal or a script."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TextIO

from bot.messages import InboundMessage, Text
from bot.ports import OffsetClock
from bot.prompts import prompt_from_dict
from csatbot.runtime import Runtime

HELP = "commands: /as NAME, /agent TEXT, /resolve, /tick MINUTES, /quit"


class TerminalChat:
    """Runs the service in-process on an offset clock; every stdin line is one action."""

    def __init__(self, runtime: Runtime, clock: OffsetClock, out: Callable[[str], None]) -> None:
        self.rt = runtime
        self.clock = clock
        self.out = out
        self.user = "customer"
        self.seen: dict[str, int] = {}
        self.count = 0

    async def run(self, lines: TextIO) -> None:
        self.out(f"-- chatting as {self.user}; {HELP}")
        for raw in lines:
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            if line.strip() == "/quit":
                break
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
        if result.skip_reason:
            self.out(f"-- conversation {conversation} resolved; no survey: {result.skip_reason}")
        elif result.survey_due_at is not None:
            wait = max(0, round((result.survey_due_at - self.clock.now()).total_seconds() / 60))
            self.out(f"-- conversation {conversation} resolved; survey {result.survey_id} due in {wait} min")

    async def _tick(self, rest: str) -> None:
        try:
            minutes = float(rest)
        except ValueError:
            self.out("-- usage: /tick MINUTES")
            return
        self.clock.advance(timedelta(minutes=minutes))
        for outcome in await self.rt.service.fire_due_timers():
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

        def work(repo: Any) -> list[dict[str, Any]]:
            identity = repo.find_identity("webchat", "", self.user)
            return [] if identity is None else repo.messages_for(identity.id, after)

        for message in await self.rt.store.read(work):
            self.seen[self.user] = message["id"]
            if message["direction"] == "out":
                self.out(format_message(message))


def format_message(message: dict[str, Any]) -> str:
    """``bot> text`` (continuation lines prefixed too), then each choice as ``[id] label``."""
    author = message["author"]
    prefix = "bot> " if author == "bot" else f"{author.replace('agent:', 'agent ')}> "
    data = message.get("prompt")
    prompt = prompt_from_dict(data) if data else None
    text = getattr(prompt, "text", message["text"]) if prompt is not None else message["text"]
    lines = [prefix + part for part in text.split("\n")]
    for option in getattr(prompt, "options", ()):
        lines.append(f"{prefix}[{option.id}] {option.label}")
    hint = getattr(prompt, "hint", "")
    if hint:
        lines.append(prefix + hint)
    return "\n".join(lines)


async def run_chat(config: str, db: str | None, lines: TextIO = sys.stdin) -> None:
    clock = OffsetClock()
    runtime = Runtime(config, db, clock=clock)
    try:
        await TerminalChat(runtime, clock, lambda s: print(s, flush=True)).run(lines)
    finally:
        await runtime.stop()
