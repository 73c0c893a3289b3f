"""Time comment themes: embedding and assigning new comments, fitting themes, and the themes report.

    python bench/themes.py --surveys 100000                      # SQLite, var/bench/themes.db
    python bench/themes.py --surveys 100000 --db postgresql://postgres@127.0.0.1:5432/csatbot_bench_themes
    python bench/themes.py --model var/models/triage             # a trained triage model

The encoder is the trained triage model in ``--model``; without one, the bundled all-MiniLM-L6-v2
that the triage model is fine-tuned from (the same six layers, so the same cost). Only the speed
is the point then: the base encoder knows no Chinese characters (the triage model adds them), so
its Chinese comments fall into one theme; theme quality is tested on a trained model
(tests/nlu/test_themes.py). The database is ``bench/reports_data.py``'s year of surveys with each
typed comment replaced by a generated one (eight themes in English and Chinese, varied wording,
given at random: the DSAT shares it prints mean nothing).

Printed, as a table: embedding + assigning 1,000 new comments (what a report request pays for
new comments, at most ``csatbot.comment_themes.PER_REQUEST`` of them); fitting themes on the
3,000-comment sample; embedding every comment of the database once; a report request's refresh
when nothing is new (the look for new and erased comments); fitting again (sample fit plus
re-assigning every stored comment); the themes report over 30 days and over the whole year. Each in
wall-clock and CPU seconds of this process (on a shared machine the two differ). The 1M columns
scale linearly by survey count where the work grows with it (the report, the full embedding, the
re-assignment) and keep the per-1k and sample-fit numbers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import drop_database, prepare  # noqa: E402
from bench.reports_data import END, generate  # noqa: E402

THEMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "delivery-en": (
        ["the delivery", "my parcel", "the package", "my order"],
        ["was late", "arrived three days late", "never showed up on time", "is stuck in transit"],
        ["", " again", ", no tracking update", " and nobody told me"],
    ),
    "rude-en": (
        ["the agent", "your staff", "the person on the phone", "support"],
        ["was rude", "was really impolite", "hung up on me", "talked down to me"],
        ["", " twice", ", very unprofessional", " when I asked for help"],
    ),
    "refund-en": (
        ["my refund", "the refund", "getting my money back", "the return"],
        ["is so slow", "took weeks", "still has not arrived", "is taking forever"],
        ["", " after two weeks", ", I want my money", " even after three emails"],
    ),
    "login-en": (
        ["the app", "the login page", "my account", "the password reset"],
        ["keeps crashing", "does not work", "locked me out", "fails every time"],
        ["", " on my phone", " since the update", ", cannot log in"],
    ),
    "praise-en": (
        ["the agent", "your team", "support", "the chat"],
        ["was very helpful", "solved it fast", "was friendly and quick", "was great"],
        ["", ", thank you", ", really appreciated", " as always"],
    ),
    "delivery-zh": (
        ["快递", "包裹", "我的订单", "这次配送"],
        ["太慢了", "晚到了三天", "一直没到", "卡在路上"],
        ["", "，物流也不更新", "，又是这样", "，没人通知我"],
    ),
    "rude-zh": (
        ["客服", "这个客服", "电话客服", "工作人员"],
        ["态度很差", "很不耐烦", "直接挂电话", "说话很难听"],
        ["", "，太不专业了", "，非常失望", "，我要投诉"],
    ),
    "refund-zh": (
        ["退款", "我的退款", "退货退款", "退钱"],
        ["太慢了", "一直没到账", "拖了两周", "迟迟不处理"],
        ["", "，催了好几次", "，什么时候能到", "，很着急"],
    ),
}
SAMPLE_FIT = 3000


def comments(n: int, seed: int = 1) -> list[str]:
    """``n`` generated comments over :data:`THEMES`, each with an order number or not (varied text)."""
    rng = random.Random(seed)
    combos = {
        name: [a + (" " if name.endswith("en") else "") + b + c for a, b, c in itertools.product(*parts)]
        for name, parts in THEMES.items()
    }
    names = list(combos)
    out = []
    for _ in range(n):
        name = rng.choice(names)
        text = rng.choice(combos[name])
        if rng.random() < 0.3:
            text += (
                f" (order {rng.randint(10000, 99999)})"
                if name.endswith("en")
                else f"（订单{rng.randint(10000, 99999)}）"
            )
        out.append(text)
    return out


def base_model_dir(out: Path) -> Path:
    """A model folder laid out as training writes it, holding the bundled all-MiniLM-L6-v2."""
    from nlu.model import base_model_dir as bundled

    source = bundled()
    (out / "encoder").mkdir(parents=True, exist_ok=True)
    (out / "tokenizer").mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "model.safetensors"):
        shutil.copy(source / name, out / "encoder" / name)
    shutil.copy(source / "tokenizer.json", out / "tokenizer" / "tokenizer.json")
    meta = {"model_id": "base-all-MiniLM-L6-v2", "max_length": 48, "intents": [], "sentiments": []}
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def timed(work: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Median wall-clock and CPU seconds (this process) over ``repeat`` runs, and the last result.
    CPU time says what the work costs on a machine busy with other things."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def replace_comments(url: str, seed: int) -> int:
    """Give every typed comment of the database a generated text; returns how many."""
    from sqlalchemy import select, update
    from sqlmodel import Session, col

    from models import Answer
    from storage import open_database

    database = open_database(url)
    with Session(database.writer) as session, session.begin():
        ids = list(
            session.scalars(select(col(Answer.id)).where(col(Answer.kind) == "text").order_by(col(Answer.id)))
        )
        texts = comments(len(ids), seed)
        for start in range(0, len(ids), 5000):
            part = zip(ids[start : start + 5000], texts[start : start + 5000], strict=True)
            session.execute(update(Answer), [{"id": i, "text": t, "raw": t} for i, t in part])
    database.dispose()
    return len(ids)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="var/bench/themes.db", help="SQLite file or postgresql:// URL")
    parser.add_argument("--surveys", type=int, default=100_000)
    parser.add_argument(
        "--model", type=Path, help="a trained triage model (default: the bundled base encoder)"
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads for embedding")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL bench database at the end")
    args = parser.parse_args(argv)

    from csatbot.comment_themes import PER_REQUEST
    from nlu.runtime import model_is_ready
    from nlu.sentences import SentenceEncoder
    from nlu.themes import features, fit_themes, nearest
    from storage import SqlStore, open_database
    from storage.themes import refresh, theme_report

    scratch = Path(tempfile.mkdtemp(prefix="bench-themes-"))
    model = args.model if args.model and model_is_ready(args.model) else base_model_dir(scratch / "base")
    encoder = SentenceEncoder(model, threads=args.threads)
    print(f"encoder: {encoder.model_id} ({model})", flush=True)

    rows: list[tuple[str, float, float, float]] = []  # what, wall, cpu, scale to 1M
    fit_texts, new_texts = comments(SAMPLE_FIT, seed=2), comments(1000, seed=3)
    encoder.embed(new_texts[:64])  # load and warm up
    fit_vectors = encoder.embed(fit_texts)
    wall, cpu, fit = timed(lambda: fit_themes(features(fit_vectors, fit_texts)))
    rows.append((f"fit themes on the {SAMPLE_FIT:,}-comment sample", wall, cpu, 1.0))
    wall, cpu, _ = timed(
        lambda: nearest(features(encoder.embed(new_texts), new_texts), fit.centroids), repeat=3
    )
    rows.append(("embed + assign 1,000 new comments", wall, cpu, 1.0))

    url = prepare(args.db if "://" in args.db else f"sqlite:///{args.db}")
    print(f"generating {args.surveys:,} surveys in {url} ...", flush=True)
    generate(url, args.surveys, progress=False)
    stored = replace_comments(url, seed=4)
    print(f"{stored:,} comments", flush=True)
    database = open_database(url)
    store = SqlStore(database)
    scale = 1_000_000 / args.surveys
    wall, cpu, _ = timed(lambda: refresh(store, encoder, limit=stored + 1, now=END))
    rows.append((f"embed + assign all {stored:,} comments once (first fit included)", wall, cpu, scale))
    wall, cpu, _ = timed(lambda: refresh(store, encoder, limit=PER_REQUEST, now=END), repeat=3)
    rows.append(("a report request's refresh with nothing new", wall, cpu, scale))
    wall, cpu, _ = timed(lambda: refresh(store, encoder, limit=1, now=END, force_fit=True))
    rows.append(("fit again: sample fit + re-assign every comment", wall, cpu, scale))
    month = (END - timedelta(days=30), END)
    year = (END - timedelta(days=366), END)
    for name, (since, until) in (("30 days", month), ("365 days", year)):
        wall, cpu, found = timed(
            lambda s=since, u=until: store.read_sync(lambda repo: theme_report(repo.session, s, u)), repeat=3
        )
        rows.append((f"themes report, {name} ({found['comments']:,} comments)", wall, cpu, scale))
    labels = store.read_sync(lambda repo: theme_report(repo.session, *year))["themes"]
    database.dispose()
    if args.drop and url.startswith("postgres"):
        drop_database(url)
    shutil.rmtree(scratch, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    head = f"{args.surveys:,} surveys: wall"
    print(f"\n{'seconds':{width}}  {head:>22}  {'cpu':>8}  {'1M wall':>9}  {'1M cpu':>8}")
    for name, wall, cpu, factor in rows:
        print(f"{name:{width}}  {wall:22.2f}  {cpu:8.2f}  {wall * factor:9.1f}  {cpu * factor:8.1f}")
    print("\nthemes (whole year):")
    for theme in labels:
        print(f"  {theme['count']:7,}  dsat {theme['dsat']:6,}  {' · '.join(theme['label'])}")


if __name__ == "__main__":
    main()
