"""Good news for staff (pure: no I/O): which period's digest is due, which comments make it, and who
they credit.

A comment makes the digest when its survey was satisfied (CSAT 4-5, NPS 9-10, CES 5-7, not
escalated) and the comment is not negative. The most specific come first: positive before neutral,
then by :func:`specificity` (words, a Chinese character counting half a word, and the agents the
comment names), then by score. Each comment is credited to the agents who served the conversation,
the agents it names, and the conversation's team.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config.digest import DigestPolicy
from bot.config.schema import Config
from bot.masking import mask

DIGEST_TIMER = "digest"
"""Timer kind whose unique subject (the period's key) claims a digest: sent once per period."""
CHAT_KINDS: frozenset[str] = frozenset({"slack", "wecom_robot", "feishu", "telegram_group"})
NAMED_BONUS = 3.0
"""A comment naming an agent counts as this many words more specific."""

_LATIN = re.compile(r"[^\W_]+", re.ASCII)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Period:
    """One digest's comments: answered in ``[since, until)`` (UTC), local days ``first``..``last``."""

    key: str
    since: datetime
    until: datetime
    due_at: datetime
    first: date
    last: date


def due_period(policy: DigestPolicy, now: datetime, timezone: str) -> Period:
    """The latest period whose digest is due at or before ``now``."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    today = local.date()
    if policy.every == "daily":
        send_day = today if local.time() >= policy.at else today - timedelta(days=1)
        days = 1
    else:
        back = (today.weekday() - policy.day) % 7
        send_day = today - timedelta(days=back)
        if back == 0 and local.time() < policy.at:
            send_day -= timedelta(days=7)
        days = 7
    first = send_day - timedelta(days=days)

    def utc(day: date, at: time = time(0)) -> datetime:
        return datetime.combine(day, at, zone).astimezone(UTC)

    return Period(
        f"{policy.every}:{first.isoformat()}",
        utc(first),
        utc(send_day),
        utc(send_day, policy.at),
        first,
        send_day - timedelta(days=1),
    )


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment of a satisfied survey, as storage reads it."""

    survey_id: str
    conversation_id: int
    text: str
    sentiment: str | None
    score: str
    """The survey's score as staff read it: ``CSAT 5``, ``NPS 10``, ``CES 7``."""
    agents: tuple[str, ...]
    team: str | None
    channel: str


@dataclass(frozen=True, slots=True)
class Praise:
    """One comment in the digest and who it credits."""

    survey_id: str
    conversation_id: int
    text: str
    score: str
    agents: tuple[str, ...]
    """The agents who served the conversation (``bot`` left out)."""
    named: tuple[str, ...]
    """Other agents the comment names."""
    team: str | None
    team_name: str
    channel: str


@dataclass(frozen=True)
class Digest:
    """The best comments of one period, and how often each agent and team is credited."""

    key: str
    every: str
    first: str
    last: str
    timezone: str
    link: str
    praises: tuple[Praise, ...]
    considered: int
    """Happy comments in the period (the digest shows the best of them)."""
    agents: tuple[tuple[str, int], ...] = ()
    teams: tuple[tuple[str, int], ...] = ()
    """Team names (as configured) with their counts."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the outbox body and the API)."""
        data = asdict(self)
        data["agents"] = [{"name": n, "count": c} for n, c in self.agents]
        data["teams"] = [{"name": n, "count": c} for n, c in self.teams]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        """The digest :meth:`to_dict` wrote; ``KeyError``/``TypeError``/``ValueError`` if it is not one."""
        praises = tuple(
            Praise(**{**p, "agents": tuple(p["agents"]), "named": tuple(p["named"])}) for p in data["praises"]
        )
        return cls(
            key=str(data["key"]),
            every=str(data["every"]),
            first=str(data["first"]),
            last=str(data["last"]),
            timezone=str(data["timezone"]),
            link=str(data["link"]),
            praises=praises,
            considered=int(data["considered"]),
            agents=tuple((str(a["name"]), int(a["count"])) for a in data["agents"]),
            teams=tuple((str(t["name"]), int(t["count"])) for t in data["teams"]),
        )


def specificity(text: str, named: Collection[str] = ()) -> float:
    """How specific a comment is: its words (a Chinese character counts half a word, as Chinese words
    average about two characters), plus :data:`NAMED_BONUS` per agent it names."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(_CJK.sub(" ", text)))
    return latin + cjk / 2 + NAMED_BONUS * len(named)


def named_agents(text: str, known: Iterable[str]) -> tuple[str, ...]:
    """The ``known`` agents ``text`` names: Latin names as a whole word in any case (``谢谢Amy``
    too), others anywhere (``小王``)."""
    found = []
    for name in sorted(set(known)):
        if len(name) < 2 or name == "bot":
            continue
        if name.isascii():
            hit = (
                re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text, re.IGNORECASE)
                is not None
            )
        else:
            hit = name in text
        if hit:
            found.append(name)
    return tuple(found)


def _score_value(score: str) -> float:
    """A score on a 0-1 scale, so CSAT 5, NPS 10 and CES 7 rank alike."""
    kind, _, value = score.partition(" ")
    top = {"CSAT": 5, "NPS": 10, "CES": 7}.get(kind)
    return int(value) / top if top and value.isdigit() else 0.0


def best_comments(
    comments: Sequence[Comment], known_agents: Iterable[str], *, best: int, min_chars: int
) -> tuple[list[tuple[Comment, tuple[str, ...]]], int]:
    """The ``best`` most specific comments with the other agents each names, and how many were
    considered (satisfied, not negative, at least ``min_chars`` long, each text once)."""
    known = set(known_agents)
    seen: set[str] = set()
    ranked = []
    for comment in comments:
        text = comment.text.strip()
        same = _NOT_WORD.sub(" ", text.casefold()).strip()
        if comment.sentiment == "negative" or len(text) < min_chars or not same or same in seen:
            continue
        seen.add(same)
        named = tuple(n for n in named_agents(text, known) if n not in comment.agents)
        key = (
            comment.sentiment == "positive",
            specificity(text, named),
            _score_value(comment.score),
            comment.survey_id,
        )
        ranked.append((key, comment, named))
    ranked.sort(key=lambda item: item[0], reverse=True)
    return [(comment, named) for _, comment, named in ranked[:best]], len(ranked)


def build_digest(
    config: Config,
    period: Period,
    comments: Sequence[Comment],
    known_agents: Iterable[str],
    *,
    teams: Collection[str] | None = None,
) -> Digest:
    """The digest of ``period`` from its happy ``comments`` (only ``teams``' when given), masked as
    ``config.masking`` says."""
    policy = config.digest or DigestPolicy(every="weekly")
    chosen = [c for c in comments if teams is None or c.team in teams]
    top, considered = best_comments(chosen, known_agents, best=policy.best, min_chars=policy.min_chars)
    praises = tuple(_praise(config, c, named) for c, named in top)
    agents = Counter(a for p in praises for a in {*p.agents, *p.named})
    team_counts = Counter(p.team_name for p in praises if p.team_name)
    return Digest(
        key=period.key,
        every=policy.every,
        first=period.first.isoformat(),
        last=period.last.isoformat(),
        timezone=config.timezone,
        link=_good_news_link(config, period),
        praises=praises,
        considered=considered,
        agents=tuple(sorted(agents.items(), key=lambda kv: (-kv[1], kv[0]))),
        teams=tuple(sorted(team_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _praise(config: Config, c: Comment, named: tuple[str, ...]) -> Praise:
    """A chosen comment as the digest quotes it: masked, credited to its agents (never the bot)."""
    return Praise(
        survey_id=c.survey_id,
        conversation_id=c.conversation_id,
        text=mask(c.text.strip(), config.masking) if config.masking else c.text.strip(),
        score=c.score,
        agents=tuple(a for a in c.agents if a != "bot"),
        named=named,
        team=c.team,
        team_name=_team_name(config, c.team),
        channel=c.channel,
    )


def _good_news_link(config: Config, period: Period) -> str:
    """The console's good-news page for the period (a relative link without a public URL)."""
    base = str(config.notifications.public_url).rstrip("/") if config.notifications.public_url else ""
    return (
        f"{base}/console/reports/good-news?since={period.first.isoformat()}&until={period.last.isoformat()}"
    )


def _team_name(config: Config, team: str | None) -> str:
    if team is None:
        return ""
    spec = config.teams.get(team)
    return (spec.name if spec is not None else "") or team


def digest_targets(config: Config) -> list[str]:
    """The enabled chat targets that get the digest (``digest.targets``, else every one)."""
    policy = config.digest
    if policy is None:
        return []
    enabled = {name: t for name, t in config.notifications.enabled() if t.kind in CHAT_KINDS}
    if policy.targets is None:
        return list(enabled)
    return [name for name in dict.fromkeys(policy.targets) if name in enabled]


def known_agents(config: Config, served: Iterable[str]) -> set[str]:
    """Agents a comment may name: team members, agents of Telegram groups, and those who served."""
    names = {m for team in config.teams.values() for m in team.members}
    names |= {a for _, t in config.notifications.targets.items() for a in t.agents.values()}
    return names | {a for a in served if a != "bot"}
