"""Public data sets beside the clone (``../shared/data`` or ``$CSATBOT_DATA_DIR``), mapped to our labels.

Each loader returns :class:`~nlu.data.Example` rows with a deterministic split (by a hash of the
text, or the data set's own test file). Missing folders yield no rows; training then says so.
"""

from __future__ import annotations

import csv
import json
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from nlu.data import Example, split_of

BITEXT_MAP = {
    "recover_password": "password_reset",
    "check_invoice": "billing",
    "get_invoice": "billing",
    "payment_issue": "billing",
    "check_payment_methods": "billing",
    "get_refund": "refund",
    "track_refund": "refund",
    "check_refund_policy": "refund",
    "track_order": "delivery",
    "delivery_period": "delivery",
    "delivery_options": "delivery",
    "change_shipping_address": "delivery",
    "cancel_order": "cancel",
    "check_cancellation_fee": "cancel",
    "delete_account": "cancel",
    "complaint": "complaint",
    "contact_human_agent": "request_human",
    "contact_customer_service": "request_human",
    "create_account": "other",
    "edit_account": "other",
    "switch_account": "other",
    "newsletter_subscription": "other",
    "place_order": "other",
    "change_order": "other",
    "set_up_shipping_address": "other",
    "review": "other",
    "registration_problems": "other",
}
BANKING77_MAP = {
    "passcode_forgotten": "password_reset",
    "request_refund": "refund",
    "Refund_not_showing_up": "refund",
    "card_arrival": "delivery",
    "card_delivery_estimate": "delivery",
    "transaction_charged_twice": "billing",
    "extra_charge_on_statement": "billing",
    "card_payment_fee_charged": "billing",
    "direct_debit_payment_not_recognised": "billing",
}
CLINC_GREETING = {"greeting": "neutral", "goodbye": "neutral", "thank_you": "positive"}
# CLINC intents far from customer support: safe examples of "other". Banking, billing, orders and
# "are you a bot" are left out on purpose, because they overlap our intents.
CLINC_OTHER = {
    "weather",
    "tell_joke",
    "fun_fact",
    "recipe",
    "calories",
    "translate",
    "time",
    "timer",
    "alarm",
    "play_music",
    "definition",
    "distance",
    "directions",
    "flip_coin",
    "roll_dice",
    "meaning_of_life",
    "what_is_your_name",
    "how_old_are_you",
    "where_are_you_from",
    "do_you_have_pets",
    "what_are_your_hobbies",
    "travel_suggestion",
    "book_hotel",
    "book_flight",
    "car_rental",
    "restaurant_suggestion",
    "cook_time",
    "ingredients_list",
    "nutrition_info",
    "date",
    "calendar",
    "todo_list",
    "shopping_list",
    "spelling",
    "measurement_conversion",
    "next_holiday",
    "traffic",
    "gas_type",
    "tire_pressure",
    "oil_change_how",
    "smart_home",
    "change_volume",
    "change_language",
    "meeting_schedule",
    "uber",
    "vaccines",
    "plug_type",
}
_ZH_GREETING = re.compile(r"你好|您好|早上好|晚上好|晚安|早安|谢谢|感谢|再见|拜拜|哈喽|嗨")


def data_dir() -> Path:
    """Where the public sets live: ``$CSATBOT_DATA_DIR`` or ``../shared/data`` from the working dir."""
    env = os.environ.get("CSATBOT_DATA_DIR")
    return Path(env) if env else Path.cwd().parent / "shared" / "data"


def _csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def bitext(root: Path) -> list[Example]:
    """Bitext customer-support requests (en), mapped to our intents; complaints are negative."""
    path = root / "bitext_customer_support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
    rows = []
    for r in _csv_rows(path):
        intent = BITEXT_MAP.get(r["intent"])
        if intent and r["instruction"].strip():
            text = r["instruction"].strip()
            rows.append(
                Example(
                    text,
                    "en",
                    intent,
                    "negative" if intent == "complaint" else None,
                    "bitext",
                    split_of(text),
                )
            )
    return rows


def banking77(root: Path, *, mapped_only: bool = True) -> list[Example]:
    """BANKING77 (en). ``mapped_only``: the few categories that are our intents, split by hash;
    otherwise all 77 categories with the official train/test split (for the benchmark)."""
    rows = []
    for split in ("train", "test"):
        for r in _csv_rows(root / "banking77" / f"{split}.csv"):
            text = r["text"].strip()
            if mapped_only:
                intent = BANKING77_MAP.get(r["category"])
                if intent:
                    rows.append(Example(text, "en", intent, None, "banking77", split_of(text)))
            else:
                rows.append(Example(text, "en", r["category"], None, "banking77", split))
    return rows


def clinc(root: Path) -> list[Example]:
    """CLINC150 (en): greetings/thanks/goodbyes, and out-of-scope plus far-off intents as ``other``."""
    raw = json.loads((root / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    rows = []
    for part in ("train", "val", "test", "oos_train", "oos_val", "oos_test"):
        for text, label in raw[part]:
            if label in CLINC_GREETING:
                rows.append(
                    Example(text, "en", "greeting_thanks", CLINC_GREETING[label], "clinc", split_of(text))
                )
            elif label == "oos" or label in CLINC_OTHER:
                rows.append(Example(text, "en", "other", "neutral", "clinc", split_of(text)))
    return rows


def smp2017(root: Path) -> list[Example]:
    """SMP2017-ECDT (zh assistant queries): greetings in ``chat`` are greeting_thanks, the rest other."""
    rows = []
    for r in _csv_rows(root / "smp2017_ecdt_task1" / "Chinese_data.csv", delimiter="\t"):
        text, tag = r["Sentence"].strip(), r["Tag"].strip()
        if not text:
            continue
        if tag == "chat":
            greeting = bool(_ZH_GREETING.search(text))
            rows.append(
                Example(
                    text, "zh", "greeting_thanks" if greeting else "other", None, "smp2017", split_of(text)
                )
            )
        else:
            rows.append(Example(text, "zh", "other", "neutral", "smp2017", split_of(text)))
    return rows


def crosswoz(root: Path) -> list[Example]:
    """CrossWOZ user turns (zh): thanks/bye-only turns are greeting_thanks, travel requests other."""
    rows = []
    seen: set[str] = set()
    for name in ("val.json.zip", "test.json.zip"):
        with zipfile.ZipFile(root / "crosswoz" / name) as z:
            dialogues = json.loads(z.read(z.namelist()[0]))
        for dialogue in dialogues.values():
            for m in dialogue["messages"]:
                text = m["content"].strip()
                if m["role"] != "usr" or not text or text in seen:
                    continue
                seen.add(text)
                acts = {(a[0], a[1]) for a in m["dialog_act"]}
                if acts and all(a[0] == "General" for a in acts):
                    thanks = ("General", "thank") in acts
                    rows.append(
                        Example(
                            text,
                            "zh",
                            "greeting_thanks",
                            "positive" if thanks else "neutral",
                            "crosswoz",
                            split_of(text),
                        )
                    )
                elif not any(a[0] == "General" for a in acts):
                    rows.append(Example(text, "zh", "other", "neutral", "crosswoz", split_of(text)))
    return rows


def online_shopping(root: Path) -> list[Example]:
    """online_shopping_10_cats (zh reviews, binary sentiment), deduplicated, conflicting texts dropped."""
    labels: dict[str, set[str]] = {}
    for r in _csv_rows(root / "online_shopping_10_cats" / "online_shopping_10_cats.csv"):
        text = (r.get("review") or "").strip().lstrip("\ufeff")
        if text:
            labels.setdefault(text, set()).add("positive" if r["label"] == "1" else "negative")
    return [
        Example(t, "zh", None, next(iter(s)), "online_shopping", split_of(t))
        for t, s in labels.items()
        if len(s) == 1
    ]


def sst2(root: Path) -> list[Example]:
    """SST-2 (en movie-review phrases): train file split by hash; the dev file is its own split."""
    rows = []
    for r in _csv_rows(root / "sst2" / "train.tsv", delimiter="\t"):
        text = r["sentence"].strip()
        rows.append(
            Example(
                text,
                "en",
                None,
                "positive" if r["label"] == "1" else "negative",
                "sst2",
                split_of(text, test=0.0),
            )
        )
    return rows


def sst2_dev(root: Path) -> list[Example]:
    """SST-2 dev (872 sentences): the benchmark's English sentiment test."""
    path = root / "sst2" / "dev.tsv"
    rows = []
    for r in _csv_rows(path, delimiter="\t"):
        text = (r.get("sentence") or r.get("content") or "").strip()
        rows.append(
            Example(text, "en", None, "positive" if r["label"] == "1" else "negative", "sst2_dev", "test")
        )
    return rows


LOADERS: dict[str, Callable[[Path], list[Example]]] = {
    "bitext": bitext,
    "banking77": banking77,
    "clinc": clinc,
    "smp2017": smp2017,
    "crosswoz": crosswoz,
    "online_shopping": online_shopping,
    "sst2": sst2,
}


def load_public(root: Path | None = None) -> tuple[dict[str, list[Example]], list[str]]:
    """Every public source found under ``root``; also returns the names of sources that are missing."""
    root = root or data_dir()
    found: dict[str, list[Example]] = {}
    missing = []
    for name, loader in LOADERS.items():
        try:
            found[name] = loader(root)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            missing.append(name)
    return found, missing
