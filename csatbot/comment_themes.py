"""Comment themes for the API, the console and the CLI: the sentence encoder of the configured triage
model, and a bounded refresh (embed and assign what came since) before each report.

A report request embeds at most :data:`PER_REQUEST` new comments, so a backlog never holds a page for
long: it says how many are still ``unassigned``, and ``csatbot report themes`` works a backlog off at
once. Requests look for new comments at most every :data:`EVERY` seconds per database (while a
backlog lasts, every request). Without a trained model no new comment is assigned
(``model: "missing"``); themes already stored are still reported.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlu.errors import NluError
from nlu.runtime import model_is_ready

if TYPE_CHECKING:  # NumPy and the encoder load with the first themes report, not at start-up
    from nlu.sentences import SentenceEncoder

PER_REQUEST = 300
EVERY = 30.0
"""Seconds between two refreshes for the same database in this process: page reloads do not each
look for new comments (a look costs about 0.1 s of CPU per 100,000 surveys)."""
FIT_IN_REQUEST = 3000
"""Up to this many stored comments a request fits the themes itself (a few seconds at most);
beyond, a background thread does it and the request reports the themes as they are."""
_encoders: dict[Path, SentenceEncoder] = {}
_lock = threading.Lock()
_fitting: list[threading.Thread] = []
_last: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
log = logging.getLogger(__name__)


def model_dir_of(runtime: Any) -> Path:
    """The triage model's folder: the running model's, else config.yaml's ``nlu.model_dir``."""
    model = getattr(runtime, "model", None)
    if model is not None:
        return Path(model.model_dir)
    return Path(runtime.settings().config.nlu.model_dir)


def encoder_for(model_dir: Path) -> SentenceEncoder | None:
    """The sentence encoder of the model in ``model_dir`` (one per folder, renewed when the model is
    retrained); ``None`` while there is no trained model."""
    if not model_is_ready(model_dir):
        return None
    from nlu.sentences import SentenceEncoder, model_id_of

    key = model_dir.resolve()
    with _lock:
        found = _encoders.get(key)
        if found is None or found.model_id != model_id_of(key):
            found = _encoders[key] = SentenceEncoder(key)
        return found


def _due(store: Any) -> bool:
    """Whether ``store``'s comments were last looked at :data:`EVERY` seconds ago or more (and
    mark them looked at now)."""
    now = time.monotonic()
    with _lock:
        if now - _last.get(store, -EVERY) < EVERY:
            return False
        _last[store] = now
        return True


def _fit_in_background(store: Any, model_id: str, now: datetime) -> None:
    """Fit the themes again in a daemon thread, unless one is at it already."""
    with _lock:
        if any(t.is_alive() for t in _fitting):
            return
        _fitting.clear()

        def work() -> None:
            from storage.themes import fit_now

            try:
                fit_now(store, model_id, now)
            except Exception:  # a background thread has nobody to tell but the log
                log.exception("comment themes: fitting failed")

        thread = threading.Thread(target=work, name="comment-themes-fit", daemon=True)
        _fitting.append(thread)
        thread.start()


async def themes_report(
    runtime: Any,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str],
    *,
    tz: tzinfo,
    min_n: int,
    limit: int = PER_REQUEST,
) -> dict[str, Any]:
    """Embed and assign up to ``limit`` new comments, then the themes report of the range."""
    from storage.themes import refresh, theme_report

    encoder = encoder_for(model_dir_of(runtime))
    state = "missing" if encoder is None else "ready"
    if encoder is not None and _due(runtime.store):
        try:
            now = runtime.clock.now()
            done = await asyncio.to_thread(
                refresh, runtime.store, encoder, limit=limit, now=now, fit_up_to=FIT_IN_REQUEST
            )
            if done.wants_fit:
                _fit_in_background(runtime.store, encoder.model_id, now)
            if done.embedded >= limit:  # a backlog: the next request goes on with it
                with _lock:
                    _last.pop(runtime.store, None)
        except NluError:  # the stored themes are still reported
            log.exception("comment themes: the model in %s could not embed comments", encoder.model_dir)
            state = "failed"
    found: dict[str, Any] = await runtime.store.read(
        lambda repo: theme_report(repo.session, since, until, filters, min_n=min_n, tz=tz)
    )
    found["model"] = state
    return found
