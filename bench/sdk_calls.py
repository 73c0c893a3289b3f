"""CPU per outgoing channel call: csatbot's Bot API and Graph API clients beside the paths they replaced.

    python bench/sdk_calls.py                    # about two minutes on 2 busy cores
    python bench/sdk_calls.py --calls 300 --rounds 8 --json var/bench/sdk_calls.json

Each call goes over HTTP to the fake platform API (``adapters/*/fake*.py``) served by uvicorn in a
thread of this process, so the CPU counted (``time.thread_time`` of the event loop's thread) is the
client's alone: building the request, the HTTP exchange on a kept-alive connection, reading the
answer. Paths, each going first in turn from round to round, ``--calls`` calls each per round:

* **before** (the modules as they were at ``--before``, loaded from git): Telegram's aiogram method
  object built from the same parameters and sent by ``aiogram.Bot`` through csatbot's former
  ``HttpxSession`` (form fields dumped from the model, the answer validated into aiogram types
  through ``Response[T]``); WhatsApp's former ``GraphApi`` (httpx's ``json=``). Both on an
  ``httpx.AsyncClient``, like the app's shared one.
* **new client on httpx**: :class:`adapters.telegram.botapi.BotApi` (the ``Call``'s JSON posted
  once, ``message_id`` / ``ok`` read from the answer) and :class:`adapters.whatsapp.graph.GraphApi`
  on that same ``httpx.AsyncClient``: what the request objects cost, apart from the transport.
* **new client on aiohttp (now)**: the same on :class:`adapters.poster.Poster`, as the adapters run.

Rows: Telegram's ``sendMessage`` with a five-star keyboard, ``editMessageText`` and
``answerCallbackQuery``, WhatsApp's text message, and (not compared, context) the floor of each
transport: one bare ``httpx`` and one bare ``aiohttp`` POST of a small body. Printed: the median
CPU ms per call over the rounds, and now / before (the median of the rounds' ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp  # aiogram's transport (a dependency of aiogram): only the floor row uses it
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.poster import Answer, Poster  # noqa: E402
from adapters.telegram.botapi import BotApi, Call, message_id, send_message  # noqa: E402
from adapters.telegram.fake_api import TOKEN, FakeBotApi  # noqa: E402
from adapters.testing import FakeServer  # noqa: E402
from adapters.whatsapp.fake import API_VERSION, PHONE_NUMBER_ID, FakeGraphApi  # noqa: E402
from adapters.whatsapp.graph import GraphApi  # noqa: E402

BEFORE_REVISION = "36d0a8f"
"""The main branch before these clients: Telegram through aiogram's ``Bot`` and ``HttpxSession``,
WhatsApp's ``GraphApi`` on the app's httpx client."""
BEFORE = "before"
ON_HTTPX = "new client on httpx"
NOW = "new client on aiohttp (now)"
CONTEXT = "context"
GRAPH_TOKEN = "bench-graph-token"
CHAT = 4242
KEYBOARD = {
    "inline_keyboard": [
        [{"text": "⭐" * v, "callback_data": f"a:AbCdEfGh:q1:{v}"} for v in range(1, 6)],
        [
            {"text": "1 · very dissatisfied", "callback_data": "a:AbCdEfGh:q1:1"},
            {"text": "5 · very satisfied", "callback_data": "a:AbCdEfGh:q1:5"},
        ],
    ]
}
QUESTION = "How satisfied are you with the help you received?"
Path_ = Callable[[], Awaitable[Any]]


def former(path: str, revision: str) -> ModuleType:
    """Module ``path`` as it was at ``revision`` (``git show``), loaded under another name."""
    source = subprocess.run(
        ["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    name = "former_" + path.replace("/", "_").removesuffix(".py")
    file = Path(tempfile.mkdtemp()) / f"{name}.py"
    file.write_text(source)
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path} at {revision}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class HttpxPoster(Poster):
    """The :class:`Poster` interface on the app's shared ``httpx.AsyncClient`` (what ``BotApi`` used
    first), to tell the request objects' cost from the transport's."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        super().__init__()
        self.http = http

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float | None = None
    ) -> Answer:
        response = await self.http.post(url, content=body, headers=headers, timeout=timeout or self.timeout)
        return Answer(response.status_code, response.headers, response.content)


class Telegram:
    """The Telegram paths against one fake Bot API; each call's parameters as csatbot sends them."""

    def __init__(self, http: httpx.AsyncClient, url: str, revision: str) -> None:
        from aiogram import Bot
        from aiogram.client.telegram import TelegramAPIServer

        self.apis = {
            ON_HTTPX: BotApi(HttpxPoster(http), TOKEN, url),
            NOW: BotApi(Poster(), TOKEN, url),
        }
        session = former("adapters/telegram/session.py", revision).HttpxSession(
            http, TelegramAPIServer.from_base(url)
        )
        self.bot = Bot(TOKEN, session=session)
        self.edited = 0

    async def aclose(self) -> None:
        for api in self.apis.values():
            await api.aclose()

    def _edit(self) -> Call:
        self.edited += 1  # a new text each time: an unchanged one is refused ("not modified")
        return Call.of("editMessageText", chat_id=CHAT, message_id=101, text=f"{QUESTION} {self.edited}")

    def calls(self) -> dict[str, dict[str, Path_]]:
        """Per method, per path: one call, as a coroutine function."""
        from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

        async def old_send() -> int:
            method = SendMessage.model_validate(send_message(CHAT, QUESTION, KEYBOARD).params)
            return (await self.bot(method)).message_id

        async def old_edit() -> Any:
            return await self.bot(EditMessageText.model_validate(self._edit().params))

        answer = Call.of("answerCallbackQuery", callback_query_id="cbq-1")
        old = {
            "sendMessage (5-star keyboard)": old_send,
            "editMessageText": old_edit,
            "answerCallbackQuery": lambda: self.bot(AnswerCallbackQuery.model_validate(answer.params)),
        }
        paths: dict[str, dict[str, Path_]] = {name: {BEFORE: call} for name, call in old.items()}
        for label, api in self.apis.items():
            paths["sendMessage (5-star keyboard)"][label] = functools.partial(self._send, api)
            paths["editMessageText"][label] = functools.partial(self._new_edit, api)
            paths["answerCallbackQuery"][label] = functools.partial(api.call, answer)
        return paths

    @staticmethod
    async def _send(api: BotApi) -> int:
        return message_id(await api.call(send_message(CHAT, QUESTION, KEYBOARD)))

    async def _new_edit(self, api: BotApi) -> int:
        return message_id(await api.call(self._edit()))


class WhatsApp:
    """WhatsApp's Graph ``send`` before (the former ``GraphApi`` on httpx's ``json=``) and now."""

    def __init__(self, http: httpx.AsyncClient, url: str, revision: str) -> None:
        base = f"{url}/{API_VERSION}"
        before = former("adapters/whatsapp/graph.py", revision).GraphApi(http, base, GRAPH_TOKEN)
        self.apis = {BEFORE: before, ON_HTTPX: GraphApi(HttpxPoster(http), base, GRAPH_TOKEN)}
        self.apis[NOW] = GraphApi(Poster(), base, GRAPH_TOKEN)

    async def aclose(self) -> None:
        await self.apis[ON_HTTPX].aclose()
        await self.apis[NOW].aclose()

    def calls(self) -> dict[str, dict[str, Path_]]:
        text = {
            "messaging_product": "whatsapp",
            "to": "15550001111",
            "type": "text",
            "text": {"body": QUESTION},
        }
        return {
            "WhatsApp messages (text)": {
                label: functools.partial(api.send, PHONE_NUMBER_ID, text) for label, api in self.apis.items()
            }
        }


def floor_calls(http: httpx.AsyncClient, aio: aiohttp.ClientSession, telegram_url: str) -> dict[str, Path_]:
    """Calls that are not compared: the floor of each transport, one bare POST of a small body."""
    url = f"{telegram_url}/bot{TOKEN}/answerCallbackQuery"
    body = b'{"callback_query_id":"cbq-1"}'
    headers = {"content-type": "application/json"}

    async def bare_aiohttp() -> bytes:
        async with aio.post(url, data=body, headers=headers) as response:
            return await response.read()

    async def bare_httpx() -> bytes:
        return (await http.post(url, content=body, headers=headers)).content

    return {"floor: bare httpx POST": bare_httpx, "floor: bare aiohttp POST": bare_aiohttp}


async def cpu_ms(call: Path_, count: int) -> float:
    """CPU ms of this thread per call, over ``count`` calls one after another."""
    started = time.thread_time()
    for _ in range(count):
        await call()
    return (time.thread_time() - started) / count * 1000


async def measure(
    calls: int, rounds: int, warmup: int, revision: str = BEFORE_REVISION
) -> dict[str, dict[str, list[float]]]:
    """CPU ms per call of every path, per round: ``{call: {path: [ms, ...]}}``."""
    fake = FakeServer("telegram", FakeBotApi()).start()
    graph = FakeServer("whatsapp", FakeGraphApi(GRAPH_TOKEN)).start()
    try:
        async with httpx.AsyncClient(timeout=30) as http, aiohttp.ClientSession() as aio:
            telegram, whatsapp = Telegram(http, fake.url, revision), WhatsApp(http, graph.url, revision)
            floors = floor_calls(http, aio, fake.url)
            timed = (
                telegram.calls() | whatsapp.calls() | {name: {CONTEXT: call} for name, call in floors.items()}
            )
            for paths in timed.values():
                for call in paths.values():
                    await cpu_ms(call, warmup)
            results: dict[str, dict[str, list[float]]] = {
                name: {label: [] for label in paths} for name, paths in timed.items()
            }
            for round_ in range(rounds):
                for name, paths in timed.items():
                    order = list(paths.items())
                    shift = round_ % len(order)  # each path goes first in turn
                    for label, call in order[shift:] + order[:shift]:
                        results[name][label].append(await cpu_ms(call, calls))
                print(f"round {round_ + 1}/{rounds} done", file=sys.stderr)
            await telegram.aclose()
            await whatsapp.aclose()
    finally:
        fake.stop()
        graph.stop()
    return results


def table(results: dict[str, dict[str, list[float]]]) -> str:
    """Median CPU ms per call of each path, and the median of the rounds' ratios to before."""
    labels = [BEFORE, ON_HTTPX, NOW]
    lines = [
        "| call | " + " | ".join(f"{label} CPU ms" for label in labels) + f" | {NOW} / before |",
        "|---|" + "---|" * (len(labels) + 1),
    ]
    for name, paths in results.items():
        if CONTEXT in paths:
            cells = ["", "", f"{statistics.median(paths[CONTEXT]):.3f}", "(context)"]
        else:
            ratios = [new / old for old, new in zip(paths[BEFORE], paths[NOW], strict=True)]
            cells = [f"{statistics.median(paths[label]):.3f}" for label in labels]
            cells.append(f"{statistics.median(ratios):.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per path per round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--json", type=Path, help="write the per-round CPU ms here too")
    parser.add_argument("--before", default=BEFORE_REVISION, help="the git revision of the before paths")
    args = parser.parse_args()
    results = asyncio.run(measure(args.calls, args.rounds, args.warmup, args.before))
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
