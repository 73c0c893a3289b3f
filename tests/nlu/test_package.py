from __future__ import annotations

import subprocess
import sys

import nlu
from nlu.training import train


def test_importing_the_package_and_the_classifier_loads_no_deep_learning_stack() -> None:
    code = (
        "import sys, nlu, nlu.cli; from nlu.runtime import TransformerClassifier; "
        "heavy = sorted({'torch', 'transformers', 'onnxruntime', 'sklearn', 'scipy'} & set(sys.modules)); "
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_lazy_exports_are_the_functions() -> None:
    assert nlu.train is train
    assert callable(nlu.evaluate) and nlu.evaluate.__module__ == "nlu.evaluation"
