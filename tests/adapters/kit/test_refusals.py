"""One error body for every refusal the HTTP API documents: a sentence or FastAPI's field errors."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import ValidationError

from adapters.kit.refusals import WHY, Refusal, refusals


def test_refusals_names_each_code_with_the_one_body_and_what_it_means() -> None:
    assert refusals(404, 422) == {
        404: {"model": Refusal, "description": "no such row (or file)"},
        422: {"model": Refusal, "description": WHY[422]},
    }
    assert refusals() == {}


def _answers() -> list[dict[str, object]]:
    """What FastAPI answers for a refusal with a sentence and for a query it could not read."""
    app = FastAPI()

    @app.get("/n")
    async def n(count: int) -> None:
        raise HTTPException(409, f"{count} is taken")

    with TestClient(app) as http:
        return [http.get("/n", params={"count": 3}).json(), http.get("/n", params={"count": "x"}).json()]


def test_the_body_describes_a_sentence_and_fastapis_own_list() -> None:
    sentence, listed = _answers()
    assert Refusal.model_validate(sentence).detail == "3 is taken"
    [error] = Refusal.model_validate(listed).detail  # type: ignore[misc]
    assert (error.loc, error.type, error.input) == (["query", "count"], "int_parsing", "x")


@pytest.mark.parametrize("body", [{}, {"detail": 3}, {"detail": [{"msg": "no loc nor type"}]}])
def test_what_no_refusal_looks_like_is_not_described(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Refusal.model_validate(body)
