"""SIGTERM while sends are in flight (a deploy, ``docker stop``, systemd): the server finishes the
platform calls under way and records them, without going on through each customer's queue, and what
it had not sent yet goes out after the restart: every message once, in order, nothing lost.

Before, the shutdown closed the channels' HTTP clients first: every call in flight was cut, and
went out again after the restart (5 of 5 here, each after WhatsApp's 30 s wait for a status).

Bounded: 5 customers with 4 messages each, every send answered 2.5 s late, one stop and one restart.
"""

from __future__ import annotations

import time
from pathlib import Path

from adapters.whatsapp.fake import WhatsAppSimulator

from .processes import ServeProcess
from .test_crash import delivered, enqueue, migrate, whatsapp_config

CUSTOMERS = 5
EACH = 4
LATE = 2.5  # seconds each send waits for the fake's answer


def test_sigterm_mid_send_loses_nothing_and_sends_nothing_twice(tmp_path: Path, database_url: str) -> None:
    sim = WhatsAppSimulator()
    sim.start()
    sim.api.delays.extend([LATE] * (CUSTOMERS * EACH * 2))
    config = whatsapp_config(tmp_path, sim)
    migrate(database_url)
    enqueue(database_url, sim, CUSTOMERS, EACH)
    server = ServeProcess(
        config,
        database_url,
        tmp_path / "serve.log",
        env={**sim.environ, "CSATBOT_SECRET_KEY": "sigterm-test-key-0123456789abcdef"},
    )
    try:
        server.start()
        sim.confirm_to(server.url)
        deadline = time.monotonic() + 30
        while not sim.api.accepted and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(LATE / 2)  # the first calls are waiting for their answers
        in_flight = len(sim.api.accepted)
        stopping = time.monotonic()
        server.stop()
        stop_took = time.monotonic() - stopping
        assert server.process is not None
        exit_code = server.process.returncode
        before_restart = len(delivered(sim))
        server.start()
        restarted = time.monotonic()
        while len(set(delivered(sim))) < CUSTOMERS * EACH and time.monotonic() - restarted < 90:
            time.sleep(0.1)
        all_took = time.monotonic() - restarted
        time.sleep(1)
    finally:
        server.stop()
        sim.stop()
    sent = delivered(sim)
    print(
        f"\n{in_flight} calls in flight at SIGTERM; stopped in {stop_took:.1f} s (exit {exit_code}); "
        f"{before_restart} sent before the restart, all {len(set(sent))} {all_took:.1f} s after it; "
        f"duplicates {len(sent) - len(set(sent))}"
    )
    assert stop_took < 3 * LATE  # the call in flight, not the 3 behind it (4 * LATE before)
    assert sorted(sent) == sorted(f"c{c} #{seq}" for c in range(CUSTOMERS) for seq in range(EACH))
    for c in range(CUSTOMERS):
        assert [t for t in sent if t.startswith(f"c{c} ")] == [f"c{c} #{seq}" for seq in range(EACH)]
