"""The validated ``config.yaml``: schema, loading with line numbers, cross-checks and flows."""

from bot.config.loader import format_path, load_config, parse_config, read_config_text
from bot.config.schema import Config

__all__ = ["Config", "format_path", "load_config", "parse_config", "read_config_text"]
