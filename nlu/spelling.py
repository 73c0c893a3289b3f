"""Fix English typos before classifying: ``wheres my pakage`` reads as ``wheres my package``.

Customers type fast on phones; a misspelt key word ("pasword", "refnud", "agnet") used to send a
clear request to ``other``. SymSpell (the ``symspellpy`` package and its English frequency list)
finds the most frequent word one edit away. It is careful on purpose:

- only lower-case ASCII words of four letters or more that MiniLM's vocabulary does not know are
  touched, so real words, names the model knows and anything with digits stay as they are;
- chat abbreviations and brand names the vocabulary lacks (``pls``, ``thx``, ``asap``, ``paypal``,
  ``wechat``, ``fapiao``) are kept;
- the fix must be one edit away and a common word (seen at least :data:`MIN_COUNT` times in the
  list), else the word stays.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from typing import Any

MIN_COUNT = 1_000_000
DICTIONARY_MIN_COUNT = 200_000  # smaller list, faster start (2-3 s, about 40 MB)
_WORD = re.compile(r"[A-Za-z]{4,}")
_EMPHASIS = re.compile(r"(.)\1\1")  # "sooo", "pleeease": stretched on purpose, not a typo
KEEP = frozenset(
    [
        "pls",
        "plz",
        "thx",
        "thanx",
        "tysm",
        "asap",
        "btw",
        "idk",
        "imo",
        "imho",
        "tbh",
        "omg",
        "lol",
        "lmao",
        "smh",
        "wtf",
        "ffs",
        "fyi",
        "afaik",
        "irl",
        "nvm",
        "tmrw",
        "tmr",
        "msg",
        "msgs",
        "acct",
        "acc",
        "pw",
        "pwd",
        "pws",
        "ppl",
        "rly",
        "pkg",
        "pkgs",
        "addr",
        "appt",
        "approx",
        "qty",
        "asap",
        "cuz",
        "coz",
        "tho",
        "gonna",
        "wanna",
        "gotta",
        "kinda",
        "sorta",
        "lemme",
        "gimme",
        "dunno",
        "ya",
        "yea",
        "yeah",
        "yep",
        "nope",
        "okay",
        "okey",
        "kk",
        "hiya",
        "heya",
        "wechat",
        "weixin",
        "alipay",
        "taobao",
        "tmall",
        "fapiao",
        "meituan",
        "eleme",
        "didi",
        "jd",
        "douyin",
        "kuaishou",
        "pinduoduo",
        "paypal",
        "venmo",
        "zelle",
        "klarna",
        "afterpay",
        "stripe",
        "ubereats",
        "doordash",
        "grubhub",
        "deliveroo",
        "instacart",
        "lyft",
        "airbnb",
        "booking",
        "expedia",
        "fedex",
        "usps",
        "dhl",
        "hermes",
        "evri",
        "royalmail",
        "amazon",
        "netflix",
        "spotify",
        "hulu",
        "iphone",
        "ipad",
        "airpods",
        "macbook",
        "android",
        "samsung",
        "huawei",
        "xiaomi",
        "whatsapp",
        "passbook",
        "gmail",
        "hotmail",
        "outlook",
        "icloud",
        "esim",
        "wifi",
        "bluetooth",
        "otp",
        "sms",
        "pin",
        "pins",
        "cvv",
        "iban",
        "swift",
        "visa",
        "mastercard",
        "amex",
        "unionpay",
    ]
)


@functools.cache
def _speller() -> Any:
    from symspellpy import SymSpell

    speller = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, count = line.partition(" ")
            if int(count) >= DICTIONARY_MIN_COUNT:
                speller.create_dictionary_entry(word, int(count))
    return speller


@functools.cache
def _known() -> frozenset[str]:
    """Whole words in MiniLM's vocabulary: the model reads these as they are."""
    from nlu.model import base_model_dir

    vocab = (base_model_dir() / "vocab.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in vocab if w.isalpha())


@functools.lru_cache(maxsize=65536)
def _fix(word: str) -> str:
    from symspellpy import Verbosity

    lower = word.lower()
    if lower in KEEP or lower in _known() or _EMPHASIS.search(lower):
        return word
    found = _speller().lookup(lower, Verbosity.TOP, max_edit_distance=1)
    if found and found[0].distance == 1 and found[0].count >= MIN_COUNT:
        return str(found[0].term)
    return word


def correct(text: str) -> str:
    """``text`` with its likely English typos fixed (see the module docstring)."""
    return _WORD.sub(lambda m: _fix(m.group(0)), text)
