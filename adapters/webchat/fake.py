"""The web chat as a :class:`adapters.testing.Simulator`: a customer using the page's JSON API."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

import httpx

from adapters.testing import Button, Shown
from adapters.webchat.sessions import HEADER, IDENTITY_ENV, identity_hash


class WebChatSimulator:
    """Customers of the built-in web chat. It needs no fake platform: csatbot is the platform.

    ``app_url`` must point at a running csatbot (``shown`` reads the chat over HTTP).
    """

    channel = "webchat"
    server = None

    def __init__(self, app_url: str = "") -> None:
        self.app_url = app_url
        # Customers sign in as a site's known users (adapters.webchat.sessions), so ``user`` is theirs.
        self.environ: dict[str, str] = {IDENTITY_ENV: secrets.token_hex(32)}
        self._ids = itertools.count(1)

    def start(self) -> None:
        """Nothing to start."""

    def stop(self) -> None:
        """Nothing to stop."""

    def channel_config(self) -> dict[str, Any]:
        return {"enabled": True}

    def identity(self, user: str) -> dict[str, Any]:
        """The session request a site's page sends for its signed-in ``user`` (token mode)."""
        user_hash = identity_hash(self.environ[IDENTITY_ENV], user)
        return {"user_id": user, "user_hash": user_hash, "cookie": False}

    async def _session(self, app: httpx.AsyncClient, user: str) -> dict[str, str]:
        response = await app.post("/api/webchat/session", json=self.identity(user))
        response.raise_for_status()
        return {HEADER: response.json()["token"]}

    async def say(self, app: httpx.AsyncClient, user: str, text: str) -> httpx.Response:
        headers = await self._session(app, user)
        body = {"text": text, "id": f"sim-{next(self._ids)}"}
        return await app.post("/api/webchat/messages", json=body, headers=headers)

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        survey = next(
            s.raw["prompt"]["survey"]
            for s in reversed(self.shown(user))
            if s.raw.get("prompt", {}).get("step") == button.step
        )
        choice = {"survey": survey, "step": button.step, "value": button.value, "label": button.label}
        body = {"choice": choice, "id": f"sim-{next(self._ids)}"}
        return await app.post("/api/webchat/messages", json=body, headers=await self._session(app, user))

    def shown(self, user: str) -> list[Shown]:
        with httpx.Client(base_url=self.app_url, timeout=10) as http:
            session = http.post("/api/webchat/session", json=self.identity(user))
            session.raise_for_status()
            response = http.get("/api/webchat/messages", headers={HEADER: session.json()["token"]})
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
