"""A fake Telegram for tests and local try-outs: the fake Bot API plus users who write and tap.

:class:`TelegramSimulator` builds real ``Update`` JSON for users typing and tapping, posts it to
csatbot's webhook with the secret header, and reads back what :class:`FakeBotApi` was asked to show.

Try it locally: ``python -m adapters.telegram.fake --app http://127.0.0.1:8000`` (see the README).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import httpx

from adapters.telegram import callback
from adapters.telegram.botapi import json_body
from adapters.telegram.fake_api import BOT_USER, TOKEN, Call, FakeBotApi
from adapters.testing import Button, FakeServer, Shown

SECRET = "fake-webhook-secret_0123456789"

__all__ = ["BOT_USER", "SECRET", "TOKEN", "Call", "FakeBotApi", "TelegramSimulator"]


class TelegramSimulator:
    """The fake Telegram and its users (a :class:`adapters.testing.Simulator`)."""

    channel = "telegram"

    def __init__(
        self,
        *,
        token: str = TOKEN,
        secret: str = SECRET,
        path: str = "/webhooks/telegram",
        server: FakeServer | None = None,
    ) -> None:
        """``server``: a running fake server to reuse (its handler and record are reset)."""
        self.api = FakeBotApi(token)
        self._owns_server = server is None
        self.server: FakeServer = server or FakeServer("telegram", self.api)
        self.server.handler = self.api
        self.server.requests.clear()
        self.environ = {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_WEBHOOK_SECRET": secret}
        self.secret = secret
        self.path = path
        self.users: dict[str, dict[str, Any]] = {}
        self._update_ids = itertools.count(900001)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    def start(self) -> None:
        if self._owns_server:
            self.server.start()

    def stop(self) -> None:
        if self._owns_server:
            self.server.stop()

    def channel_config(self) -> dict[str, Any]:
        return {"enabled": True, "path": self.path, "api_base": self.server.url}

    def user(self, name: str, *, language_code: str | None = "en", **fields: Any) -> dict[str, Any]:
        """The Telegram ``User`` for ``name`` (made on first use: a name of digits is the user id,
        any other gets the next free id)."""
        if name not in self.users:
            user_id = int(name) if name.isdigit() else 4242 + len(self.users)
            user = {"id": user_id, "is_bot": False, "first_name": name.capitalize()}
            if language_code is not None:
                user["language_code"] = language_code
            self.users[name] = user | fields
        return self.users[name]

    def chat_id(self, name: str) -> int:
        return int(self.user(name)["id"])

    # -- updates -----------------------------------------------------------------------------------

    def message_update(self, name: str, text: str) -> dict[str, Any]:
        """The ``Update`` Telegram sends when ``name`` types ``text`` in the private chat."""
        user = self.user(name)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "from": user,
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
        return {"update_id": next(self._update_ids), "message": message}

    def callback_update(self, name: str, button: Button) -> dict[str, Any]:
        """The ``Update`` for ``name`` tapping ``button`` on the latest message that showed it."""
        user = self.user(name)
        for message in reversed(self.api.messages(user["id"])):
            markup = self.api.sent_markup(user["id"], message["message_id"]) or {}
            for row in markup.get("inline_keyboard", []):
                for key in row:
                    answer = callback.unpack(key.get("callback_data"))
                    if answer is not None and (answer.step, answer.value) == (button.step, button.value):
                        query = {
                            "id": f"cbq-{next(self._query_ids)}",
                            "from": user,
                            "message": message,
                            "chat_instance": "-8000000000000000000",
                            "data": key["callback_data"],
                        }
                        return {"update_id": next(self._update_ids), "callback_query": query}
        raise LookupError(f"no message to {name} shows a button for {button.step}={button.value}")

    def button_update(self, name: str, chat_id: int, data: str) -> dict[str, Any]:
        """The ``Update`` for ``name`` tapping the button carrying ``data`` on the latest message in
        ``chat_id`` that shows it (any chat: a support team's group too)."""
        for message in reversed(self.api.messages(chat_id)):
            rows = (self.api.sent_markup(chat_id, message["message_id"]) or {}).get("inline_keyboard", [])
            if any(key.get("callback_data") == data for row in rows for key in row):
                query = {
                    "id": f"cbq-{next(self._query_ids)}",
                    "from": self.user(name),
                    "message": message,
                    "chat_instance": "-8000000000000000001",
                    "data": data,
                }
                return {"update_id": next(self._update_ids), "callback_query": query}
        raise LookupError(f"no message in chat {chat_id} shows a button with {data!r}")

    def member_update(self, name: str, status: str) -> dict[str, Any]:
        """The ``my_chat_member`` update Telegram sends when the bot's status in ``name``'s private
        chat changes to ``status``: ``kicked`` (they blocked the bot) or ``member`` (unblocked)."""
        user = self.user(name)

        def member(state: str) -> dict[str, Any]:
            return {"user": dict(BOT_USER), "status": state} | (
                {"until_date": 0} if state == "kicked" else {}
            )

        changed = {
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            "date": int(time.time()),
            "old_chat_member": member("member" if status == "kicked" else "kicked"),
            "new_chat_member": member(status),
        }
        return {"update_id": next(self._update_ids), "my_chat_member": changed}

    async def block(self, app: httpx.AsyncClient, name: str) -> httpx.Response:
        """``name`` blocks the bot: sending to them fails (403) and csatbot is told."""
        self.api.blocked.add(self.chat_id(name))
        return await self.post(app, self.member_update(name, "kicked"))

    async def unblock(self, app: httpx.AsyncClient, name: str) -> httpx.Response:
        self.api.blocked.discard(self.chat_id(name))
        return await self.post(app, self.member_update(name, "member"))

    async def post(
        self, app: httpx.AsyncClient, update: dict[str, Any], *, secret: str | None = None
    ) -> httpx.Response:
        """Deliver ``update`` to csatbot's webhook as Telegram does; carry out a webhook reply."""
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": self.secret if secret is None else secret,
            "Content-Type": "application/json",
        }
        response = await app.post(self.path, content=json_body(update), headers=headers)
        if response.status_code == 200 and response.content:
            reply = response.json()
            if isinstance(reply, dict) and "method" in reply:
                self.api.perform(str(reply["method"]), {k: v for k, v in reply.items() if k != "method"})
        return response

    async def say(self, app: httpx.AsyncClient, user: str, text: str) -> httpx.Response:
        return await self.post(app, self.message_update(user, text))

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        return await self.post(app, self.callback_update(user, button))

    def shown(self, user: str) -> list[Shown]:
        return [_shown(message) for message in self.api.messages(self.chat_id(user))]


def _shown(message: dict[str, Any]) -> Shown:
    buttons = []
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for key in row:
            answer = callback.unpack(key.get("callback_data"))
            if answer is not None:
                buttons.append(Button(key["text"], answer.step, answer.value))
    return Shown(message["text"], tuple(buttons), message)


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - a manual try-out
    """Chat as a Telegram user with a csatbot whose ``channels.telegram.api_base`` is this fake.

    Each line you type is sent as a message; ``#N`` taps button N of the latest keyboard.
    """
    import argparse
    import asyncio
    import sys

    parser = argparse.ArgumentParser(prog="python -m adapters.telegram.fake", description=main.__doc__)
    parser.add_argument("--app", default="http://127.0.0.1:8000", help="csatbot's base URL")
    parser.add_argument("--user", default="ann", help="who you are in the fake Telegram")
    args = parser.parse_args(argv)
    simulator = TelegramSimulator()
    simulator.start()
    out = sys.stdout
    out.write(
        f"fake Bot API on {simulator.server.url}. Start csatbot with, in config.yaml:\n"
        f"  channels:\n    telegram: {{enabled: true, api_base: {simulator.server.url}}}\n"
        + "".join(f"and {name}={value}\n" for name, value in simulator.environ.items())
        + "then type messages; #N taps button N; Ctrl+D ends.\n"
    )
    seen = 0

    async def act(line: str) -> None:
        async with httpx.AsyncClient(base_url=args.app, timeout=30) as app:
            shown = simulator.shown(args.user)
            keys = next((s.buttons for s in reversed(shown) if s.buttons), ())
            if line.startswith("#") and line[1:].isdigit() and 0 < int(line[1:]) <= len(keys):
                response = await simulator.tap(app, args.user, keys[int(line[1:]) - 1])
            else:
                response = await simulator.say(app, args.user, line)
            out.write(f"  (webhook answered {response.status_code})\n")
            await asyncio.sleep(1.5)  # the outbox sends within a tick

    try:
        for line in sys.stdin:
            if line.strip():
                asyncio.run(act(line.strip()))
            shown = simulator.shown(args.user)
            for message in shown[seen:]:
                labels = "  ".join(f"#{i} {b.label}" for i, b in enumerate(message.buttons, 1))
                out.write(f"bot: {message.text}\n" + (f"     {labels}\n" if labels else ""))
            seen = len(shown)
    finally:
        simulator.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
