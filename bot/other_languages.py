"""Words of other languages that customers mix around a score, rewritten as the English or Chinese the
parser reads: "I give" ("le doy un 4", "saya bagi 5", "je donne 4", "ich gebe 4"), number words before a
unit or alone ("cinco", "lima bintang"), and the units of Korean, Japanese, German, French and
Portuguese ("5점", "星4つ", "4つ星", "4 sterne", "4 étoiles", "4 estrelas")."""

from __future__ import annotations

import re

_GIVE = re.compile(
    r"^(?:(?:le|te|les|os) )?(?:doy|dou)(?: (?:un|una|um|uma))?(?=\s)"  # Spanish, Portuguese
    r"|^(?:je (?:vous |te |leur )?(?:donne|mets))(?: (?:un|une))?(?=\s)"  # French
    r"|^ich (?:gebe|vergebe)(?: (?:euch|ihnen|dir|eine|ein))*(?=\s)"  # German
    r"|^(?:saya |aku )?(?:bagi|beri)(?=\s)",  # Malay and Indonesian (not "kasi": Tagalog's "because")
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    # Spanish, Portuguese, Malay and Indonesian (not "um", a filler, nor "dos", a system)
    "uno": "one", "una": "one", "tres": "three", "três": "three", "cuatro": "four", "quatro": "four",
    "cinco": "five", "seis": "six", "siete": "seven", "sete": "seven", "ocho": "eight", "oito": "eight",
    "nueve": "nine", "nove": "nine", "diez": "ten", "dez": "ten", "cero": "zero",
    "satu": "one", "dua": "two", "tiga": "three", "empat": "four", "lima": "five", "enam": "six",
    "tujuh": "seven", "lapan": "eight", "delapan": "eight", "sembilan": "nine", "sepuluh": "ten",
}  # fmt: skip
_UNITS = r"estrellas?|estrelas?|bintang|sterne?|[ée]toiles?|puntos?|pontos?|stars?|points?"
# A number word alone, or before a unit or a scale: "cinco", "lima bintang", "nueve de diez".
_NUMBER_WORD = re.compile(
    rf"^({'|'.join(_NUMBER_WORDS)})(?=\s*$|\s+(?:{_UNITS}|de |out of|/))"
    rf"|(?<=\s)({'|'.join(_NUMBER_WORDS)})(?=\s+(?:{_UNITS})\b)",
    re.IGNORECASE,
)
_UNIT = re.compile(r"(?<=\d)\s*(?:sterne?|[ée]toiles?|estrelas)\b", re.IGNORECASE)
# Korean 점 (points) and 만점에 (out of full marks), Japanese つ after a count of stars.
_KOREAN_OUT_OF = re.compile(r"(\d{1,2})\s*점\s*만점에\s*")
_KOREAN_POINTS = re.compile(r"(?<=\d)\s*점")
_JAPANESE_STARS = re.compile(r"星\s*(\d{1,2})\s*つ|(\d{1,2})\s*つ\s*星")
# Spanish "un" before a digit and "de" for "out of": "un 9 de 10", "un 3, regular".
_SPANISH_A = re.compile(r"^un(?=[ \t]\d)", re.IGNORECASE)
_SPANISH_OUT_OF = re.compile(r"(?<=\d)[ \t]de[ \t](?=(?:5|10)\b)", re.IGNORECASE)


def in_own_words(text: str) -> str:
    """``text`` with the other languages' words for giving a score, its number and its unit rewritten."""
    text = _GIVE.sub("give", text.strip(), count=1)
    text = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[(m[1] or m[2]).lower()], text)
    text = _UNIT.sub(" stars", text)
    text = _KOREAN_OUT_OF.sub(r"满分\1分 ", text)  # "10점 만점에 9점": 9 out of 10
    text = _KOREAN_POINTS.sub("分", text)
    text = _SPANISH_OUT_OF.sub(" out of ", _SPANISH_A.sub("", text).strip())
    return _JAPANESE_STARS.sub(lambda m: (m[1] or m[2]) + "星", text)
