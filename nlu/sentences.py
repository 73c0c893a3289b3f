"""Sentence embeddings from the trained triage model: its encoder's mean-pooled token states (what
the intent and sentiment heads read), as unit vectors. Used to group survey comments into themes.

The served ONNX graph outputs only the heads' logits, so this runs the saved PyTorch encoder
(``encoder/`` in the model directory), in batches of similar length.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from nlu.backend import Tokens
from nlu.errors import NluError
from nlu.model_files import META_FILE, TOKENIZER_FILE
from nlu.normalize import normalize
from nlu.themes import unit

BATCH = 64


class SentenceEncoder:
    """Unit-length sentence vectors of texts; the model loads on first use (thread-safe)."""

    def __init__(self, model_dir: Path, *, threads: int = 1) -> None:
        self.model_dir = Path(model_dir)
        self.threads = threads
        self._net: Any = None
        self._tokens: Tokens | None = None
        self._normalize = 0  # the normalisation version the model was trained with (0: none)
        self._lock = threading.Lock()
        self.model_id = model_id_of(self.model_dir)
        """The model's id (``triage-<date>-s<seed>``): stored with every embedding."""

    def _load(self) -> tuple[Any, Tokens]:
        with self._lock:
            if self._net is None or self._tokens is None:
                from nlu.model import ENCODER_DIR, offline

                try:
                    meta = json.loads((self.model_dir / META_FILE).read_text(encoding="utf-8"))
                    max_length = int(meta["max_length"])
                except (OSError, ValueError, KeyError, TypeError) as e:
                    raise NluError(f"cannot read {self.model_dir / META_FILE}: {e}") from e
                offline()
                from transformers import AutoModel

                try:
                    net = AutoModel.from_pretrained(self.model_dir / ENCODER_DIR)
                except (OSError, ValueError) as e:
                    raise NluError(f"cannot load the encoder from {self.model_dir}: {e}") from e
                net.eval()
                self._tokens = Tokens(self.model_dir / TOKENIZER_FILE, max_length)
                self._normalize = int(meta.get("normalize") or 0)
                self._net = net
            return self._net, self._tokens

    @property
    def dimensions(self) -> int:
        net, _ = self._load()
        return int(net.config.hidden_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text (float32), rows in the order of ``texts``."""
        import torch

        net, tokens = self._load()
        if not texts:
            return np.zeros((0, int(net.config.hidden_size)), dtype=np.float32)
        if self._normalize:
            texts = [normalize(t, self._normalize) for t in texts]
        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = []
        for start in range(0, len(order), BATCH):
            ids, mask = tokens.encode([texts[i] for i in order[start : start + BATCH]])
            with torch.inference_mode():
                states = net(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask))
                m = torch.from_numpy(mask).unsqueeze(-1).to(states.last_hidden_state.dtype)
                pooled = (states.last_hidden_state * m).sum(1) / m.sum(1).clamp(min=1.0)
            parts.append(pooled.numpy())
        vectors = np.concatenate(parts)[np.argsort(order)]
        return unit(vectors)


def model_id_of(model_dir: Path) -> str:
    """The id of the model in ``model_dir`` (empty when unreadable)."""
    try:
        return str(json.loads((Path(model_dir) / META_FILE).read_text(encoding="utf-8")).get("model_id", ""))
    except (OSError, ValueError, AttributeError):
        return ""
