"""English glosses start the new token rows where their meaning is."""

from __future__ import annotations

import torch

from nlu.glosses import gloss_words, hanzi_glosses
from nlu.model import add_rows, load_base
from nlu.vocab import chinese_words, extend_tokenizer, gb2312_chars, gloss_ids


def test_common_characters_and_emoji_have_english_meanings() -> None:
    assert "slow" in gloss_words("慢")
    assert "retreat" in gloss_words("退") or "return" in gloss_words("退")
    assert "trash" in gloss_words("垃")  # a character only used inside a word gets that word's meaning
    assert "angry" in gloss_words("😡")
    assert gloss_words("，") == [","]
    assert gloss_words("x") == []
    covered = sum(1 for ch in gb2312_chars() if gloss_words(ch))
    assert covered / len(gb2312_chars()) > 0.9  # the rest are mostly surnames and place names
    assert not any(g.startswith("surname") for g in hanzi_glosses().values())


def test_glossed_rows_start_near_their_meaning() -> None:
    tokenizer, encoder = load_base(num_layers=1)
    first_new = len(tokenizer)
    extend_tokenizer(tokenizer)
    glosses = gloss_ids(tokenizer, first_new)
    assert add_rows(encoder, len(tokenizer), seed=0, glossed=glosses) == len(glosses) > 6000
    table = encoder.get_input_embeddings().weight.detach()

    def row(token: str) -> torch.Tensor:
        return table[tokenizer.convert_tokens_to_ids(token)]

    slow, fast, angry = row("慢"), row("slow"), row("😡")
    cos = torch.nn.functional.cosine_similarity
    assert cos(slow, fast, dim=0) > 0.8
    assert cos(angry, row("angry"), dim=0) > cos(angry, row("happy"), dim=0)


def test_frequent_chinese_words_become_tokens_that_start_at_their_meaning() -> None:
    texts = ["我要退款", "退款什么时候到", "退款到了吗", "发票呢", "发票开一下", "发票", "一次"]
    assert chinese_words(texts, 10) == ["发票", "退款"]  # seen 3 times or more; most frequent first
    assert chinese_words(texts, 1) == ["发票"] and chinese_words(texts, 0) == []
    assert gloss_words("退款")[0] == "refund" and "invoice" in gloss_words("发票")
    tokenizer, _ = load_base(num_layers=1)
    first_new = len(tokenizer)
    extend_tokenizer(tokenizer, ["退款", "退款单"])
    ids = tokenizer("我要退款单号", add_special_tokens=False)["input_ids"]
    assert tokenizer.convert_tokens_to_ids("退款单") in ids  # the longest word wins
    assert gloss_ids(tokenizer, first_new)[tokenizer.convert_tokens_to_ids("退款")]
