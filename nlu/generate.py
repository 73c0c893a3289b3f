"""Generate the project's own bilingual triage set from templates, slot fillers and chat noise.

``python -m nlu.generate`` rewrites ``nlu/data/triage.jsonl`` from ``nlu/data/templates_*.yaml``.
The output is deterministic. Each template is assigned to one split (train, calib or test) by a stable
hash, so held-out messages never share a template with training messages.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.compose import compose, load_families

DATA_DIR = Path(__file__).parent / "data"
TRIAGE_FILE = DATA_DIR / "triage.jsonl"
PER_INTENT = 600  # target messages per intent and language
MIN_PER_TEMPLATE = 2  # the clean message and at least one dressed variant, however wide the intent
TEST_SHARE, CALIB_SHARE = 0.2, 0.1
GENERATOR_SEED = 20261123
OWN_STREAM_FAMILIES = ("praise", "opinion")

_NOISE = {
    "en": {
        "prefix": [
            "",
            "",
            "",
            "",
            "hi ",
            "hello, ",
            "hey ",
            "hi there, ",
            "good morning, ",
            "excuse me, ",
            "um ",
            "quick question: ",
            "sorry to bother you but ",
            "Hi team, ",
            "yo ",
            "hello? ",
        ],
        "suffix": [
            "",
            "",
            "",
            "?",
            " please",
            " pls",
            " thanks",
            " thx",
            " asap",
            " 🙏",
            " 🙂",
            "...",
            "??",
            " help",
            " thank you in advance",
            " plz help",
            " !",
        ],
        "angry_prefix": ["seriously, ", "ugh ", "wtf ", "I'm so angry, ", "this is the 3rd time: ", ""],
        "angry_suffix": [
            "!!!",
            " 😡",
            " 😤",
            ". this is ridiculous",
            ". worst service ever",
            ". I'm fed up",
            ", so annoying",
            ". unbelievable",
            " 🤬",
            ". are you kidding me?",
        ],
        "happy_prefix": ["love your shop! ", "you guys are great, ", "", ""],
        "greeting_suffix": ["", "", "", "!", " 😊", " 🙏", "~", "!!", " :)", " 👍", " 🙂"],
        "happy_suffix": [
            " 😊",
            " thanks so much! 😊",
            ", you're the best",
            " ❤️",
            ", have a great day!",
            " 👍 great service so far",
        ],
    },
    "zh": {
        "prefix": [
            "",
            "",
            "",
            "",
            "你好，",
            "亲，",
            "在吗，",
            "请问",
            "喂，",
            "您好，",
            "客服，",
            "那个，",
            "hi，",
            "你好 ",
        ],
        "suffix": [
            "",
            "",
            "",
            "？",
            "吗",
            "呢",
            "啊",
            " 谢谢",
            "，急",
            "，在线等",
            "🙏",
            "[捂脸]",
            "～",
            "。",
            "!!",
            "，麻烦了",
            "，谢谢亲",
            "?",
        ],
        "angry_prefix": ["气死了，", "搞什么啊，", "又是这样，", "无语，", ""],
        "angry_suffix": [
            "！！！",
            "，太离谱了",
            "，什么破服务",
            "😡",
            "，无语",
            "，垃圾",
            "[发怒]",
            "，烦死了",
            "，还能不能行了",
            "，我真的服了",
        ],
        "happy_prefix": ["你们家东西真不错，", "亲你真好，", "", ""],
        "greeting_suffix": ["", "", "", "！", "😊", "🙏", "～", "呀", "哈", "[握手]", "👍", "~~", "啦"],
        "happy_suffix": ["😊", "，爱你们", "[微笑]", "❤️", "，辛苦啦", "，服务真好👍"],
    },
}
_ZH_TYPOS = [("的", "得"), ("在", "再"), ("吗", "嘛"), ("账", "帐"), ("么", "麽"), ("到", "道")]
_ZH_MIX = [
    ("订单", "order"),
    ("退款", "refund"),
    ("发票", "invoice"),
    ("密码", "password"),
    ("取消", "cancel"),
    ("快递", "快递"),
    ("客服", "customer service"),
    ("账号", "account"),
]
_SENTIMENT_MARK = re.compile(r"^(neg|neu|pos):\s*")
_SENTIMENT_NAMES = {"neg": "negative", "neu": "neutral", "pos": "positive"}


@dataclass(frozen=True, slots=True)
class Template:
    """One message pattern with its labels."""

    lang: str
    intent: str
    text: str
    sentiment: str

    @property
    def key(self) -> str:
        return f"{self.lang}:{self.intent}:{self.text}"


def stable_fraction(key: str) -> float:
    """A number in [0, 1) that depends only on ``key`` (not on seeds or Python's hash salt)."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def load_templates(path: Path, lang: str) -> tuple[list[Template], dict[str, list[str]]]:
    """Read one templates file into templates and slot fillers."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults: dict[str, str] = raw.get("defaults", {})
    templates = []
    for intent, texts in raw["intents"].items():
        for text in texts:
            sentiment = defaults.get(intent, "neutral")
            mark = _SENTIMENT_MARK.match(text)
            if mark:
                sentiment = _SENTIMENT_NAMES[mark.group(1)]
                text = text[mark.end() :]
            templates.append(Template(lang, intent, text, sentiment))
    slots = {name: [str(v) for v in values] for name, values in raw["slots"].items()}
    return templates, slots


def assign_splits(templates: Iterable[Template]) -> dict[str, str]:
    """Split templates per (lang, intent): the lowest-hash 20% are test, the next 10% calib."""
    groups: dict[tuple[str, str], list[Template]] = {}
    for template in templates:
        groups.setdefault((template.lang, template.intent), []).append(template)
    splits = {}
    for members in groups.values():
        ordered = sorted(members, key=lambda t: stable_fraction(t.key))
        n_test = max(1, round(len(ordered) * TEST_SHARE))
        n_calib = max(1, round(len(ordered) * CALIB_SHARE))
        for i, template in enumerate(ordered):
            splits[template.key] = "test" if i < n_test else "calib" if i < n_test + n_calib else "train"
    return splits


_ABBREVIATIONS = {
    "you": "u",
    "your": "ur",
    "you're": "ur",
    "please": "pls",
    "thanks": "thx",
    "why": "y",
    "are": "r",
    "because": "bc",
    "tomorrow": "tmrw",
    "message": "msg",
    "account": "acct",
    "password": "pw",
    "order": "ordr",
    "people": "ppl",
    "really": "rly",
    "know": "kno",
    "what": "wat",
    "with": "w/",
    "about": "abt",
    "received": "recieved",
    "address": "adress",
    "delivery": "delivry",
    "refund": "refnd",
    "cancel": "cancle",
    "invoice": "invoce",
    "tracking": "trackin",
    "people's": "ppls",
}
_KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"


def _neighbour(ch: str, rng: random.Random) -> str:
    """A key next to ``ch`` on a QWERTY keyboard (same row)."""
    i = _KEYBOARD.find(ch)
    if i < 0:
        return ch
    options = [_KEYBOARD[j] for j in (i - 1, i + 1) if 0 <= j < len(_KEYBOARD) and _KEYBOARD[j] != " "]
    return rng.choice(options) if options else ch


def _typo_en(text: str, rng: random.Random) -> str:
    """One or two chat typos: a swapped, dropped, doubled or neighbouring letter, or an abbreviation."""
    words = text.split(" ")
    for _ in range(1 + (rng.random() < 0.3)):
        short = [i for i, w in enumerate(words) if w.lower() in _ABBREVIATIONS]
        if short and rng.random() < 0.35:
            i = rng.choice(short)
            words[i] = _ABBREVIATIONS[words[i].lower()]
            continue
        candidates = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha()]
        if not candidates:
            break
        i = rng.choice(candidates)
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        op = rng.randrange(4)
        words[i] = (
            (w[:j] + w[j + 1] + w[j] + w[j + 2 :])
            if op == 0
            else (w[:j] + w[j + 1 :])
            if op == 1
            else (w[:j] + w[j] + w[j:])
            if op == 2
            else (w[:j] + _neighbour(w[j].lower(), rng) + w[j + 1 :])
        )
    return " ".join(words)


def _homophones() -> dict[str, list[str]]:
    """Common characters grouped by toneless pinyin: what a pinyin keyboard offers by mistake."""
    from pypinyin import lazy_pinyin

    from nlu.vocab import gb2312_chars

    groups: dict[str, list[str]] = {}
    for ch in gb2312_chars()[:3755]:  # GB2312 level 1: the commonly used characters
        groups.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return {ch: [c for c in group if c != ch] for group in groups.values() for ch in group if len(group) > 1}


_HOMOPHONES: dict[str, list[str]] = {}


def _typo_zh(text: str, rng: random.Random) -> str:
    """A pinyin-keyboard slip (a homophone: 密码 -> 密马, 发票 -> 发漂), else a common mix-up."""
    if not _HOMOPHONES:
        _HOMOPHONES.update(_homophones())
    spots = [i for i, ch in enumerate(text) if ch in _HOMOPHONES]
    if spots and rng.random() < 0.7:
        i = rng.choice(spots)
        return text[:i] + rng.choice(_HOMOPHONES[text[i]]) + text[i + 1 :]
    present = [(a, b) for a, b in _ZH_TYPOS if a in text]
    if not present:
        return text
    a, b = rng.choice(present)
    return text.replace(a, b, 1)


def add_noise(text: str, lang: str, intent: str, sentiment: str, rng: random.Random) -> tuple[str, str]:
    """Dress a clean message as a chat message (openers, emoji, typos, mood); return (text, sentiment)."""
    noise = _NOISE[lang]
    mood = rng.random()
    if lang == "zh" and rng.random() < 0.12:
        old, new = rng.choice(_ZH_MIX)
        text = text.replace(old, f" {new} ", 1).strip() if old in text else text
    if rng.random() < 0.3:
        text = _typo_en(text, rng) if lang == "en" else _typo_zh(text, rng)
    if sentiment == "neutral" and intent not in ("greeting_thanks", "other") and mood < 0.22:
        text = rng.choice(noise["angry_prefix"]) + text.rstrip("?.!") + rng.choice(noise["angry_suffix"])
        sentiment = "negative"
        if lang == "en" and rng.random() < 0.1:
            text = text.upper()
    elif sentiment == "neutral" and intent != "greeting_thanks" and mood > 0.93:
        text = rng.choice(noise["happy_prefix"]) + text + rng.choice(noise["happy_suffix"])
        sentiment = "positive"
    elif intent == "greeting_thanks":
        text = text + rng.choice(noise["greeting_suffix"])
    else:
        text = rng.choice(noise["prefix"]) + text + rng.choice(noise["suffix"])
    if lang == "en" and rng.random() < 0.45:
        text = text.lower()
    if rng.random() < 0.2:
        text = text.rstrip("?.!。？！")
    return re.sub(r"\s+", " ", text).strip(), sentiment


def fill(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    """Replace every ``{slot}`` with a random filler."""
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(slots[m.group(1)]), template)


def is_short(text: str) -> bool:
    """Emoji only, at most two English words or four Chinese characters: a space so small that
    training and evaluation cannot help sharing some ("ok", "👎", "收到")."""
    bare = re.sub(r"\[[^\]]*\]", "", text)
    if not re.search(r"[\w\u4e00-\u9fff]", bare):
        return True
    if re.search(r"[\u4e00-\u9fff]", text):
        return len(re.sub(r"\s", "", text)) <= 4
    return len(text.split()) <= 2


def held_out_texts() -> set[str]:
    """Lower-cased texts of the behavioural suites, the realistic set and the blind sets
    (``blind_*.jsonl``) that training must not see (short ones excepted, see :func:`is_short`)."""
    texts: set[str] = set()
    suites = DATA_DIR / "behaviour.yaml"
    if suites.is_file():
        raw = yaml.safe_load(suites.read_text(encoding="utf-8"))
        for spec in (raw.get("categories") or {}).values():
            texts |= {str(case["text"]).lower() for case in spec.get("cases") or []}
    for labelled in (DATA_DIR / "realistic.jsonl", *sorted(DATA_DIR.glob("blind_*.jsonl"))):
        if labelled.is_file():
            for line in labelled.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.add(str(json.loads(line)["text"]).lower())
    return {t for t in texts if not is_short(t)}


def generate(seed: int = GENERATOR_SEED) -> list[dict[str, str]]:
    """Build every row of the triage set (text, lang, intent, sentiment, template, split).

    Templates first, then the compositional families (:mod:`nlu.compose`). A message that happens
    to equal an evaluation message is skipped, so the evaluation sets stay unseen.
    """
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    seen: set[str] = held_out_texts()

    def add(text: str, lang: str, intent: str, sentiment: str, key: str, split: str) -> bool:
        if not text or text.lower() in seen:
            return False
        seen.add(text.lower())
        row = {"text": text, "lang": lang, "intent": intent, "sentiment": sentiment, "template": key}
        rows.append({**row, "split": split})
        return True

    for lang in ("en", "zh"):
        templates, slots = load_templates(DATA_DIR / f"templates_{lang}.yaml", lang)
        splits = assign_splits(templates)
        per_intent: dict[str, int] = {}
        for t in templates:
            per_intent[t.intent] = per_intent.get(t.intent, 0) + 1
        requests: dict[str, list[tuple[str, str, str]]] = {}
        for t in templates:
            want = max(MIN_PER_TEMPLATE, -(-PER_INTENT // per_intent[t.intent]))
            made = 0
            for _ in range(want * 6):
                if made >= want:
                    break
                base = fill(t.text, slots, rng)
                text, sentiment = (
                    (base, t.sentiment) if made == 0 else add_noise(base, lang, t.intent, t.sentiment, rng)
                )
                if add(text, lang, t.intent, sentiment, t.key, splits[t.key]):
                    if made == 0 and t.intent != "greeting_thanks":
                        requests.setdefault(t.intent, []).append((base, t.sentiment, t.key))
                    made += 1
        families = load_families(DATA_DIR / f"compose_{lang}.yaml")
        # A family added later dresses its rows from its own stream, so adding it leaves every
        # other row as it was.
        streams = {family: random.Random(f"{seed}:{lang}:{family}") for family in OWN_STREAM_FAMILIES}
        for c in compose(families, lang, requests, seed):
            key = f"{lang}:{c.intent}:compose:{c.family}:{c.part}"
            split = splits[c.template_key] if c.template_key else split_of_part(key)
            dress = streams.get(c.family, rng)
            add(_dress(c.text, lang, dress) if c.family != "emoji" else c.text, lang, c.intent, c.sentiment,
                key, split)  # fmt: skip
    return rows


def split_of_part(key: str) -> str:
    """The split of a composed message's deciding part: 20% test, 10% calib, as for templates."""
    f = stable_fraction(key)
    return "test" if f < TEST_SHARE else "calib" if f < TEST_SHARE + CALIB_SHARE else "train"


def _dress(text: str, lang: str, rng: random.Random) -> str:
    """Light chat noise for composed messages: typos, lower case, no final punctuation."""
    if rng.random() < 0.25:
        text = _typo_en(text, rng) if lang == "en" else _typo_zh(text, rng)
    if lang == "en" and rng.random() < 0.4:
        text = text.lower()
    if rng.random() < 0.2:
        text = text.rstrip("?.!。？！")
    return text


def main() -> None:
    """Rewrite ``nlu/data/triage.jsonl``."""
    rows = generate()
    with TRIAGE_FILE.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {TRIAGE_FILE}")


if __name__ == "__main__":
    main()
