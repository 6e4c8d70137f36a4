"""Configuration: defaults (golden), precedence file < env < flags, and rejected values."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from gateway.config import (
    AccessSettings,
    AuditSettings,
    CacheSettings,
    ConfigError,
    CorsSettings,
    DocumentSettings,
    EngineSettings,
    GatewayConfig,
    LimitSettings,
    ServerSettings,
    TelemetrySettings,
    TrafficSettings,
    config_document,
    config_from_mapping,
    load_config,
    render_toml,
)

GOLDEN = Path(__file__).with_name("default_config.toml")


def test_defaults() -> None:
    assert dataclasses.asdict(load_config()) == {
        "supergraph": "",
        "server": {
            "host": "127.0.0.1",
            "port": 4000,
            "workers": 1,
            "drain_seconds": 10.0,
            "log_level": "info",
            "log_format": "text",
            "graphiql": True,
            "max_request_bytes": 2 * 1024 * 1024,
            "max_response_bytes": 32 * 1024 * 1024,
            "header_timeout": 10.0,
            "body_timeout": 30.0,
            "write_timeout": 30.0,
            "max_connections": 2048,
            "max_connections_per_client": 64,
            "max_requests_per_client": 32,
            "portal": "",
            "profile": "development",
            "startup_wait": 10.0,
            "supergraph_poll": 10.0,
            "metrics": True,
            "csrf_prevention": False,
            "csrf_headers": (
                "apollo-require-preflight",
                "x-apollo-operation-name",
                "simpul-require-preflight",
            ),
        },
        "cors": {
            "origins": (),
            "origin_patterns": (),
            "allow_credentials": False,
            "allow_headers": (
                "content-type",
                "authorization",
                "x-api-key",
                "x-request-id",
                "simpul-purpose",
                "simpul-officer",
                "apollo-require-preflight",
                "simpul-require-preflight",
            ),
            "expose_headers": ("x-request-id",),
            "max_age": 600,
        },
        "engine": {
            "subgraph_timeout": 30.0,
            "expose_query_plan": False,
            "max_depth": 100,
            "field_suggestions": True,
            "max_query_bytes": 1024 * 1024,
            "forward_headers": (),
            "batch_entity_fetches": True,
            "dedup_subgraph_requests": False,
            "dedup_client_requests": False,
            "adaptive_concurrency": True,
            "override_labels": (),
            "document_cache_size": 1000,
            "plan_cache_size": 1000,
        },
        "limits": {
            "max_tokens": 5_000,
            "max_aliases": 30,
            "max_root_fields": 20,
            "max_fields": 2000,
            "max_height": 200,
            "max_directives": 5,
            "max_deferred": 8,
            "document_cache_bytes": 64 * 1024 * 1024,
            "parse_off_loop_bytes": 64 * 1024,
            "cost_mode": "enforce",
            "max_cost": 5_000,
            "list_size": 10,
            "actual_cost_sample": 0.05,
            "expose_cost": False,
        },
        "documents": {
            "mode": "apq",
            "manifest": "",
            "redis_url": "",
            "apq_max_bytes": 16 * 1024 * 1024,
        },
        "access": {
            "mode": "filter",
            "anonymous": True,
            "public": ("*",),
            "introspection": "filtered",
            "grants_file": "",
            "api_keys_file": "",
            "api_key_header": "x-api-key",
            "jwks_url": "",
            "jwt_issuer": "",
            "jwt_audience": "",
            "jwt_algorithms": ("RS256", "ES256", "EdDSA"),
            "jwt_leeway": 30.0,
            "jwt_client_claim": "azp",
            "officer_header": "simpul-officer",
            "purpose_header": "simpul-purpose",
            "policy_hook": "",
            "redis_url": "",
            "personal_rate_per_minute": 30,
            "call_signing": "hmac",
            "call_key_file": "",
            "call_token_ttl": 30.0,
        },
        "audit": {
            "store": "",
            "replica": "",
            "seal_key_file": "",
            "seal_public_keys": "",
            "subject_key_file": "",
            "seal_every": 256,
            "seal_interval": 10.0,
            "rotate_interval": 86400.0,
            "retention_days": 0,
            "archive": "",
        },
        "traffic": {
            "retries": 1,
            "retry_backoff": 0.05,
            "retry_max_backoff": 1.0,
            "breaker_failures": 5,
            "breaker_cooldown": 10.0,
            "max_concurrent": 0,
            "propagate_headers": (),
            "rename_headers": (),
            "insert_headers": (),
            "remove_headers": (),
            "probe_interval": 10.0,
            "request_timeout": 60.0,
            "subgraphs": (),
        },
        "telemetry": {
            "otlp_endpoint": "",
            "service_name": "simpul-gateway",
            "sample_ratio": 1.0,
        },
        "cache": {
            "enabled": True,
            "redis_url": "",
            "max_bytes": 64 * 1024 * 1024,
            "prefix": "simpul:cache:",
            "invalidate_key_file": "",
        },
    }


def test_default_config_matches_golden_file() -> None:
    assert render_toml(load_config()) == GOLDEN.read_text(encoding="utf-8")


def test_rendered_toml_loads_back_to_the_same_config() -> None:
    config = load_config(
        environ={
            "SIMPUL_SUPERGRAPH": 'schema/"odd" path.graphql',
            "SIMPUL_PORT": "8080",
            "SIMPUL_FORWARD_HEADERS": "authorization, x-opd",
        }
    )
    assert config_from_mapping(tomllib.loads(render_toml(config)), {}, {}) == config


def test_every_field_names_its_environment_variable() -> None:
    rendered = render_toml(GatewayConfig())
    sections = (GatewayConfig, ServerSettings, CorsSettings, EngineSettings, LimitSettings)
    later = (DocumentSettings, AccessSettings, AuditSettings, TrafficSettings, TelemetrySettings)
    for section in (*sections, *later, CacheSettings):
        for spec in dataclasses.fields(section):
            if spec.name in (
                "server",
                "cors",
                "engine",
                "limits",
                "documents",
                "access",
                "audit",
                "traffic",
                "telemetry",
                "cache",
            ) or spec.metadata.get("table"):
                continue
            assert spec.metadata["env"].startswith("SIMPUL_")
            assert f"# env: {spec.metadata['env']}" in rendered


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "simpul.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_file_then_env_then_flags(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
supergraph = "from-file.graphql"
[server]
host = "0.0.0.0"
port = 5000
graphiql = false
[engine]
subgraph_timeout = 5
expose_query_plan = true
forward_headers = ["Authorization"]
override_labels = ["beta"]
""",
    )
    config = load_config(
        path,
        environ={"SIMPUL_PORT": "6000", "SIMPUL_SUPERGRAPH": "from-env.graphql"},
        overrides={"supergraph": "from-flag.graphql", "server.host": None},
    )
    assert config.supergraph == "from-flag.graphql"
    assert config.server.host == "0.0.0.0"  # an unset flag leaves the file's value
    assert config.server.port == 6000
    assert config.server.graphiql is False
    assert config.engine.subgraph_timeout == 5.0
    assert isinstance(config.engine.subgraph_timeout, float)
    assert config.engine.expose_query_plan is True
    assert config.engine.max_depth == 100
    assert config.engine.forward_headers == ("authorization",)
    assert config.engine.override_labels == ("beta",)


def test_list_settings_from_env() -> None:
    config = load_config(
        environ={"SIMPUL_FORWARD_HEADERS": " Authorization ,x-opd,", "SIMPUL_OVERRIDE_LABELS": ""}
    )
    assert config.engine.forward_headers == ("authorization", "x-opd")
    assert config.engine.override_labels == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot = 1", "unknown key 'prot'"),
        ("[server]\nprot = 1", "unknown key server.prot"),
        ("server = 1", "[server] must be a table"),
        ('[server]\nport = "4000"', "server.port must be an integer, not '4000'"),
        ("[server]\nport = true", "server.port must be an integer, not True"),
        ("[server]\nport = 70000", "server.port must be at most 65535"),
        ("[server]\nworkers = 0", "server.workers must be at least 1"),
        ('[server]\nlog_level = "loud"', "server.log_level must be one of"),
        ("[engine]\nexpose_query_plan = 1", "engine.expose_query_plan must be true or false"),
        ("[engine]\nsubgraph_timeout = 0", "engine.subgraph_timeout must be at least"),
        ("[engine]\nsubgraph_timeout = nan", "engine.subgraph_timeout must be at least"),
        ('[engine]\nforward_headers = "authorization"', "must be a list of strings"),
        ("[engine]\nforward_headers = [1]", "must be a list of strings"),
        ("[engine]\nplan_cache_size = 0", "engine.plan_cache_size must be at least 1"),
        ('[traffic]\nrename_headers = ["x-opd"]', "'x-opd' must be \"from=to\""),
        ('[traffic]\ninsert_headers = ["x-key="]', "'x-key=' must be \"name=value\""),
        ('[traffic]\npropagate_headers = ["x opd"]', "'x opd' is not a header name"),
        ('[traffic]\ninsert_headers = ["host=evil"]', "'host' is set by the gateway itself"),
        (
            '[traffic.subgraphs.dukcapil]\nremove_headers = ["simpul-call"]',
            "traffic.subgraphs.dukcapil.remove_headers: 'simpul-call' is set by the gateway",
        ),
        ("[engine", "simpul.toml"),
    ],
)
def test_bad_file_values_are_rejected(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SIMPUL_PORT", "eighty", "SIMPUL_PORT must be an integer, not 'eighty'"),
        ("SIMPUL_GRAPHIQL", "maybe", "SIMPUL_GRAPHIQL must be true or false"),
        ("SIMPUL_SUBGRAPH_TIMEOUT", "-1", "engine.subgraph_timeout must be at least"),
    ],
)
def test_bad_env_values_are_rejected(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(environ={name: value})


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("Yes", True), ("off", False)]
)
def test_env_booleans(value: str, expected: bool) -> None:
    assert load_config(environ={"SIMPUL_EXPOSE_QUERY_PLAN": value}).engine.expose_query_plan is (
        expected
    )


def test_flag_of_the_wrong_type_is_rejected() -> None:
    with pytest.raises(ConfigError, match=re.escape("server.port must be an integer")):
        load_config(overrides={"server.port": "4000"})


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match=re.escape("cannot read /nonexistent/simpul.toml")):
        load_config("/nonexistent/simpul.toml")


def test_operators_guide_shows_the_default_config() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "operators.md").read_text(encoding="utf-8")
    block = guide.split("```toml\n", 1)[1].split("```", 1)[0]
    assert block == GOLDEN.read_text(encoding="utf-8")


def test_traffic_has_defaults_and_a_table_per_subgraph() -> None:
    document = tomllib.loads(
        """
        [engine]
        subgraph_timeout = 20
        [traffic]
        retries = 2
        [traffic.subgraphs.dukcapil]
        timeout = 5
        max_concurrent = 16
        url = "http://10.10.1.5:4011/graphql"
        """
    )
    config = config_from_mapping(document, {"SIMPUL_BREAKER_FAILURES": "3"}, {})
    assert config.traffic.retries == 2 and config.traffic.breaker_failures == 3
    [dukcapil] = config.traffic.subgraphs
    assert (dukcapil.name, dukcapil.timeout, dukcapil.max_concurrent, dukcapil.retries) == (
        "dukcapil",
        5.0,
        16,
        None,
    )
    # printed and read back, as worker processes receive it
    assert config_from_mapping(tomllib.loads(render_toml(config)), {}, {}) == config
    assert config_from_mapping(config_document(config), {}, {}) == config


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"speed": 1}, "unknown key traffic.subgraphs.dukcapil.speed"),
        ({"timeout": "5"}, "traffic.subgraphs.dukcapil.timeout must be a number"),
        ({"max_concurrent": -1}, "traffic.subgraphs.dukcapil.max_concurrent must be at least 0"),
        ({"timeout": 0}, "traffic.subgraphs.dukcapil.timeout must be at least 0.001"),
    ],
)
def test_a_subgraph_traffic_table_is_checked(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        config_from_mapping({"traffic": {"subgraphs": {"dukcapil": table}}}, {}, {})


def test_the_operators_guide_s_traffic_example_applies_to_the_city(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gateway.bootstrap import traffic
    from gateway.supergraph import load_supergraph_file

    root = Path(__file__).parents[2]
    guide = (root / "docs" / "operators.md").read_text(encoding="utf-8")
    example = guide.split("### Traffic per subgraph", 1)[1].split("```toml\n", 1)[1]
    config = config_from_mapping(tomllib.loads(example.split("```", 1)[0]), {}, {})
    city = load_supergraph_file(str(root / "schema" / "supergraph.graphql"))
    # the key its insert_headers reads, as the deployment's environment holds it
    monkeypatch.setenv("DINKES_GATEWAY_KEY", "kunci-gerbang-dinkes-0123")
    policies = traffic(city, config.engine, config.traffic)
    rules = policies.policy("dinkes").headers
    assert rules.apply(
        {"x-kode-opd": "1.02.0.00.0.00.01.0000"},
        {"x-portal-session": "sesi-1", "x-request-id": "r1"},
    ) == {
        "x-request-id": "r1",
        "x-satusehat-org": "1.02.0.00.0.00.01.0000",
        "x-api-key": "kunci-gerbang-dinkes-0123",
    }
    assert not policies.policy("dukcapil").headers
    assert policies.policy("dukcapil").timeout == 5.0
    assert policies.policy("dukcapil").max_concurrent == 16
    assert policies.url("dukcapil", "http://127.0.0.1:4011/graphql").startswith("http://10.")
    assert policies.policy("dinkes").timeout == 10.0
    assert policies.url("dinkes", "http://127.0.0.1:4015/graphql").endswith(":4015/graphql")
    typo = config_from_mapping({"traffic": {"subgraphs": {"dukcapill": {"retries": 0}}}}, {}, {})
    with pytest.raises(ConfigError, match="has no subgraph 'dukcapill'"):
        traffic(city, typo.engine, typo.traffic)
