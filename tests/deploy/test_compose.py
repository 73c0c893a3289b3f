"""docker-compose.yml and deploy/nginx.conf, read as files (docker itself is not run here): the
services, their health checks and volumes, and nginx sending to both replicas."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
REPLICAS = ("csatbot-1", "csatbot-2")


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


def test_postgres_16_keeps_its_data_on_a_volume_and_reports_health() -> None:
    postgres = compose()["services"]["postgres"]
    assert postgres["image"] == "postgres:16"
    assert "pgdata:/var/lib/postgresql/data" in postgres["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert "pgdata" in compose()["volumes"]


def test_two_replicas_on_postgres_share_the_model_volume_and_check_readyz() -> None:
    services = compose()["services"]
    owners = set()
    for name in REPLICAS:
        replica = services[name]
        assert replica["build"] == "."
        env = replica["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CSATBOT_SECRET_KEY"].startswith("${CSATBOT_SECRET_KEY:?")  # from the environment
        owners.add(env["CSATBOT_WORKER_ID"])
        assert "models:/app/var/models" in replica["volumes"]
        assert "/readyz" in " ".join(replica["healthcheck"]["test"])
        assert replica["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert "--no-train" in replica["command"]  # only the one-shot trainer writes the model
    assert owners == set(REPLICAS)  # distinct lease owners
    assert "models:/app/var/models" in services["trainer"]["volumes"]
    assert "models" in compose()["volumes"]


def test_the_proxy_is_an_official_image_in_front_of_both_replicas() -> None:
    proxy = compose()["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert all(proxy["depends_on"][name]["condition"] == "service_healthy" for name in REPLICAS)
    assert "healthcheck" in proxy
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream csatbot \{(.*?)\}", conf, re.S)
    assert upstream is not None
    assert re.findall(r"server (\S+);?", upstream.group(1)) == ["csatbot-1:8000", "csatbot-2:8000"]
    assert "proxy_pass http://csatbot;" in conf


def nginx_forwarded_for(conf: str, remote_addr: str, sent: str | None) -> str:
    """The ``X-Forwarded-For`` nginx passes on (its ``proxy_set_header`` in ``conf``) for a client
    at ``remote_addr`` that sent ``sent`` itself."""
    directive = re.search(r"proxy_set_header X-Forwarded-For (\S+);", conf)
    assert directive is not None
    value = {"$remote_addr": remote_addr, "$proxy_add_x_forwarded_for": f"{sent}, {remote_addr}"}
    return value[directive.group(1)] if sent else remote_addr


async def test_a_client_cannot_name_its_own_address_through_the_proxy() -> None:
    """Before: nginx appended to the client's X-Forwarded-For and the replicas trust any proxy
    (FORWARDED_ALLOW_IPS "*", so uvicorn takes the first address of the list): a client that sent
    ``X-Forwarded-For: 127.0.0.1`` was loopback (no limit on starting chat sessions) and one that
    sent a new address each time was never slowed down guessing console passwords."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    trusted = compose()["services"]["csatbot-1"]["environment"]["FORWARDED_ALLOW_IPS"]
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["client"][0])

    replica = ProxyHeadersMiddleware(app, trusted_hosts=trusted)
    for spoofed in (None, "127.0.0.1", "198.51.100.7, 10.0.0.1"):
        forwarded = nginx_forwarded_for(conf, "203.0.113.9", spoofed)
        headers = [(b"x-forwarded-for", forwarded.encode())]
        scope = {"type": "http", "client": ("172.18.0.5", 41000), "headers": headers, "scheme": "http"}
        await replica(scope, None, None)
    assert seen == ["203.0.113.9"] * 3
