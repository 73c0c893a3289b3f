"""Errors raised by the nlu package."""

from __future__ import annotations

from bot.errors import CsatbotError


class NluError(CsatbotError):
    """Training, loading or running the triage classifier failed."""


class ModelNotReadyError(NluError):
    """No complete trained model exists (yet) in the model directory."""
