"""WeChat Official Account (``wechat``) and WeCom self-built app (``wecom``) channels (wechatpy).

``build_official_account`` and ``build_wecom`` are the factories named in ``adapters.registry``.
"""

from adapters.wechat.channel import WeChatChannel
from adapters.wechat.factory import build_official_account, build_wecom

__all__ = ["WeChatChannel", "build_official_account", "build_wecom"]
