"""Notifications to support teams: rendering each stored notice for its target's platform and sending
it within the target's rate limit (:mod:`adapters.notify.sender`).

One module per platform renders (pure) and maps the platform's answers to typed errors in one
function: :mod:`~adapters.notify.slack`, :mod:`~adapters.notify.wecom_robot`,
:mod:`~adapters.notify.feishu`, :mod:`~adapters.notify.webhook`; Telegram groups go through the bot
(:mod:`adapters.telegram.group`). :mod:`adapters.notify.fake` serves those platforms on 127.0.0.1.
"""
