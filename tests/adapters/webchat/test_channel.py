"""The web chat channel's long polls: woken by a send, ended by a timeout, and let go at once when
the client hangs up."""

from __future__ import annotations

import asyncio
import time

import pytest

from adapters.webchat.channel import ChatBusy, WebChatChannel


async def test_a_send_wakes_the_wait() -> None:
    channel = WebChatChannel()
    with channel.listening("ann") as event:
        asyncio.get_running_loop().call_later(0.05, channel.notify, "ann")
        started = time.monotonic()
        assert await channel.wait(event, 5) is True
    assert time.monotonic() - started < 1


async def test_a_client_that_hangs_up_frees_its_slot_at_once() -> None:
    channel = WebChatChannel(max_per_user=1)
    gone = asyncio.Event()

    async def hung_up() -> None:
        await gone.wait()

    async def poll() -> bool:
        with channel.listening("ann") as event:
            return await channel.wait(event, 30, hung_up)

    held = asyncio.create_task(poll())
    await asyncio.sleep(0.01)
    assert channel.waiting == 1
    gone.set()
    started = time.monotonic()
    assert await held is False
    assert time.monotonic() - started < 1
    assert (channel.waiting, channel.tracked) == (0, 0)
    with channel.listening("ann"):  # the slot is free again
        pass


@pytest.mark.parametrize("with_gone", [False, True])
async def test_a_quiet_wait_ends_after_its_timeout(with_gone: bool) -> None:
    channel = WebChatChannel()
    never = asyncio.Event()
    with channel.listening("ann") as event:
        started = time.monotonic()
        assert await channel.wait(event, 0.1, never.wait if with_gone else None) is True
    assert 0.1 <= time.monotonic() - started < 1
    assert len(asyncio.all_tasks()) == 1  # nothing left running but the test


async def test_a_closed_channel_returns_at_once_and_starts_nothing() -> None:
    channel = WebChatChannel()
    channel.close()
    started: list[str] = []

    async def gone() -> None:
        started.append("gone")

    with channel.listening("ann") as event:
        assert await channel.wait(event, 30, gone) is True
    assert started == []


async def test_an_address_holds_at_most_its_share_and_a_refused_poll_counts_nothing() -> None:
    channel = WebChatChannel(max_per_address=2)
    with channel.listening("ann", "net-1"), channel.listening("bob", "net-1"):
        with pytest.raises(ChatBusy, match=r"from this address \(at most 2\)") as refused:
            channel.listening("cy", "net-1").__enter__()
        assert refused.value.retry_after == 5
        with channel.listening("cy", "net-2"), channel.listening("dee"):  # another address; loopback
            assert channel.waiting == 4
    assert (channel.waiting, channel.tracked) == (0, 0)
