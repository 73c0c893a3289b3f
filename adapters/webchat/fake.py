"""The web chat as a :class:`adapters.testing.Simulator`: a customer using the page's JSON API."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from adapters.testing import Button, Shown


class WebChatSimulator:
    """Customers of the built-in web chat. It needs no fake platform: csatbot is the platform.

    ``app_url`` must point at a running csatbot (``shown`` reads the chat over HTTP).
    """

    channel = "webchat"
    server = None

    def __init__(self, app_url: str = "") -> None:
        self.app_url = app_url
        self.environ: dict[str, str] = {}
        self._ids = itertools.count(1)

    def start(self) -> None:
        """Nothing to start."""

    def stop(self) -> None:
        """Nothing to stop."""

    def channel_config(self) -> dict[str, Any]:
        return {"enabled": True}

    async def say(self, app: httpx.AsyncClient, user: str, text: str) -> httpx.Response:
        return await app.post(
            "/api/webchat/messages", json={"user": user, "text": text, "id": f"sim-{next(self._ids)}"}
        )

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        survey = next(
            s.raw["prompt"]["survey"]
            for s in reversed(self.shown(user))
            if s.raw.get("prompt", {}).get("step") == button.step
        )
        choice = {"survey": survey, "step": button.step, "value": button.value, "label": button.label}
        return await app.post(
            "/api/webchat/messages", json={"user": user, "choice": choice, "id": f"sim-{next(self._ids)}"}
        )

    def shown(self, user: str) -> list[Shown]:
        response = httpx.get(f"{self.app_url}/api/webchat/messages", params={"user": user}, timeout=10)
        response.raise_for_status()
        shown = []
        for message in response.json()["messages"]:
            if message["direction"] != "out":
                continue
            prompt = message.get("prompt") or {}
            buttons = tuple(
                Button(option["label"], prompt["step"], option["id"])
                for option in prompt.get("options") or ()
            )
            shown.append(Shown(message["text"], buttons, message))
        return shown
