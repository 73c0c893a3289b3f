"""Try the WeChat / WeCom channel by hand: ``python -m adapters.wechat [--wecom] [--plain]``.

Starts the fake platform API, prints the ``channels`` section and environment variables to start
csatbot with, then lets you chat as a follower (or WeCom member): each line you type is posted as
a signed callback; ``#N`` taps item N of the latest menu or card. Ctrl+D ends.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

import httpx
import yaml

from adapters.testing import Shown
from adapters.wechat.fake import WeChatSimulator, WeComSimulator


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> None:  # pragma: no cover - manual
    parser = argparse.ArgumentParser(prog="python -m adapters.wechat", description=__doc__)
    parser.add_argument("--wecom", action="store_true", help="a WeCom app instead of an Official Account")
    parser.add_argument("--plain", action="store_true", help="Official Account in plain (unencrypted) mode")
    parser.add_argument("--app", default="http://127.0.0.1:8000", help="csatbot's base URL")
    parser.add_argument("--user", default="o6_bmjrPTlm6_2sgVt7hMZOPfL2M", help="your OpenID / userid")
    args = parser.parse_args(argv)
    sim = WeComSimulator() if args.wecom else WeChatSimulator(safe_mode=not args.plain)
    sim.start()
    section = yaml.safe_dump({"channels": {sim.channel: sim.channel_config()}}, sort_keys=False)
    variables = "".join(f"  export {name}={value}\n" for name, value in sim.environ.items())
    out.write(
        f"Fake {sim.channel} API on {sim.server.url}. Start csatbot with this in config.yaml:\n\n{section}\n"
        f"and these environment variables:\n{variables}\n"
        "Then type messages; #N taps item N of the latest menu or card; Ctrl+D ends.\n"
    )
    seen = 0
    try:
        for line in sys.stdin:
            if line.strip():
                status = asyncio.run(_act(sim, args.app, args.user, line.strip()))
                out.write(f"  (callback answered {status})\n")
            shown = sim.shown(args.user)
            for message in shown[seen:]:
                out.write(_draw(message))
            seen = len(shown)
    finally:
        sim.stop()


async def _act(sim: WeChatSimulator | WeComSimulator, app_url: str, user: str, line: str) -> int:
    async with httpx.AsyncClient(base_url=app_url, timeout=30) as app:
        latest = next((s.buttons for s in reversed(sim.shown(user)) if s.buttons), ())
        number = line[1:]
        if line.startswith("#") and number.isdigit() and 0 < int(number) <= len(latest):
            response = await sim.tap(app, user, latest[int(number) - 1])
        else:
            response = await sim.say(app, user, line)
        await asyncio.sleep(1.5)  # the outbox sends within a tick
        return response.status_code


def _draw(message: Shown) -> str:
    lines = [f"bot> {line}" for line in message.text.splitlines()]
    lines += [f"     #{n} {button.label}" for n, button in enumerate(message.buttons, 1)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    main()
