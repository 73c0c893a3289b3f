"""Read ``config.yaml`` into a :class:`Config`, with errors that name the YAML path and line."""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.config.checks import check_config
from bot.config.schema import Config
from bot.config.secrets import SecretValued, secret_valued
from bot.errors import ConfigError

Loc = tuple[str | int, ...]
MAX_CHARS = 1_000_000
"""The longest config read (the shipped one has 12,000 characters); reading 2 MB of YAML took 40 s."""
MAX_VALUES = 100_000
"""The most values (mappings, lists and scalars, each alias counted as what it repeats) a config may
hold; the shipped one has about 500. Aliases nested in aliases grow tenfold per level ("billion
laughs"), and every later check walks the expanded values."""
MAX_DEPTH = 64
"""The deepest nesting a config may have (the shipped one: 7 levels)."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe YAML 1.1, except that ``22:00`` stays the text it looks like, not 1320 (base 60),
    and a value a constructor cannot read (``2026-02-30``, ``!!int abc``) or an escape past Unicode
    (``"\\U00110000"``) is a YAML error at its line; nesting past :data:`MAX_DEPTH` is refused where
    it is read: 5,000 nested brackets took PyYAML 1.3 s (its scanner weighs every open bracket at
    each token, its composer recursed to Python's limit)."""

    _depth = 0

    def _too_deep(self, mark: yaml.Mark) -> yaml.YAMLError:
        return yaml.composer.ComposerError(None, None, f"nested over {MAX_DEPTH} levels deep", mark)

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level >= MAX_DEPTH:  # "[[[[...": before the scanner holds them all
            raise self._too_deep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self._depth >= MAX_DEPTH:  # nesting by indentation
            raise self._too_deep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: yaml.Mark) -> Any:
        try:
            return super().scan_flow_scalar_non_spaces(double, start_mark)
        except (ValueError, OverflowError):  # "\U00110000": PyYAML's chr() raises past Unicode
            escape = "\\U" + self.prefix(8)  # the scanner stopped at the escape's digits
            raise yaml.scanner.ScannerError(
                "while scanning a double-quoted scalar",
                start_mark,
                f"found an escape past U+10FFFF ('{escape}'): Unicode ends at \\U0010FFFF",
                self.get_mark(),
            ) from None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError) as exc:
            shown = str(node.value)[:40] + ("..." if len(str(node.value)) > 40 else "")
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {shown!r} as {node.tag.rsplit(':', 1)[-1]}: {exc}", node.start_mark
            ) from exc

    def construct_sexagesimal_as_text(self, node: yaml.ScalarNode) -> Any:
        value = self.construct_scalar(node)
        if ":" in value:
            return value
        return self.construct_yaml_int(node) if node.tag.endswith(":int") else self.construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_sexagesimal_as_text)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_sexagesimal_as_text)


def load_config(path: str | Path) -> Config:
    """Load and fully check a config file; raise :class:`ConfigError` listing every problem."""
    path = Path(path)
    return parse_config(read_config_text(path), source=str(path))


def read_config_text(path: Path) -> str:
    """The text of a config file; :class:`ConfigError` when it cannot be read, is not UTF-8 or is
    longer than a config may be. At most one character past :data:`MAX_CHARS` is read: the whole of
    ``/dev/zero`` (or of a file of gigabytes) was read before its size was checked, until memory ran
    out."""
    try:
        with path.open(encoding="utf-8") as file:
            text = file.read(MAX_CHARS + 1)
        if len(text) > MAX_CHARS:
            raise ConfigError(
                [f"{path} has over {MAX_CHARS:,} characters; a config may have at most {MAX_CHARS:,}"],
                source=str(path),
            )
        return text
    except OSError as exc:
        raise ConfigError([f"cannot read {path}: {exc.strerror}"], source=str(path)) from exc
    except UnicodeDecodeError as exc:  # a ValueError: it was a traceback at start-up and in `config check`
        bad = f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
        raise ConfigError(
            [f"{path} is not UTF-8 text ({bad} cannot be read): save it as UTF-8"], source=str(path)
        ) from None


def parse_config(text: str, source: str = "config.yaml") -> Config:
    """Parse YAML text into a checked :class:`Config`."""
    if len(text) > MAX_CHARS:
        raise ConfigError(
            [f"the file has {len(text):,} characters; a config may have at most {MAX_CHARS:,}"], source=source
        )
    root, data = _read_yaml(text, source)
    lines: dict[Loc, int] = {}
    duplicates: list[str] = []
    if root is not None:
        _index(root, (), lines, duplicates)
    if duplicates:
        raise ConfigError(duplicates, source=source)
    if unstorable := [f"{where}{_at(loc, lines)}: {fix}" for loc, where, fix in _unstorable(data, ())]:
        raise ConfigError(unstorable, source=source)
    if not isinstance(data, dict):
        raise ConfigError(["the file must be a mapping with at least a 'surveys' key"], source=source)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(error, lines) for error in exc.errors(include_url=False)]
        # A wrong value must not hide the other problems: check what remains without the bad parts.
        pruned, dropped = _without_errors(data, exc)
        rest = [
            f"{format_path(loc)}: {message}{_at(loc, lines)}"
            for loc, message in (check_config(pruned) if pruned is not None else [])
            if not any(_related(loc, message, gone) for gone in dropped)
        ]
        raise ConfigError([*problems, *(p for p in rest if p not in problems)], source=source) from exc
    findings = [f"{format_path(loc)}: {message}{_at(loc, lines)}" for loc, message in check_config(config)]
    if findings:
        raise ConfigError(findings, source=source)
    return config


def _read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree and its values, parsed once; :class:`ConfigError` for YAML that is not
    well formed or too big. PyYAML's own parser, not libyaml (ten times faster): libyaml reads some
    text PyYAML refuses (``{en: Is it ok?}``), and a config must read the same on every machine."""
    try:
        return _parse(text)
    except RecursionError:
        raise ConfigError([f"invalid YAML: nested over {MAX_DEPTH} levels deep"], source=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"invalid YAML{where}: {problem}"], source=source) from exc


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (its size checked) and the values read from that tree."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_size(root)  # before anything walks the values aliases repeat
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def _unstorable(data: Any, loc: Loc) -> Iterator[tuple[Loc, str, str]]:
    """(path, what, how to fix it) for each key and text holding what no database stores: NUL (a
    ``"\\0"`` escape made every send of a survey fail on PostgreSQL) or a lone surrogate (``"\\ud800"``)."""
    stack: list[tuple[Any, Loc]] = [(data, loc)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (fix := _storable_fix(key)):
                    yield at, f"{format_path(at)}: {fix[0]} in a key", fix[1]
                stack.append((item, (*at, str(key))))
        elif isinstance(value, list):
            stack.extend((item, (*at, i)) for i, item in enumerate(value))
        elif isinstance(value, str) and (fix := _storable_fix(value)):
            yield at, f"{format_path(at)}: {fix[0]} in the text", fix[1]


def _storable_fix(text: str) -> tuple[str, str] | None:
    if "\x00" in text:
        return "NUL (\\0)", "take it out (a database cannot store it)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone surrogate (\\ud800-\\udfff)", "write the whole character (UTF-8 holds no half of one)"
    return None


def _check_size(root: yaml.Node) -> None:
    """A YAML error unless ``root`` holds at most :data:`MAX_VALUES` values nested at most
    :data:`MAX_DEPTH` deep, aliases expanded (each node is walked once however often it is used),
    and no alias holds itself."""
    measured: dict[int, tuple[int, int]] = {}  # node id: (values, levels) of its expansion
    open_nodes: set[int] = set()

    def refuse(node: yaml.Node, problem: str) -> yaml.YAMLError:
        return yaml.composer.ComposerError(None, None, problem, node.start_mark)

    def measure(node: yaml.Node) -> tuple[int, int]:
        if id(node) in measured:
            return measured[id(node)]
        if id(node) in open_nodes:
            raise refuse(node, "an alias (*name) stands for a value that holds the alias itself")
        open_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else []
        inside = [measure(child) for child in children]
        values, levels = 1 + sum(v for v, _ in inside), 1 + max((d for _, d in inside), default=0)
        open_nodes.discard(id(node))
        if levels > MAX_DEPTH:
            raise refuse(node, f"nested over {MAX_DEPTH} levels deep")
        if values > MAX_VALUES:
            raise refuse(
                node,
                f"this holds over {MAX_VALUES:,} values (an alias counts as all it repeats): "
                "write repeated values out instead of nesting aliases (*name) in aliases",
            )
        measured[id(node)] = values, levels
        return values, levels

    measure(root)


def _without_errors(data: dict[str, Any], error: ValidationError) -> tuple[Config | None, list[Loc]]:
    """``data`` validated with every part pydantic refused taken out (a part missing a required key
    goes whole), and the paths taken out; ``None`` when it still does not validate."""
    pruned = copy.deepcopy(data)
    dropped: list[Loc] = []
    for _ in range(5):
        locs = set()
        for problem in error.errors(include_url=False):
            loc = _file_loc(problem)
            locs.add(loc[:-1] if problem["type"] == "missing" else loc)
        # Deepest and last first, so taking a list item out does not move the next one to remove.
        for loc in sorted(locs, key=lambda loc: [str(p).zfill(8) for p in loc], reverse=True):
            if loc and _drop(pruned, loc):
                dropped.append(loc)
        try:
            return Config.model_validate(pruned), dropped
        except ValidationError as again:
            error = again
    return None, dropped


def _drop(data: Any, loc: Loc) -> bool:
    """Remove ``loc`` from nested dicts and lists; ``False`` when it is not there."""
    for part in loc[:-1]:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return False
        data = data[part]
    last = loc[-1]
    if isinstance(data, dict) and last in data:
        del data[last]
        return True
    if isinstance(data, list) and isinstance(last, int) and 0 <= last < len(data):
        del data[last]
        return True
    return False


def _related(loc: Loc, message: str, dropped: Loc) -> bool:
    """Whether a cross-check may only be a consequence of taking ``dropped`` out: it lies in the same
    survey, team or list item (the first two parts of the path), or it names what was taken out."""
    return loc[: len(dropped[:2])] == dropped[:2] or f"'{dropped[-1]}'" in message


def format_path(loc: Sequence[str | int]) -> str:
    """``("surveys", "csat", "steps")`` -> ``surveys.csat.steps``; list indices as ``[0]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int], duplicates: list[str]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                duplicates.append(
                    f"{format_path((*loc, key))}: key given twice at line {key_node.start_mark.line + 1}"
                )
            seen.add(key)
            _index(value_node, (*loc, key), lines, duplicates)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines, duplicates)


def _at(loc: Loc, lines: dict[Loc, int]) -> str:
    for end in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return f" at line {line}"
    return ""


def _file_loc(error: Any) -> Loc:
    """Where in the file a pydantic error is: its path without the ``[key]`` pydantic adds after a
    mapping key it refused. Only that marker goes: a key of the file may start with "[" too (an
    unknown top-level ``"[x]"`` left no path at all, and an IndexError instead of a ConfigError)."""
    loc: Loc = tuple(error["loc"])
    return loc[:-1] if error["type"] != "extra_forbidden" and loc[-1:] == ("[key]",) else loc


def _describe(error: Any, lines: dict[Loc, int]) -> str:
    loc = _file_loc(error)
    kind = error["type"]
    if kind == "extra_forbidden":
        parent, key = loc[:-1], loc[-1]
        allowed = ", ".join(_allowed_keys(parent)) or "none"
        message = f"unknown key '{key}' (expected one of: {allowed})"
    elif kind == "missing":
        message = "required key is missing"
    else:
        text = str(error["msg"])
        text = text.removeprefix("Value error, ")
        message = f"{text[0].lower()}{text[1:]}" if text[1:2].islower() else text or kind
        if (secret := _secret_at(loc)) is not None:  # marked in the schema (bot.config.secrets)
            message += f" (the value is not shown: {secret.why})"
        elif "input" in error and not isinstance(error["input"], dict | list) and ", got" not in message:
            message += f", got {error['input']!r}"
        if isinstance(error.get("input"), bool) and kind == "string_type":
            word = "yes/on/true" if error["input"] else "no/off/false"
            message += f" (YAML reads an unquoted {word} as {error['input']}: put the text in quotes)"
    return f"{format_path(loc)}: {message}{_at(loc, lines)}"


def _secret_at(loc: Loc) -> SecretValued | None:
    """The mark of the field at ``loc`` when its value may be a secret."""
    model = _model_at(Config, loc[:-1]) if loc else None
    field = model.model_fields.get(str(loc[-1])) if model is not None else None
    return secret_valued(field) if field is not None else None


def _allowed_keys(loc: Loc) -> list[str]:
    model = _model_at(Config, loc)
    return list(model.model_fields) if model is not None else []


def _model_at(annotation: Any, loc: Loc) -> type[BaseModel] | None:
    for part in loc:
        annotation = _step_into(annotation, part)
        if annotation is None:
            return None
    for candidate in _members(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _step_into(annotation: Any, part: str | int) -> Any:
    for candidate in _members(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            field = candidate.model_fields.get(str(part))
            if field is not None:
                return field.annotation
        origin = typing.get_origin(candidate)
        args = typing.get_args(candidate)
        if origin is dict and len(args) == 2 and isinstance(part, str):
            return args[1]
        if origin is list and args and isinstance(part, int):
            return args[0]
    return None


def _members(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _members(typing.get_args(annotation)[0])
    elif origin is typing.Union or origin is types.UnionType:
        for arg in typing.get_args(annotation):
            yield from _members(arg)
    else:
        yield annotation
