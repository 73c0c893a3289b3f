"""``adopt`` serves a router's routes as built: what ``include_router`` serves, without building
each route again at the first request."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel

from csatbot.routing import adopt


class Item(BaseModel):
    id: int
    name: str


def signed_in(x_token: Annotated[str, Header()] = "") -> None:
    if x_token != "yes":
        raise HTTPException(401, "sign in")


def router() -> APIRouter:
    r = APIRouter(prefix="/api", dependencies=[Depends(signed_in)], tags=["support"])

    @r.get("/items/{item_id}", response_model=Item)
    async def item(item_id: int) -> dict[str, object]:
        return {"id": item_id, "name": "x", "hidden": "never shown"}

    @r.post("/items", response_model=Item, status_code=201)
    async def create(body: Item) -> Item:
        return body

    return r


def apps() -> tuple[FastAPI, FastAPI, APIRouter]:
    included, adopted, built = FastAPI(), FastAPI(), router()
    included.include_router(router(), tags=["webhook: x"])
    adopt(adopted, built, tags=["webhook: x"])
    return included, adopted, built


async def answers(app: FastAPI) -> list[tuple[int, str]]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        yes = {"x-token": "yes"}
        responses = [
            await http.get("/api/items/7", headers=yes),
            await http.get("/api/items/7"),
            await http.get("/api/items/seven", headers=yes),
            await http.post("/api/items", json={"id": 1, "name": "a"}, headers=yes),
            await http.post("/api/items", json={"id": "one"}, headers=yes),
            await http.get("/items/7", headers=yes),
        ]
    return [(r.status_code, r.text) for r in responses]


async def test_adopted_routes_answer_as_included_ones_do() -> None:
    included, adopted, _ = apps()
    got = await answers(adopted)
    assert got == await answers(included)
    assert [status for status, _ in got] == [200, 401, 422, 201, 422, 404]


def test_the_api_schema_is_the_same() -> None:
    included, adopted, _ = apps()
    assert adopted.openapi() == included.openapi()
    assert adopted.openapi()["paths"]["/api/items"]["post"]["tags"] == ["webhook: x", "support"]


async def test_the_routes_served_are_the_ones_built() -> None:
    _, adopted, built = apps()
    await answers(adopted)
    served = [route for route in adopted.router.routes if route in built.routes]
    assert served == built.routes and len(served) == 2
