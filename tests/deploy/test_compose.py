"""``deploy/compose.yaml``, checked without Docker: against the Compose Specification's JSON
schema (``compose-spec.json`` beside this file: the compose-spec project's schema, Apache-2.0,
as the npm package ``dclint`` 3.1.0 ships it), then against the city it runs:
every OPD of ``schema/subgraphs.toml`` with its simulator, what each service waits for
exists, the gateway's configuration loads and routes every subgraph to its container."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from gateway.bootstrap import traffic
from gateway.config import config_from_mapping, load_config, render_toml
from gateway.supergraph import load_supergraph
from subgraphs.registry import REGISTRY, city_opds

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
# its "$schema" names draft 7 by an address jsonschema does not know: said here
VALIDATOR = jsonschema.Draft7Validator(
    json.loads(Path(__file__).with_name("compose-spec.json").read_text())
)


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def test_the_file_follows_the_compose_specification() -> None:
    VALIDATOR.validate(compose())


def test_a_misspelt_key_is_caught() -> None:
    document = compose()
    document["services"]["gateway"]["enviroment"] = {}
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(document)


def test_every_opd_runs_with_its_simulator_behind_the_gateway() -> None:
    services = compose()["services"]
    for opd in city_opds(REGISTRY):
        assert f'--port", "{opd.subgraph_port}' in json.dumps(services[opd.name]["command"])
        assert f"http://{opd.name}-legacy:{opd.simulator_port}" in services[opd.name]["command"]
        assert f"{opd.name}-legacy" in services
        assert opd.name in services["gateway"]["depends_on"]
    assert {"redis", "postgres", "sso", "secrets"} <= services.keys()


def test_what_a_service_waits_for_exists() -> None:
    services = compose()["services"]
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= services.keys(), name


def test_the_gateway_shares_redis_and_logs_to_postgresql() -> None:
    env = compose()["services"]["gateway"]["environment"]
    assert env["SIMPUL_REDIS_URL"] == env["SIMPUL_DOCUMENTS_REDIS_URL"] == "redis://redis:6379/0"
    assert env["SIMPUL_AUDIT_STORE"].startswith("postgresql://")
    known = set(re.findall(r"# env: (SIMPUL_\w+)", render_toml(config_from_mapping({}, {}, {}))))
    assert env.keys() <= known


def test_the_gateway_calls_each_subgraph_at_its_container() -> None:
    command = compose()["services"]["gateway"]["command"]
    config = load_config(str(ROOT / command[command.index("--config") + 1]))
    supergraph = load_supergraph((ROOT / config.supergraph).read_text())
    routes = traffic(supergraph, config.engine, config.traffic)
    for opd in city_opds(REGISTRY):
        routed = supergraph.subgraphs[opd.name].url
        assert routes.url(opd.name, routed) == f"http://{opd.name}:{opd.subgraph_port}/graphql"
    assert config.server.host == "0.0.0.0" and config.server.workers == 2
    grace = int(compose()["services"]["gateway"]["stop_grace_period"].removesuffix("s"))
    assert grace > config.server.drain_seconds
