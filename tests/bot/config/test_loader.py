"""Reading ``config.yaml`` (``bot.config.loader``): every problem at once, each naming its YAML path
and line, and YAML read the way admins mean it."""

from __future__ import annotations

import textwrap
import time as clock
from datetime import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config.loader import format_path, load_config, parse_config
from bot.config.schema import Config
from bot.errors import ConfigError

from ...support.config import SHIPPED, shipped_text

SMALL = """\
locales: [en]
surveys:
  s:
    title: {en: S}
    start: q1
    steps:
      q1: {type: csat, text: {en: How was it}, next: done}
      done: {type: end, text: {en: Thanks!}}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(textwrap.dedent(text), source="site.yaml")
    assert caught.value.source == "site.yaml"
    return caught.value.problems


def test_the_shipped_config_loads() -> None:
    config = load_config(SHIPPED)
    assert config.surveys and config.default_locale in config.locales


def test_a_small_config_parses() -> None:
    assert list(parse_config(SMALL).surveys["s"].steps) == ["q1", "done"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [", ["invalid YAML at line 1: expected the node content, but found '<stream end>'"]),
        ("surveys: {}\nsurveys: {}\n", ["surveys: key given twice at line 2"]),
        ("- 1\n", ["the file must be a mapping with at least a 'surveys' key"]),
        ("", ["the file must be a mapping with at least a 'surveys' key"]),
        (SMALL.replace("start: q1", "start: q1\n    colour: red"),
         ["surveys.s.colour: unknown key 'colour' (expected one of: title, start, steps, reprompts, "
          "remind_after, expire_after) at line 6"]),
        # Keys starting with "[" (found by fuzzing): the top-level one raised IndexError, the nested
        # one was reported, and dropped, as its parent ("unknown key 's'").
        ('"[x]": 0\n' + SMALL,
         ["[x]: unknown key '[x]' (expected one of: locales, default_locale, timezone, texts, surveys, "
          "triggers, surveying, conversations, dsat, teams, routing, triage, tickets, reports, customers, "
          "channels, nlu, notifications, digest, retention, masking) at line 1"]),
        (SMALL.replace("start: q1", 'start: q1\n    "[x]": red'),
         ["surveys.s.[x]: unknown key '[x]' (expected one of: title, start, steps, reprompts, "
          "remind_after, expire_after) at line 6"]),
        (SMALL.replace("next: done", "next: q9"),
         ["surveys.s.steps.q1.next: unknown step 'q9' (known: done) at line 7",
          "surveys.s.steps.done: step 'done' cannot be reached from start 'q1' at line 8"]),
        (SMALL.replace("{en: Thanks!}", "yes"),
         ["surveys.s.steps.done.text: input should be a valid dictionary, got True at line 8"]),
    ],
)  # fmt: skip
def test_each_problem_names_its_path_and_line(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_a_bad_value_does_not_hide_the_problems_elsewhere() -> None:
    text = SMALL.replace("locales: [en]", "locales: [en]\nsurveying: {throttle: soon}").replace(
        "{en: Thanks!}", "{fr: Merci}"
    )
    found = problems(text)
    assert found[0].startswith("surveying.throttle: expected a duration such as 10m, 4h or 1d, got 'soon'")
    assert any(p.startswith("surveys.s.steps.done.text: ") and "en" in p for p in found[1:]), found


def test_a_yes_where_text_is_expected_says_to_quote_it() -> None:
    [problem] = problems(SMALL.replace("title: {en: S}", "title: {en: yes}"))
    assert "(YAML reads an unquoted yes/on/true as True: put the text in quotes)" in problem


def test_a_clock_time_stays_a_time_not_a_number_of_minutes() -> None:
    quoted, bare = 'quiet_hours: {start: "22:00", end: "08:00"}', "quiet_hours: {start: 22:00, end: 08:00}"
    text = shipped_text((quoted, bare))
    quiet = parse_config(text).surveying.quiet_hours
    assert quiet is not None and (quiet.start, quiet.end) == (time(22, 0), time(8, 0))


def test_a_file_that_cannot_be_read_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read") as caught:
        load_config(tmp_path / "missing.yaml")
    assert caught.value.source == str(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            b"surveys: \xff\n",
            "is not UTF-8 text (byte 0xff at offset 9 cannot be read): save it as UTF-8",
            id="latin-1",
        ),
        pytest.param(
            "surveys: {}\n".encode("utf-16"),
            "is not UTF-8 text (byte 0xff at offset 0 cannot be read): save it as UTF-8",
            id="utf-16",
        ),
    ],
)
def test_a_file_that_is_not_utf8_is_one_clear_config_error(tmp_path: Path, raw: bytes, expected: str) -> None:
    """A traceback (UnicodeDecodeError) before, from ``csatbot config check`` and at start-up."""
    path = tmp_path / "config.yaml"
    path.write_bytes(raw)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [f"{path} {expected}"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            ("title: {en: S}", r'title: {en: "S\0"}'),
            "surveys.s.title.en: NUL (\\0) in the text at line 4: take it out (a database cannot store it)",
            id="nul-in-text",
        ),
        pytest.param(
            ("locales: [en]", 'locales: [en]\nchannels: {webchat: {title: "Help\\ud800"}}'),
            "channels.webchat.title: a lone surrogate (\\ud800-\\udfff) in the text at line 2: "
            "write the whole character (UTF-8 holds no half of one)",
            id="surrogate-in-title",
        ),
        pytest.param(
            ("q1: {", '"q\\0": {'),
            "surveys.s.steps: NUL (\\0) in a key at line 6: take it out (a database cannot store it)",
            id="nul-in-key",
        ),
    ],
)
def test_text_a_database_cannot_store_is_refused_with_its_path(edit: tuple[str, str], expected: str) -> None:
    """NUL in a survey's text made every send of it fail on PostgreSQL (the survey never went out)."""
    assert problems(SMALL.replace(*edit)) == [expected]


def _laughs(levels: int) -> str:
    """A "billion laughs": each anchor a list of nine aliases of the one before (9**levels values)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"surveys: *a{levels}", ""])


HOSTILE = {
    "billion-laughs": (
        _laughs(9),
        "invalid YAML at line 6: this holds over 100,000 values (an alias counts as all it repeats): "
        "write repeated values out instead of nesting aliases (*name) in aliases",
    ),
    "alias-of-itself": (
        "surveys: &a [*a]\n",
        "invalid YAML at line 1: an alias (*name) stands for a value that holds the alias itself",
    ),
    # refused at the 65th bracket: PyYAML took 1.3 s to reach Python's recursion limit on these
    "deep-lists": (
        "surveys: " + "[" * 5000 + "]" * 5000 + "\n",
        "invalid YAML at line 1: nested over 64 levels deep",
    ),
    # as deep as the size limit allows (libyaml's parser crashes the whole process on this)
    "deeper-lists": (
        "surveys: " + "[" * 400_000 + "]" * 400_000,
        "invalid YAML at line 1: nested over 64 levels deep",
    ),
    "deep-flow-mappings": (
        "a: " + "{b: " * 70 + "1" + "}" * 70,
        "invalid YAML at line 1: nested over 64 levels deep",
    ),
    "deep-mappings": (
        "".join("  " * i + f"k{i}:\n" for i in range(100)),
        "invalid YAML at line 64: nested over 64 levels deep",  # where the 65th level opens,
    ),
    "deep-through-aliases": (
        "".join(
            f"l{i}: &l{i} " + "[" * 40 + (f"*l{i - 1}" if i else "x") + "]" * 40 + "\n" for i in range(30)
        ),
        "invalid YAML at line 2: nested over 64 levels deep",
    ),
    "huge": ("#" * 1_000_001, "the file has 1,000,001 characters; a config may have at most 1,000,000"),
    "impossible-date": (
        "surveys: {}\nretention: {transcripts: 2026-02-30}\n",
        "invalid YAML at line 2: cannot read '2026-02-30' as timestamp: day is out of range for month",
    ),
    "int-of-10001-digits": (
        "surveys: {}\nreports: {min_answers: 1" + "0" * 10_000 + "}\n",
        "invalid YAML at line 2: cannot read '1000000000000000000000000000000000000000...' as int: Exceeds "
        "the limit (4300 digits) for integer string conversion: value has 10001 digits; use "
        "sys.set_int_max_str_digits() to increase the limit",
    ),
    "not-an-int": (
        "surveys: !!int abc\n",
        "invalid YAML at line 1: cannot read 'abc' as int: invalid literal for int() with base 10: 'abc'",
    ),
    # Hunt 15: an escape past U+10FFFF was a ValueError out of PyYAML's scanner (a traceback in
    # `config check` and at start-up, a failed reload check), not a problem at its line.
    "escape-past-unicode": (
        'surveys: {}\nthanks: "ok \\U00110000"\n',
        "invalid YAML at line 2: found an escape past U+10FFFF ('\\U00110000'): Unicode ends at \\U0010FFFF",
    ),
    "escape-of-ffffffff": (
        '"\\UFFFFFFFF"\n',
        "invalid YAML at line 1: found an escape past U+10FFFF ('\\UFFFFFFFF'): Unicode ends at \\U0010FFFF",
    ),
    "python-object": (
        "surveys: !!python/object/apply:os.system [echo hi]\n",
        "invalid YAML at line 1: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
}


@pytest.mark.parametrize(("text", "expected"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_yaml_is_one_clear_problem_found_at_once(text: str, expected: str) -> None:
    """Each was a hang (aliases of aliases: an hour of CPU and gigabytes to index), a traceback
    (RecursionError, ValueError) or 40 s of parsing before; a reload keeps the last good config."""
    started = clock.monotonic()
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert caught.value.problems == [expected]
    assert clock.monotonic() - started < 5


@pytest.mark.parametrize(
    ("loc", "path"),
    [(("surveys", "csat", "steps"), "surveys.csat.steps"), (("triggers", 0, "delay"), "triggers[0].delay"),
     ((), "(top level)"), ((0,), "[0]")],
)  # fmt: skip
def test_paths_are_written_as_admins_read_them(loc: tuple[str | int, ...], path: str) -> None:
    assert format_path(loc) == path


_keys = st.text(st.sampled_from("[]{}.:-_ azQ9满\x85"), max_size=6) | st.sampled_from(
    ["[key]", "steps", "q1", "en"]
)
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _keys,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=8,
)


def _mappings(node: object) -> list[dict[object, object]]:
    if isinstance(node, dict):
        return [node, *(m for v in node.values() for m in _mappings(v))]
    return [m for v in node for m in _mappings(v)] if isinstance(node, list) else []


@settings(max_examples=80, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(st.lists(st.tuples(st.integers(min_value=0), _keys, _values), min_size=1, max_size=3))
def test_a_mutated_config_is_a_config_or_a_config_error(edits: list[tuple[int, str, object]]) -> None:
    """Keys and values set anywhere in a valid config: parsing gives a Config or ConfigError, never
    another exception (an unknown key starting with "[" was an IndexError)."""
    doc = yaml.safe_load(SMALL)
    for at, key, value in edits:
        places = _mappings(doc)
        places[at % len(places)][key] = value
    try:
        assert isinstance(parse_config(yaml.safe_dump(doc, allow_unicode=True)), Config)
    except ConfigError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)


HOSTILE_VALUES = (
    "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1, a: 2]", "2026-01-01 10:00:00",
    ".nan", "-.inf", "9" * 5000, "~", "[]", "{}", "[[]]", "{1: 2}", "{null: 1}", "{[a]: 1}", '"\\u202e"',
    '"\\ud800"', '"\\0"', "!!float abc", "!!python/object:os.system [ls]", "!!int 1e3", "2026-02-30",
    "{<<: [1, 2]}", "*undefined", "!x 1", "!!map [1]", "!!seq {a: 1}", "'" + "x" * 20_000 + "'",
)  # fmt: skip
"""What a hostile or careless edit puts where a value was: other YAML types, tags, aliases, NaN..."""
HOSTILE_KEYS = ("1", "null", "true", "2026-01-01", ".nan", "'[x]'", '"\\u202e"', "1.5", "'a.b'", "~", "<<")


def test_a_hostile_value_or_key_anywhere_is_refused_with_a_config_error_or_read() -> None:
    """A fixed sample (seeded) of the shipped config with one value or key replaced by something
    hostile: each is read or refused as a :class:`ConfigError`, never another exception, and what is
    read builds its settings (what a reload does next). 264 and 541 such files found nothing else."""
    import copy
    import random

    from bot.settings import Settings

    data = yaml.safe_load(shipped_text())
    places: list[tuple[str | int, ...]] = []
    stack: list[tuple[object, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        places += [loc] if loc else []
        items = (
            value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        )
        stack += [(item, (*loc, key)) for key, item in items]
    rng = random.Random(55)
    for _ in range(60):
        edited, loc = copy.deepcopy(data), rng.choice(places)
        parent = edited
        for part in loc[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and rng.random() < 0.4:
            parent["__HOSTILE__"] = parent.pop(loc[-1])
            hostile = rng.choice(HOSTILE_KEYS)
        else:
            parent[loc[-1]] = "__HOSTILE__"
            hostile = rng.choice(HOSTILE_VALUES)
        text = yaml.safe_dump(edited, allow_unicode=True, sort_keys=False).replace("__HOSTILE__", hostile)
        try:
            Settings.from_config(parse_config(text))
        except ConfigError as exc:
            assert str(exc).strip(), (loc, hostile)


def test_a_config_path_without_end_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """``/dev/zero`` (or a file of gigabytes) given as the config: it was read whole before its size
    was checked, and ``config check /dev/zero`` ended in a MemoryError; at most one character past
    the limit is read now (the file first: read whole, it failed here without using much memory)."""
    big = tmp_path / "config.yaml"
    big.write_text("#" * 3_000_000, encoding="utf-8")
    with pytest.raises(ConfigError, match="has over 1,000,000 characters"):
        load_config(big)
    with pytest.raises(ConfigError, match="has over 1,000,000 characters; a config may have at most"):
        load_config(Path("/dev/zero"))
