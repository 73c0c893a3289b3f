"""Tokenize and run the network: ONNX Runtime (int8) when available, else PyTorch."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np

from nlu.errors import NluError

ONNX_FILE = "model.int8.onnx"


class Encoder(Protocol):
    """Raw head outputs for a batch of texts."""

    name: str

    def logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]: ...


class Tokens:
    """The saved tokenizer, used through the Rust ``tokenizers`` library (fast at batch 1)."""

    def __init__(self, tokenizer_json: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        try:
            self.tok = Tokenizer.from_file(str(tokenizer_json))
        except Exception as e:  # the library raises a bare Exception on unreadable files
            raise NluError(f"cannot read tokenizer {tokenizer_json}: {e}") from e
        self.tok.enable_truncation(max_length)
        self.tok.no_padding()

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        encodings = self.tok.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        return ids, mask


class OnnxEncoder:
    """The quantized network in ONNX Runtime, one message per run.

    Dynamic int8 quantization scales activations per run, so in a batch one message's result would
    depend on the others (measured: 2 of 200 intents flipped between batch and single runs). Running
    each message alone keeps answers reproducible; throughput comes from parallel callers instead.
    """

    name = "onnxruntime-int8"

    def __init__(self, path: Path, tokens: Tokens, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own untyped errors
            raise NluError(f"cannot load {path}: {e}") from e
        self.tokens = tokens

    def logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        intents, sentiments = [], []
        for text in texts:
            ids, mask = self.tokens.encode([text])
            intent, sentiment = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            intents.append(intent)
            sentiments.append(sentiment)
        return np.concatenate(intents), np.concatenate(sentiments)


class TorchEncoder:
    """The full-precision network in PyTorch (fallback, and what training evaluates before export)."""

    name = "torch-fp32"

    def __init__(self, net: Any, tokens: Tokens, threads: int = 1) -> None:
        self.net = net
        self.tokens = tokens
        self.threads = threads

    def logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        import torch

        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        ids, mask = self.tokens.encode(texts)
        with torch.inference_mode():
            intent, sentiment = self.net(torch.from_numpy(ids), torch.from_numpy(mask))
        return intent.numpy(), sentiment.numpy()


def onnx_available() -> bool:
    """Whether onnxruntime can be imported here."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def run_batched(encoder: Encoder, texts: list[str], batch_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Logits for many texts, in batches of similar length (less padding)."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    parts_i, parts_s = [], []
    for start in range(0, len(order), batch_size):
        chunk = [texts[i] for i in order[start : start + batch_size]]
        a, b = encoder.logits(chunk)
        parts_i.append(a)
        parts_s.append(b)
    intent, sentiment = np.concatenate(parts_i), np.concatenate(parts_s)
    inverse = np.argsort(order)
    return intent[inverse], sentiment[inverse]
