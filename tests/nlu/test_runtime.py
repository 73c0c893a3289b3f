from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.classification import SENTIMENTS, Classification
from bot.ports import Classifier
from nlu import ModelNotReadyError, TransformerClassifier, default_model_dir, model_is_ready
from nlu.backend import Tokens
from nlu.errors import NluError
from nlu.runtime import TOKENIZER_FILE


@pytest.mark.slow
def test_implements_the_classifier_port(model_dir: Path) -> None:
    clf: Classifier = TransformerClassifier(model_dir)
    assert clf.ready
    got = clf.classify(["hello", "我要退款"])
    assert len(got) == 2
    for c in got:
        assert isinstance(c, Classification)
        assert c.sentiment in SENTIMENTS
        assert 0.0 <= c.intent_confidence <= 1.0 and 0.0 <= c.sentiment_confidence <= 1.0
        assert c.model.startswith("triage-")
    assert clf.classify([]) == []


@pytest.mark.slow
def test_below_threshold_the_intent_is_other(model_dir: Path) -> None:
    texts = ["I want a refund for my shoes", "退款什么时候到账"]
    free = TransformerClassifier(model_dir, threshold=0.0).classify(texts)
    assert all(c.intent == "refund" for c in free)
    strict = TransformerClassifier(model_dir, threshold=1.01).classify(texts)
    assert [c.intent for c in strict] == ["other", "other"]
    # confidence of the best guess is kept, so the fallback explains itself
    assert [c.intent_confidence for c in strict] == [c.intent_confidence for c in free]


@pytest.mark.slow
def test_saved_threshold_is_the_default(model_dir: Path) -> None:
    assert TransformerClassifier(model_dir).threshold == 0.5
    assert TransformerClassifier(model_dir, threshold=0.8).threshold == 0.8


@pytest.mark.slow
def test_torch_and_onnx_backends_agree_after_a_round_trip(model_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy)
    texts = ["my card was charged twice", "我被扣了两次钱", "cancel my subscription", "取消订单", "thanks!"]
    int8, fp32 = TransformerClassifier(copy, backend="onnx"), TransformerClassifier(copy, backend="torch")
    # The exported int8 network gives the same distributions, within quantisation error...
    for a, b in zip(int8.probabilities(texts), fp32.probabilities(texts), strict=True):
        for task in ("intent", "sentiment"):
            assert max(abs(a[task][k] - b[task][k]) for k in b[task]) < 0.15, (task, a, b)
    # ...and the same decisions wherever fp32 is not within that error of a boundary (its top two
    # intents, or its confidence and the `other` threshold): a near tie may fall either way.
    decided = zip(int8.classify(texts), fp32.classify(texts), fp32.probabilities(texts), strict=True)
    clear = 0
    for a, b, probs in decided:
        top, second = sorted(probs["intent"].values(), reverse=True)[:2]
        if top - second >= 0.15 and abs(top - fp32.threshold) >= 0.15:
            clear += 1
            assert a.intent == b.intent
            assert abs(a.intent_confidence - b.intent_confidence) < 0.15
    assert clear >= 3  # the small test model is sure of most of these


@pytest.mark.slow
def test_not_ready_until_a_model_exists_then_reload(model_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "later"
    clf = TransformerClassifier(target)
    assert not clf.ready and not model_is_ready(target)
    with pytest.raises(ModelNotReadyError):
        clf.classify(["hi"])
    shutil.copytree(model_dir, target)
    assert clf.ready
    first = clf.classify(["hi"])
    clf.reload()
    assert clf.classify(["hi"]) == first


def test_default_model_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CSATBOT_MODEL_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_model_dir() == tmp_path / "var" / "models" / "triage"
    monkeypatch.setenv("CSATBOT_MODEL_DIR", str(tmp_path / "m"))
    assert default_model_dir() == tmp_path / "m"


@pytest.mark.slow
def test_serving_tokenizes_exactly_like_training(model_dir: Path) -> None:
    from transformers import AutoTokenizer

    texts = ["where is my parcel??", "我的快递三天了还没到，太慢了😡", "refund退款 pls 🙏", "x" * 200]
    trained = AutoTokenizer.from_pretrained(model_dir / "tokenizer")
    want = trained(texts, truncation=True, max_length=32)["input_ids"]
    ids, mask = Tokens(model_dir / TOKENIZER_FILE, 32).encode(texts)
    assert [row[m == 1].tolist() for row, m in zip(ids, mask, strict=True)] == want
    assert trained.unk_token_id not in {i for row in want[:3] for i in row}


@pytest.mark.slow
def test_hostile_text_is_classified_not_raised(model_dir: Path) -> None:
    # A lone surrogate ("\ud800" in JSON, a byte that is not UTF-8 read with surrogateescape) was a
    # TypeError in the tokenizer and a UnicodeEncodeError in the lexical hashing.
    texts = ["\ud800 refund", "\udcff\udcfe", "退款\udc80", "", "\x00", "😀😡", "e" + "\u0301" * 5000]
    texts.append("退款" * 20000)
    clf = TransformerClassifier(model_dir)
    got = clf.classify(texts)
    assert len(got) == len(texts) and all(c.sentiment in SENTIMENTS for c in got)
    assert got[0] == clf.classify(["\ufffd refund"])[0]  # read as the replacement character
    assert len(clf.probabilities(texts)) == len(texts)


@pytest.mark.slow
@pytest.mark.parametrize("blank", ["", " ", "\n\t", "\u200b\u200d", "\x00\ufeff", "\u3000 \u00a0"])
def test_a_text_with_nothing_in_it_has_no_intent_and_needs_nobody(model_dir: Path, blank: str) -> None:
    """An empty text was read as greeting_thanks (positive) with the model's confidence."""
    [read, refund] = TransformerClassifier(model_dir).classify([blank, "I want a refund"])
    assert (read.intent, read.intent_confidence, read.sentiment, read.needs_human) == (
        "other",
        0.0,
        "neutral",
        0.0,
    )
    assert not read.wants_human and read.model == refund.model and refund.intent == "refund"


def _edit_meta(**fields: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        (folder / "meta.json").write_text(json.dumps({**meta, **fields}), encoding="utf-8")

    return edit


def _cut(name: str, keep: int | None = None) -> Callable[[Path], None]:
    def cut(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2 if keep is None else keep])

    return cut


BROKEN_FOLDERS: dict[str, Callable[[Path], None]] = {
    # loaded before, then failed every classification (every customer message)
    "normalize as text": _edit_meta(normalize="x"),
    "needs_human a list": _edit_meta(needs_human=[1]),
    "answer floors as text": _edit_meta(answer_floors="x"),
    "one intent for nine outputs": _edit_meta(intents=["refund"]),
    "no negative sentiment": _edit_meta(sentiments=["a", "b", "c"]),
    "saved threshold as text": _edit_meta(threshold="x"),
    # loaded and gave nonsense quietly
    "labels of another model": _edit_meta(intents=["a", "b", "c"]),
    "answer floor above 1": _edit_meta(answer_floors={"refund": {"all": 5}}),
    # raised out of `ready` as something other than NluError
    "calibration a list": _edit_meta(calibration=[]),
    "lexical model cut short": _cut("lexical.npz", 1000),
    "ONNX network cut short": _cut("model.int8.onnx"),
    "meta.json not JSON": lambda folder: (folder / "meta.json").write_text("{", encoding="utf-8"),
}


@pytest.mark.slow
def test_a_broken_model_folder_is_not_ready_and_says_why_never_fails_a_message_later(
    model_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for n, (name, breaks) in enumerate(BROKEN_FOLDERS.items()):
        folder = tmp_path / str(n)
        shutil.copytree(model_dir, folder)
        breaks(folder)
        caplog.clear()
        assert not TransformerClassifier(folder, threshold=None).ready, name
        assert any("could not be loaded" in r.getMessage() for r in caplog.records), name
        with pytest.raises(NluError, match="train"):
            TransformerClassifier(folder).load()
    assert TransformerClassifier(model_dir).classify(["I want a refund"])[0].intent == "refund"
