"""Try the WhatsApp channel locally: ``python -m adapters.whatsapp.tryout [--app URL]``.

Starts the fake Graph API, prints the ``channels.whatsapp`` section and the environment variables
to start ``csatbot serve`` with, then lets you chat as a WhatsApp user: each line is a message;
``/tap N`` taps button or row N of the last message that had some; ``/as NUMBER`` switches user;
``/quit`` ends. Everything csatbot sends through the fake Graph API is printed as WhatsApp shows it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

import httpx

from adapters.testing import Shown
from adapters.whatsapp.fake import WhatsAppSimulator


def _print(shown: Shown) -> None:
    sys.stdout.write(f"whatsapp> {shown.text}\n")
    for number, button in enumerate(shown.buttons, 1):
        sys.stdout.write(f"  [{number}] {button.label}\n")


async def _chat(sim: WhatsAppSimulator, app_url: str) -> None:
    user, seen = "15550001234", 0
    async with httpx.AsyncClient(base_url=app_url, timeout=30) as app:
        while True:
            line = (await asyncio.to_thread(input, f"{user}> ")).strip()
            if line == "/quit":
                return
            if line.startswith("/as "):
                user, seen = line.removeprefix("/as ").strip(), 0
                continue
            if line.startswith("/tap "):
                with_buttons = [s for s in sim.shown(user) if s.buttons]
                if not with_buttons or not line[5:].strip().isdigit():
                    sys.stdout.write("-- nothing to tap (or not a number)\n")
                    continue
                buttons = with_buttons[-1].buttons
                response = await sim.tap(app, user, buttons[min(int(line[5:]), len(buttons)) - 1])
            elif line:
                response = await sim.say(app, user, line)
            else:
                response = None
            if response is not None and response.status_code != 200:
                sys.stdout.write(f"-- csatbot answered {response.status_code}: {response.text}\n")
            await asyncio.sleep(1.5)  # the outbox sends within a tick
            for shown in sim.shown(user)[seen:]:
                _print(shown)
            seen = len(sim.shown(user))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--app", default="http://127.0.0.1:8000", help="csatbot's address")
    args = parser.parse_args()
    sim = WhatsAppSimulator()
    sim.start()
    try:
        sys.stdout.write("Fake Graph API on " + sim.server.url + "\n\nIn config.yaml, under channels:\n")
        sys.stdout.write("  whatsapp: " + json.dumps(sim.channel_config()) + "\n\nThen start csatbot with:\n")
        env = " ".join(f"{name}={value}" for name, value in sim.environ.items())
        sys.stdout.write(f"  {env} .venv/bin/csatbot serve\n\n")
        input("Press Enter once csatbot is running... ")
        asyncio.run(_chat(sim, args.app))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
