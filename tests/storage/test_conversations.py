"""Messages held back (``Repository.add_message_later``) on SQLite and PostgreSQL: written with the
next message in one INSERT, ids in the order the messages were added, never lost on commit, seen by
every read of the same unit of work, gone with a rolled back one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from bot.repository import Repository
from storage import SqlStore
from storage.repository import SqlRepository

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def chat(store: SqlStore) -> tuple[int, int]:
    """An identity and its open conversation."""

    def work(repo: Repository) -> tuple[int, int]:
        identity = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=T0)
        return identity.id, repo.start_conversation(identity, T0).id

    made: tuple[int, int] = store.run_sync(work)
    return made


@pytest.fixture
def inserts(store: SqlStore) -> Iterator[list[str]]:
    """The INSERT statements into ``message`` sent from now on."""
    seen: list[str] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith("INSERT INTO MESSAGE"):
            seen.append(sql)

    event.listen(store.database.writer, "before_cursor_execute", statement)
    yield seen
    event.remove(store.database.writer, "before_cursor_execute", statement)


def said(chat: tuple[int, int], text: str, direction: str = "in") -> dict[str, Any]:
    identity_id, conversation_id = chat
    author = "customer" if direction == "in" else "bot"
    return {
        "identity_id": identity_id,
        "conversation_id": conversation_id,
        "direction": direction,
        "author": author,
        "text": text,
        "at": T0,
        "payload": {"said": text},
    }


def texts(store: SqlStore, conversation_id: int) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = store.read_sync(
        lambda r: [(m.id, m.text) for m in r.transcript(conversation_id)]
    )
    return found


def test_held_back_messages_go_with_the_next_one_in_one_insert_in_order(
    store: SqlStore, chat: tuple[int, int], inserts: list[str]
) -> None:
    def work(repo: Repository) -> int:
        for text in ("one", "two", "three"):
            repo.add_message_later(**said(chat, text))
        return repo.add_message(**said(chat, "thanks", "out"))

    last = store.run_sync(work)
    assert len(inserts) == 1
    transcript = texts(store, chat[1])
    assert [text for _, text in transcript] == ["one", "two", "three", "thanks"]
    assert transcript[-1][0] == last
    assert [i for i, _ in transcript] == sorted(i for i, _ in transcript)


def test_a_held_back_message_is_written_at_commit(store: SqlStore, chat: tuple[int, int]) -> None:
    store.run_sync(lambda r: r.add_message(**said(chat, "hello")))
    store.run_sync(lambda r: r.add_message_later(**said(chat, "5 stars")))
    assert [text for _, text in texts(store, chat[1])] == ["hello", "5 stars"]


def test_reads_in_the_same_unit_of_work_see_held_back_messages(
    store: SqlStore, chat: tuple[int, int]
) -> None:
    identity_id, conversation_id = chat

    def work(repo: SqlRepository) -> tuple[list[str], list[str]]:
        repo.add_message_later(**said(chat, "first"))
        in_transcript = [m.text for m in repo.transcript(conversation_id)]
        repo.add_message_later(**said(chat, "second"))
        repo.add_message_later(**said(chat, "third"))
        for_chat = [str(m["text"]) for m in repo.messages_for(identity_id)]
        return in_transcript, for_chat

    assert store.run_sync(work) == (["first"], ["first", "second", "third"])


def test_an_added_message_comes_after_held_back_ones_written_earlier(
    store: SqlStore, chat: tuple[int, int]
) -> None:
    def work(repo: Repository) -> int:
        repo.add_message_later(**said(chat, "answer"))
        repo.transcript(chat[1])  # writes "answer"
        return repo.add_message(**said(chat, "thanks", "out"))

    thanks = store.run_sync(work)
    transcript = texts(store, chat[1])
    assert [text for _, text in transcript] == ["answer", "thanks"]
    assert transcript[0][0] < thanks == transcript[1][0]


def test_a_failed_unit_of_work_drops_its_held_back_messages(store: SqlStore, chat: tuple[int, int]) -> None:
    def fails(repo: Repository) -> None:
        repo.add_message_later(**said(chat, "lost"))
        repo.add_message(**said(chat, "also lost", "out"))
        repo.add_message_later(**said(chat, "never written"))
        raise LookupError("the turn failed halfway")

    with pytest.raises(LookupError, match="halfway"):
        store.run_sync(fails)
    store.run_sync(lambda r: r.add_message_later(**said(chat, "kept")))
    assert [text for _, text in texts(store, chat[1])] == ["kept"]
