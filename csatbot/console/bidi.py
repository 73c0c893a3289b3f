"""Text that keeps its direction controls to itself on a console page.

A customer's message may hold right-to-left overrides, embeddings and isolates (U+202A-U+202E,
U+2066-U+2069). They are part of what was written, so the console shows them, but one left open
reversed the rest of its line ("bob said “\u202e…” → refund" read backwards after the quote), and a
stray closer could end an override the page itself opened. Every text a page shows therefore goes
out as one isolate (FSI ... PDI) in which each control it opened is closed and each closer it did not
open is dropped: the text reads as written, and nothing around it moves.
"""

from __future__ import annotations

import re

from markupsafe import Markup

EMBEDDINGS = "\u202a\u202b\u202d\u202e"
"""Left-to-right and right-to-left embedding and override: closed by PDF (U+202C)."""
ISOLATES = "\u2066\u2067\u2068"
"""Left-to-right, right-to-left and first-strong isolate: closed by PDI (U+2069)."""
PDF, FSI, PDI = "\u202c", "\u2068", "\u2069"
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolated(text: str) -> str:
    """``text`` unchanged when it holds no direction control; else balanced and wrapped in FSI/PDI."""
    if not _CONTROLS.search(text):
        return text
    kept: list[str] = []
    open_: list[str] = []  # the closer each control still open needs, innermost last
    for char in text:
        if char in EMBEDDINGS:
            open_.append(PDF)
        elif char in ISOLATES:
            open_.append(PDI)
        elif char == PDF:
            if not open_ or open_[-1] != PDF:
                continue  # closes nothing of this text's: it would close the page's own
            open_.pop()
        elif char == PDI:
            if PDI not in open_:
                continue
            while open_.pop() != PDI:  # an isolate's end closes the embeddings inside it too
                pass
        kept.append(char)
    return FSI + "".join(kept) + "".join(reversed(open_)) + PDI


def shown(value: object) -> object:
    """Jinja's ``finalize``: every text a template prints goes through :func:`isolated` (markup the
    templates built, and values that are not text, as they are)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return isolated(value)
    return value
