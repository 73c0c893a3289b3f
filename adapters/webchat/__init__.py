"""The built-in web chat: a JSON API for customers and the demo page served at ``/``."""

from adapters.webchat.api import webchat_router
from adapters.webchat.channel import WebChatChannel

__all__ = ["WebChatChannel", "webchat_router"]
