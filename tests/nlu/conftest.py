"""One small model, trained for real through the CLI, shared by the nlu tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nlu.cli import app

# The smallest valid config, with an intent that exists only here: training must learn it from these
# phrases alone.
CONFIG = {
    "locales": ["en", "zh-CN"],
    "surveys": {
        "quick": {
            "title": {"en": "Quick", "zh-CN": "快速"},
            "start": "rating",
            "steps": {
                "rating": {
                    "type": "csat",
                    "text": {"en": "How did we do?", "zh-CN": "满意吗？"},
                    "next": "done",
                },
                "done": {"type": "end", "text": {"en": "Thanks!", "zh-CN": "谢谢！"}},
            },
        }
    },
    "nlu": {
        "threshold": 0.5,
        "intents": {
            "warranty": {
                "examples": {
                    "en": [
                        "is my blender still under warranty",
                        "warranty claim for my watch",
                        "how long is the warranty",
                        "can I use the warranty to repair it",
                    ],
                    "zh-CN": ["还在保修期吗", "保修怎么申请", "保修多久", "能走保修维修吗"],
                }
            },
            "password_reset": {"examples": {"en": ["I forgot my password"], "zh-CN": ["忘记密码了"]}},
        },
    },
}


@pytest.fixture(scope="session")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cfg") / "config.yaml"
    path.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, config_file: Path) -> Path:
    out = tmp_path_factory.mktemp("models") / "triage"
    result = CliRunner().invoke(
        app, ["train", "--small", "--seed", "7", "--config", str(config_file), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out
