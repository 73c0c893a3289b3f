"""The customer's locale: the language of their own words, else the platform's language tag."""

from __future__ import annotations

import pytest

from bot.locales import language_tag, pick_locale, written_locale


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        pytest.param("zh-CN", "zh-CN", id="exact"),
        pytest.param("zh", "zh-CN", id="language-only"),
        pytest.param("zh_CN", "zh-CN", id="underscore"),
        pytest.param("zh-cn", "zh-CN", id="lower-case"),
        pytest.param("zh-Hans", "zh-CN", id="script"),
        pytest.param("zh-Hans-CN", "zh-CN", id="script-and-region"),
        pytest.param("en", "en", id="en"),
        pytest.param("en-US", "en", id="en-US"),
        pytest.param("en_GB", "en", id="en_GB-underscore"),
        pytest.param("EN", "en", id="upper-case"),
        pytest.param("fr", "en", id="unknown-falls-back-to-default"),
        pytest.param("pt-BR", "en", id="unknown-region-falls-back"),
        pytest.param("", "en", id="empty"),
    ],
)
def test_pick_locale(wanted: str, expected: str) -> None:
    assert pick_locale(wanted, ["zh-CN", "en"], "en") == expected


def test_pick_locale_default_need_not_be_first() -> None:
    assert pick_locale("ja", ["en", "zh-CN"], "zh-CN") == "zh-CN"


@pytest.mark.parametrize(
    ("wanted", "locales", "expected"),
    [
        pytest.param("zh-Hant", ["zh-CN", "zh-TW", "en"], "zh-TW", id="traditional-script"),
        pytest.param("zh-HK", ["zh-CN", "zh-TW", "en"], "zh-TW", id="hong-kong"),
        pytest.param("zh-Hans", ["zh-TW", "zh-CN", "en"], "zh-CN", id="simplified-script"),
        pytest.param("cmn", ["en", "zh-CN"], "zh-CN", id="mandarin"),
        pytest.param("cmn-Hant-TW", ["zh-CN", "zh-TW", "en"], "zh-TW", id="mandarin-traditional"),
        pytest.param("yue-HK", ["zh-CN", "zh-TW", "en"], "zh-TW", id="cantonese-hong-kong"),
        pytest.param("yue", ["zh-CN", "zh-TW", "en"], "zh-TW", id="cantonese-traditional-by-default"),
        pytest.param("yue-CN", ["zh-TW", "zh-CN", "en"], "zh-CN", id="cantonese-in-guangdong"),
        pytest.param("yue", ["zh-CN", "en"], "zh-CN", id="cantonese-with-only-simplified"),
        pytest.param("NaN", ["zh-CN", "en"], "en", id="not-a-number-is-no-language"),
        pytest.param("wuu", ["en", "zh-CN"], "zh-CN", id="wu"),
    ],
)
def test_pick_locale_respects_chinese_script(wanted: str, locales: list[str], expected: str) -> None:
    assert pick_locale(wanted, locales, "en") == expected


@pytest.mark.parametrize(
    ("raw", "tag", "locale"),
    [
        pytest.param("en-US", "en-US", "en", id="plain"),
        pytest.param("zh-CN", "zh-CN", "zh-CN", id="zh-CN"),
        pytest.param("zh-Hans-CN-u-nu-hanidec", "zh-Hans-CN", "zh-CN", id="unicode-extension"),
        pytest.param("en-US-u-ca-gregory-hc-h12", "en-US", "en", id="calendar-and-hour-cycle"),
        pytest.param("sr-Latn-RS-x-private", "sr-Latn-RS", "en", id="private-use"),
        pytest.param("zh-Hant-TW-u-ca-roc", "zh-Hant-TW", "zh-CN", id="traditional-with-extension"),
        pytest.param("de-DE-1996", "de-DE", "en", id="variant"),
        pytest.param("ca-ES-valencia", "ca-ES", "en", id="long-variant"),
        pytest.param("es-419", "es-419", "en", id="numeric-region"),
        pytest.param("zh-yue-HK", "zh-HK", "zh-CN", id="extlang"),
        pytest.param("EN_us", "en-US", "en", id="case-and-underscore"),
        pytest.param("zh_hans_cn", "zh-Hans-CN", "zh-CN", id="all-lower"),
        pytest.param(" zh-CN ", "zh-CN", "zh-CN", id="spaces-around"),
        pytest.param("en-a-bbb-x-a-ccc", "en", "en", id="other-extension"),
        pytest.param("und", "", "en", id="undetermined"),
        pytest.param("x-private", "", "en", id="private-use-only"),
        pytest.param("i-klingon", "", "en", id="grandfathered"),
        pytest.param("en-US,en;q=0.9", "", "en", id="an-accept-language-header"),
        pytest.param("<script>", "", "en", id="markup"),
        pytest.param("en--US", "", "en", id="empty-subtag"),
        pytest.param("english", "", "en", id="a-word"),
        pytest.param("", "", "en", id="empty"),
    ],
)
def test_language_tag_keeps_language_script_and_region(raw: str, tag: str, locale: str) -> None:
    assert language_tag(raw) == tag
    assert pick_locale(language_tag(raw), ["zh-CN", "en"], "en") == locale


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("我忘记密码了，怎么重置？", "zh", id="simplified"),
        pytest.param("我忘記密碼了，請問怎麼重設？", "zh-Hant", id="traditional"),
        pytest.param("退款", "zh", id="two-characters-no-script-hint"),
        pytest.param("my order 没到", "zh", id="mixed-zh-en-is-chinese"),
        pytest.param("パスワードを忘れました", "ja", id="japanese-kana"),
        pytest.param("注文が届きません", "ja", id="japanese-kanji-and-kana"),
        pytest.param("I forgot my password", "en", id="english"),
        pytest.param("refund pls 🙏", "en", id="two-words-and-emoji"),
        pytest.param("ok", "", id="one-word-says-nothing"),
        pytest.param("5", "", id="a-rating"),
        pytest.param("8/10", "", id="a-score"),
        pytest.param("⭐⭐⭐⭐", "", id="stars"),
        pytest.param("", "", id="empty"),
    ],
)
def test_written_locale(text: str, expected: str) -> None:
    assert written_locale(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("我忘记密码了", "zh-CN", id="simplified"),
        pytest.param("我忘記密碼了，請幫我", "zh-TW", id="traditional"),
        pytest.param("where is my parcel", "en", id="english"),
        pytest.param("注文が届きません", "en", id="japanese-gets-the-default-not-chinese"),
    ],
)
def test_written_locale_picks_a_configured_locale(text: str, expected: str) -> None:
    assert pick_locale(written_locale(text), ["zh-CN", "zh-TW", "en"], "en") == expected
