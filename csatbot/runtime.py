"""Wires the app together: config (reloaded on change), database, channels, service, workers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import socket
import ssl
import stat
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from adapters.base import AdapterContext, ChannelAdapter
from adapters.http import RateLimits, SharedBuckets
from adapters.notify.sender import build_notifier
from adapters.registry import build_adapters
from adapters.webchat import WebChatChannel
from adapters.webchat.sessions import IDENTITY_ENV
from adapters.webhook import HttpWebhookPoster
from bot import redaction
from bot.config import Config, parse_config, read_config_text
from bot.config.channels import missing_secrets as channel_secrets
from bot.config.loader import MAX_CHARS
from bot.config.notifications import missing_secrets as target_secrets
from bot.delivery import Dispatcher
from bot.errors import ConfigError, SecretMissingError
from bot.leases import Leases
from bot.ports import Channel, Classifier, Clock, SystemClock
from bot.service import ConversationService
from bot.settings import MessagingWindow, Settings
from bot.tracing import begin_trace, end_trace, new_trace_id
from csatbot.access import TOKEN_ENV as API_TOKEN_ENV
from csatbot.alarm import Alarm
from csatbot.console.sessions import SECRET_ENV as CONSOLE_SECRET_ENV
from csatbot.inbox import InboxRunner
from csatbot.metrics import METRICS_TOKEN, Metrics
from csatbot.triage_model import BackgroundModel
from storage import SqlStore, config_snapshots, open_database
from storage import digest as digest_store
from storage.backlog import Backlog, backlog
from storage.db import is_unreachable
from storage.migrate import upgrade
from storage.rates import SqlRates

log = logging.getLogger("csatbot")

RESCAN_SECONDS = 1.0
"""How often the workers check for work other processes queued (on SQLite: two ``stat`` calls)."""
CONFIG_CHECK_SECONDS = 2.0
NOT_A_FILE = "not a regular file"
"""The fingerprint of a config path naming a FIFO, a device or a folder (see ``Runtime._fingerprint``)."""


FIXED_SECRETS = (API_TOKEN_ENV, CONSOLE_SECRET_ENV, IDENTITY_ENV, METRICS_TOKEN, "DATABASE_URL")


def secret_names(config: Config) -> list[str]:
    """Every environment variable that holds a secret: each channel's (enabled or not), each
    notification target's URL and signing secret, and csatbot's own."""
    names = [*FIXED_SECRETS]
    for name in config.channels.names():
        names += getattr(config.channels, name).secrets
    for target in config.notifications.targets.values():
        names += [n for n in (target.url_env, target.secret_env) if n]
    return names


def unreadable_secrets(config: Config, environ: Mapping[str, str]) -> list[str]:
    """One problem per secret variable whose value is not UTF-8 (``os.environ`` keeps such bytes as
    lone surrogates): comparing or signing with it failed on every request, a 500 each time."""
    return [
        f"the environment variable {name} is not UTF-8 text: set it again as UTF-8 text, or unset it"
        for name in dict.fromkeys(secret_names(config))
        if not _is_utf8(environ.get(name, ""))
    ]


def _is_utf8(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def refuse_missing_secrets(config: Config, environ: Mapping[str, str]) -> None:
    """:class:`SecretMissingError` naming each variable an enabled channel or notification target
    needs and ``environ`` lacks, and each secret variable that is not UTF-8, as a start with
    ``config`` would refuse."""
    problems = unreadable_secrets(config, environ)
    problems += channel_secrets(config.channels, environ) + target_secrets(config.notifications, environ)
    if problems:
        raise SecretMissingError(problems)


def refuse_special_file(path: Path) -> None:
    """:class:`ConfigError` when ``path`` names a FIFO, a device or a folder: a reload would wait on a
    FIFO for a writer, or read a device without end (a missing file is left to the reader to name)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise ConfigError(
            [f"{path} is not a regular file (a FIFO, a device or a folder): make it a file"], source=str(path)
        )


def sqlite_files(url: str) -> list[Path]:
    """A SQLite database's file and its write-ahead log (empty for other databases): when neither
    changed, no other process has queued work."""
    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or name in ("", ":memory:"):
        return []
    return [Path(name), Path(f"{name}-wal")]


def database_password(url: str) -> str | None:
    try:
        password = make_url(url).password
        return str(password) if password else None
    except Exception:  # not a URL we can parse: nothing to hide
        return None


def share_rate_limits(adapters: Mapping[str, ChannelAdapter], buckets: SharedBuckets) -> None:
    """Every channel's rate limits, kept in the database: all processes share one budget per bot
    token, WhatsApp number or WeChat account (their platform limits are per that, not per process)."""
    for name, adapter in adapters.items():
        limits = getattr(adapter, "limits", None) or getattr(
            getattr(adapter, "platform", None), "limits", None
        )
        account = getattr(adapter, "account", "") or getattr(
            getattr(adapter, "config", None), "phone_number_id", ""
        )
        if isinstance(limits, RateLimits):
            limits.share(buckets, f"{name}:{account or 'default'}")


class Pump:
    """Runs ``work`` now, or once more right after the current run if one is in progress."""

    def __init__(self, name: str, work: Callable[[], Awaitable[Any]]) -> None:
        self.name = name
        self.work = work
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.closed = False

    def kick(self) -> None:
        if self.closed:
            return  # shutting down: no new run may start while the database is being closed
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            self._again = False
            token = begin_trace(new_trace_id(self.name))  # the id on every line this run logs
            try:
                await self.work()
            except Exception as exc:
                # A worker is an edge: log and go on; the rows stay and the next run retries them.
                if is_unreachable(exc):
                    log.warning("%s run skipped: the database is unreachable (%s)", self.name, exc)
                else:
                    log.exception("%s run failed", self.name)
            finally:
                end_trace(token)
            if not self._again:
                return

    async def drain(self) -> None:
        """Wait for the current run (if any) to finish."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """What httpx verifies servers with by default (certifi's roots, or $SSL_CERT_FILE), loaded once
    per process rather than for each client (40 ms each)."""
    return httpx.create_ssl_context()


class Runtime:
    """Everything one csatbot process runs."""

    def __init__(
        self,
        config_path: str | Path = "config.yaml",
        database_url: str | None = None,
        *,
        clock: Clock | None = None,
        classifier: Classifier | None = None,
        http: httpx.AsyncClient | None = None,
        tick_seconds: float = RESCAN_SECONDS,
        environ: Mapping[str, str] | None = None,
        telegram_polling: bool = False,
        triage_model: bool = False,
        train_if_missing: bool = False,
        await_model: bool = False,
        worker_id: str | None = None,
    ) -> None:
        """``triage_model`` loads the configured model (``nlu.model_dir``) in the background, and
        ``train_if_missing`` trains it first when there is none (``csatbot serve`` does both);
        ``await_model`` waits for another process to train it instead (``serve --workers``).
        ``worker_id`` names this process's leases; one that stays the same across restarts (``csatbot
        serve`` uses the host name and port) lets a restarted process take its own work back at once.
        ``tick_seconds`` is how often the timer and outbox workers check for work other processes
        queued, or a test's clock reached (:class:`csatbot.alarm.Alarm`: they sleep until the next
        due time, and wake when this process writes a timer); tests with a fake clock pass a short
        one."""
        self.config_path = Path(config_path)
        self._loaded = self._fingerprint()
        self._windows: dict[str, MessagingWindow] = {}
        self.clock: Clock = clock or SystemClock()
        self.database = open_database(database_url)
        upgrade(self.database)
        self.config_error: ConfigError | None = None
        """Why config.yaml on disk does not load (the console shows it on every page); ``None``: it does."""
        self._settings = Settings.from_config(self._first_config())
        self.metrics = Metrics(self.backlog_now, self.clock)
        self.store = SqlStore(self.database, self.metrics)
        self.http = http or httpx.AsyncClient(verify=tls_context())
        self.webchat = WebChatChannel()
        self.closing = False
        """The server is shutting down: streams that stay open (the console's live queue) end now."""
        self.channels: dict[str, Channel] = {"webchat": self.webchat}
        self.leases = Leases(worker_id or f"{socket.gethostname()}-{os.getpid()}")
        self.dispatcher = Dispatcher(
            self.store,
            self.channels,
            HttpWebhookPoster(self.http),
            self.clock,
            meter=self.metrics,
            leases=self.leases,
        )
        self.outbox = Pump("outbox", partial(self.dispatcher.deliver_due, wait=False))
        self.dispatcher.wake = self.outbox.kick
        self.store.handoff = self.dispatcher  # what a unit of work queues goes out from here at once
        self.model: BackgroundModel | None = None
        self.train_if_missing = train_if_missing
        self.await_model = await_model
        if classifier is None and triage_model:
            nlu = self._settings.config.nlu
            self.model = BackgroundModel(Path(nlu.model_dir), nlu.threshold, self.config_path, self.metrics)
            classifier = self.model
        self.service = ConversationService(
            self.store,
            self.settings,
            self.clock,
            classifier=classifier,
            wake=self.outbox.kick,
            meter=self.metrics,
            leases=self.leases,
        )
        if self.model is not None:
            self.model.on_ready = self.service.triage_backlog
            self.model.on_unavailable = self._without_model
        self.timers = Pump("timers", self.service.fire_due_timers)
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        """Where secrets come from (the process environment unless given)."""
        if unreadable := unreadable_secrets(self._settings.config, self.environ):
            self.database.dispose()
            raise SecretMissingError(unreadable)
        redaction.protect(redaction.secrets_in(self.environ, secret_names(self._settings.config)))
        redaction.protect([database_password(self.database.url)])
        self.adapters: dict[str, ChannelAdapter] = {}
        self.inbox = InboxRunner(
            self.database, self.clock, self.leases.worker, self.adapters, self.environ, wake=self._inbox_kick
        )
        self.inbox_pump = Pump("inbox", self.inbox.run)
        context = AdapterContext(
            self.service, self.clock, self.http, self.settings, self.environ, inbox=self.inbox.intake
        )
        overrides = {"telegram": {"enabled": True, "polling": True}} if telegram_polling else None
        try:
            self.adapters.update(build_adapters(context, overrides))
            self.notifier = build_notifier(context, self.adapters.get("telegram"))
        except BaseException:
            self.database.dispose()  # the process will not start: leave no open database behind
            raise
        self.channels.update(self.adapters)
        rates = SqlRates(self.database)
        share_rate_limits(self.adapters, rates)
        self.notifier.pacer.share(rates)  # notification targets' limits too
        self.dispatcher.notifier = self.notifier
        for name, adapter in self.adapters.items():
            caps = adapter.capabilities
            if caps.window is not None:
                self._windows[name] = MessagingWindow(caps.window, caps.reopens_window)
        self._settings = Settings.from_config(self._settings.config, self._windows)
        self.tick_seconds = tick_seconds
        self.alarm = Alarm(
            self.store,
            self.clock,
            self.timers.kick,
            self.outbox.kick,
            longest=tick_seconds,
            shortest=min(1.0, tick_seconds),
            files=sqlite_files(self.database.url),
            inbox=self.inbox_pump.kick,
        )
        self._scheduler: AsyncIOScheduler | None = None
        self._watching: asyncio.Task[None] | None = None
        self._closing_config = asyncio.Event()
        self._keeping: asyncio.Task[None] | None = None

    def _without_model(self) -> None:
        """The model will not come (``serve --no-train`` without one, or it failed): messages are
        stored untriaged, not queued for an hour for it (the log said "not ready yet: queued")."""
        self.service.classifier = None

    def _inbox_kick(self) -> None:
        self.inbox_pump.kick()

    async def inbox_settled(self, timeout: float = 10.0) -> None:
        """Wait until the inbox worker has handled everything claimable now (tests use it)."""
        await self.inbox.settled(self.inbox_pump.drain, timeout)

    def backlog_now(self) -> Backlog:
        """Undelivered outbox rows and due timers, read now (blocking: call it in a thread)."""
        now = self.clock.now()
        return self.store.read_sync(lambda repo: backlog(repo.session, now))

    def _first_config(self) -> Config:
        """config.yaml; when it is broken, the last good config kept in the database (said loudly),
        and only when there is none, the error."""
        try:
            text, config = self._read_config()
        except ConfigError as exc:
            kept = config_snapshots.last_good(self.database)
            if kept is None:
                self.database.dispose()
                raise
            self.config_error = exc
            log.critical(
                "%s is broken; serving the last good config (loaded %s from %s) until it is fixed:\n%s",
                self.config_path,
                kept.loaded_at.isoformat(),
                kept.source,
                exc,
            )
            return parse_config(kept.text, source=f"{kept.source} (last good, from the database)")
        config_snapshots.remember(self.database, str(self.config_path), text, self.clock.now())
        return config

    def _read_config(self) -> tuple[str, Config]:
        text = read_config_text(self.config_path)
        return text, parse_config(text, source=str(self.config_path))

    def settings(self) -> Settings:
        """The current configuration snapshot."""
        return self._settings

    def _fingerprint(self) -> str:
        """A digest of the config file's first bytes; ``""`` when it cannot be opened and
        :data:`NOT_A_FILE` for a FIFO, a device or a folder, which is never read here (opening a FIFO
        waits for a writer: a config.yaml replaced by one froze the event loop, every request with it)."""
        try:
            fd = os.open(self.config_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return ""
        with open(fd, "rb") as file:  # bounded: the path may name a file of gigabytes
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return NOT_A_FILE
            return hashlib.sha256(file.read(4 * MAX_CHARS + 1)).hexdigest()

    def reload_if_changed(self) -> bool:
        """Reload when the file's content differs from what was last loaded."""
        fingerprint = self._fingerprint()
        if fingerprint == self._loaded:
            return False
        try:
            return self.reload()
        except Exception as exc:
            if is_unreachable(exc):  # the snapshot was not written: the next check tries this edit again
                fingerprint = self._loaded
            raise
        finally:
            self._loaded = fingerprint

    def reload(self) -> bool:
        """Load the config file again; keep the last good one if it is invalid (and log why), or if
        it enables a channel or notification target whose environment variable is unset (a restart
        would refuse to start with it, and the target's every send would fail)."""
        try:
            refuse_special_file(self.config_path)
            text, config = self._read_config()
            refuse_missing_secrets(config, self.environ)
        except ConfigError as exc:
            self.config_error = exc
            log.error("config reload failed, keeping the last good config: %s", exc)
            return False
        self.config_error = None
        # a target added by this edit: its URL and secret are scrubbed from the logs from now on
        redaction.protect(redaction.secrets_in(self.environ, secret_names(config)))
        config_snapshots.remember(self.database, str(self.config_path), text, self.clock.now())
        if config.channels != self._settings.config.channels:
            log.warning(
                "channels changed in %s; channel changes take effect after a restart", self.config_path
            )
        self._settings = Settings.from_config(config, self._windows)
        log.info("config reloaded from %s", self.config_path)
        return True

    async def start(self, *, watch_config: bool = True) -> None:
        """Start the workers: timers, outbox and inbox when due (:attr:`alarm`; the inbox also at once
        after an accept), the hourly inbox prune, the digest check and the config reload check."""
        scheduler = AsyncIOScheduler()
        # The good-news digest: a check a minute; the period's unique key sends it once across processes.
        scheduler.add_job(
            self.send_digest, "interval", seconds=60, id="digest", max_instances=1, coalesce=True
        )
        scheduler.start()
        self._scheduler = scheduler
        for adapter in self.adapters.values():
            await adapter.start()
        if self.model is not None:
            self.model.start(train_if_missing=self.train_if_missing, await_model=self.await_model)
        try:
            await self.service.schedule_retention()
        except IntegrityError:  # a process starting beside this one inserted it first: look again
            await self.service.schedule_retention()
        await self.send_digest()
        # What this worker held when it last stopped (killed mid-send?) is taken back now, not after
        # its lease; then the leases of what it works on are renewed while the work runs.
        worker, now = self.leases.worker, self.clock.now()
        if reclaimed := await self.store.run(lambda repo: repo.reclaim(worker, now)):
            log.warning("took back %d outbox rows and timers this worker held before it restarted", reclaimed)
        self._keeping = asyncio.get_running_loop().create_task(self.leases.keep(self.store, self.clock))
        # The first look catches up at once on what fell due while the process was down.
        self.alarm.watch(self.database.writer)
        self.alarm.start()
        await self.inbox.start()  # updates accepted before a restart (or by a process that died) run now
        scheduler.add_job(self.inbox.prune, "interval", hours=1, id="inbox-prune", max_instances=1)
        self.outbox.kick()
        if watch_config:
            self._closing_config.clear()
            self._watching = asyncio.get_running_loop().create_task(self._watch_config())

    async def _watch_config(self) -> None:
        """A content check every 2 s: cheap for a small file, and unlike inotify it also works on
        container mounts and network file systems, and never misses an edit made during start-up."""
        while not self._closing_config.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing_config.wait(), CONFIG_CHECK_SECONDS)
                return
            if await asyncio.to_thread(self._fingerprint) != self._loaded:  # file reads off the loop
                try:
                    await asyncio.to_thread(self.reload_if_changed)  # writes the snapshot: a thread
                except Exception as exc:
                    if not is_unreachable(exc):
                        log.exception("config reload failed")
                    else:
                        log.warning(
                            "%s changed; not applied yet, the database is unreachable (%s): "
                            "trying again in %.0f s",
                            self.config_path,
                            exc,
                            CONFIG_CHECK_SECONDS,
                        )

    async def send_digest(self) -> str | None:
        """Send the good-news digest of the latest due period unless some process sent it already
        (``digest:`` in config.yaml); what happened, or ``None``."""
        config, now = self.settings().config, self.clock.now()
        try:
            outcome = await self.store.run(lambda repo: digest_store.send_due(repo, config, now))
        except Exception:
            log.exception("the good-news digest could not be prepared; the next check tries again")
            return None
        if outcome is not None:
            log.info("%s", outcome)
            self.outbox.kick()
        return outcome

    async def stop(self) -> None:
        if self._watching is not None:
            self._closing_config.set()  # ends the config check after a reload in progress
            await asyncio.gather(self._watching, return_exceptions=True)
            self._watching = None
        await self.alarm.stop()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self.inbox_pump.closed = True  # turns under way finish; what is left waits in the inbox
        await self.inbox_pump.drain()
        await self.inbox.stop()
        if self.model is not None:
            await self.model.stop()
        self.timers.closed = self.outbox.closed = self.dispatcher.closing = True
        await self.timers.drain()
        await self.outbox.drain()
        await self.dispatcher.drain()
        # Only now: the sends under way use the adapters' clients. Closed before, they cut every
        # platform call in flight, which then waited for a confirmation (WhatsApp, 30 s) or went
        # out again after the restart (every other channel): a deploy doubled what it interrupted.
        for adapter in self.adapters.values():
            await adapter.stop()
        if self._keeping is not None:
            self.leases.stop()
            await asyncio.gather(self._keeping, return_exceptions=True)
        self.notifier.close()
        await self.http.aclose()
        await self._lent_back(within=5.0)
        self.database.dispose()

    async def _lent_back(self, within: float) -> None:
        """Wait (at most ``within`` seconds) for the database connections still lent to threads:
        a request cancelled while its unit of work ran leaves the thread running, and a connection
        it brings back after the engines are disposed is never closed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while self.database.lent() and loop.time() < deadline:
            await asyncio.sleep(0.01)
