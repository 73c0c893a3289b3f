"""The triage model in a running server: loaded off the event loop, trained in the background once.

Survey answers never wait for it. Until it is ready, customer messages are stored and queued for
triage (the service says so in the log); once it is, the queue is worked off (``on_ready``) and every
new message is classified as it arrives.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.classification import Classification
from bot.ports import Meter, NoMeter

log = logging.getLogger("csatbot.triage")
AWAIT_SECONDS = 5.0  # how often a worker waiting for another one's training looks for the model


class BackgroundModel:
    """A :class:`bot.ports.Classifier` whose model loads (or first trains) in the background."""

    def __init__(
        self, model_dir: Path, threshold: float, config_path: Path, meter: Meter | None = None
    ) -> None:
        from nlu.runtime import TransformerClassifier

        self.model_dir = model_dir
        self.config_path = config_path
        self._model = TransformerClassifier(model_dir, threshold=threshold)
        self._ready = False
        self.meter: Meter = meter or NoMeter()
        self.state = "starting"
        """For ``/readyz``: starting, loading, training, waiting (for another process to train it),
        ready, missing (not allowed to train) or failed."""
        self._task: asyncio.Task[None] | None = None
        self._training: asyncio.subprocess.Process | None = None
        self._stopping = False
        self.on_ready: Callable[[], Awaitable[object]] | None = None
        """Called once the model is ready (the service triages what waited for it)."""
        self.on_unavailable: Callable[[], None] | None = None
        """Called when the model will not come in this process (missing and not to be trained, or
        failed): messages are then stored untriaged instead of queued for it."""

    @property
    def ready(self) -> bool:
        return self._ready

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        started = time.perf_counter()
        try:
            return self._model.classify(texts)
        finally:
            self.meter.observe("model", time.perf_counter() - started)

    def start(self, *, train_if_missing: bool, await_model: bool = False) -> None:
        """Load the model, training it first (in a subprocess) when none exists and that is allowed;
        with ``await_model``, wait for another process (``serve --workers``' first) to train it."""
        self._task = asyncio.get_running_loop().create_task(self._prepare(train_if_missing, await_model))

    async def _prepare(self, train_if_missing: bool, await_model: bool = False) -> None:
        from nlu.runtime import model_is_ready

        try:
            if not model_is_ready(self.model_dir) and await_model and not train_if_missing:
                self.state = "waiting"
                log.info("no triage model in %s yet: waiting for another worker to train it", self.model_dir)
                while not model_is_ready(self.model_dir):
                    await asyncio.sleep(AWAIT_SECONDS)
            if not model_is_ready(self.model_dir):
                if not train_if_missing:
                    log.warning(
                        "no triage model in %s: messages are not triaged (train one: csatbot nlu train)",
                        self.model_dir,
                    )
                    self._unavailable("missing")
                    return
                self.state = "training"
                await self._train()
            self.state = "loading"
            await asyncio.to_thread(self._model.load)
        except Exception:
            if self._stopping:  # the server is stopping and ended the training: nothing went wrong
                log.info("triage model training stopped with the server; the next start trains again")
                self.state = "missing"
                return
            log.exception("the triage model could not be prepared; messages are not triaged")
            self._unavailable("failed")
            return
        self._ready = True
        self.state = "ready"
        log.info("triage model ready (%s)", self.model_dir)
        if self.on_ready is not None:
            try:
                await self.on_ready()
            except Exception:
                log.exception("triaging the messages that waited for the model failed")

    def _unavailable(self, state: str) -> None:
        self.state = state
        if self.on_unavailable is not None:
            self.on_unavailable()

    async def _train(self) -> None:
        self.model_dir.parent.mkdir(parents=True, exist_ok=True)
        log_path = self.model_dir.parent / "train.log"
        log.warning(
            "no triage model yet: training one in the background (about 10-15 min on 2 cores; log: %s). "
            "The bot serves meanwhile; triage starts when the model is ready.",
            log_path,
        )
        command = [sys.executable, "-c", "from csatbot.cli import main; main()", "nlu", "train"]
        command += ["--config", str(self.config_path), "--out", str(self.model_dir)]
        with log_path.open("ab") as sink:
            self._training = await asyncio.create_subprocess_exec(*command, stdout=sink, stderr=sink)
            code = await self._training.wait()
        self._training = None
        if code != 0:
            raise RuntimeError(f"training failed with exit code {code}; see {log_path}")

    async def stop(self) -> None:
        self._stopping = True
        if self._training is not None and self._training.returncode is None:
            self._training.terminate()  # a restart trains again from the start
            await self._training.wait()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
