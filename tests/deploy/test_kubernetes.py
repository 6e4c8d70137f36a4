"""``deploy/kubernetes/``, checked without a cluster: every manifest against the Kubernetes
API's JSON schemas (strict: an unknown or misspelt field fails), then against the gateway
itself (probe paths it serves, the port it listens on, settings it reads, a grace period
longer than its drain, files mounted where the configuration says)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gateway.config import config_from_mapping, render_toml
from gateway.server import create_app
from simpul import graph_configmap

KUBERNETES = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
VERSION = "1.30.0"
"""The oldest Kubernetes the manifests are for (autoscaling/v2 and policy/v1 are GA)."""


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document is not None:
                yield f"{path.name}:{document['kind']}", document


MANIFESTS = dict(documents())


def one(kind: str) -> dict[str, Any]:
    [found] = [d for d in MANIFESTS.values() if d["kind"] == kind and kind != "ConfigMap"]
    return found


def config_map(name: str) -> dict[str, str]:
    [found] = [
        d for d in MANIFESTS.values() if d["kind"] == "ConfigMap" and d["metadata"]["name"] == name
    ]
    data: dict[str, str] = found["data"]
    return data


def container() -> dict[str, Any]:
    [gateway] = one("Deployment")["spec"]["template"]["spec"]["containers"]
    return gateway  # type: ignore[no-any-return]


def gateway_config() -> Any:
    document = tomllib.loads(config_map("simpul-gateway")["simpul.toml"])
    return config_from_mapping(document, {}, {})


def test_every_kind_a_city_deployment_needs_is_there() -> None:
    kinds = sorted(d["kind"] for d in MANIFESTS.values())
    assert kinds == sorted(
        [
            "ConfigMap",
            "ConfigMap",
            "Deployment",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "Secret",
            "Service",
        ]
    )


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_the_manifest_is_valid_for_the_kubernetes_api(name: str) -> None:
    kubernetes_validate.validate(MANIFESTS[name], VERSION, strict=True)


def test_a_misspelt_field_is_caught() -> None:
    deployment = one("Deployment")
    wrong = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong, VERSION, strict=True)


def test_the_graph_config_map_is_the_repositorys_supergraph_and_grants() -> None:
    assert graph_configmap.main(["--check"]) == 0
    data = config_map("simpul-graph")
    for key, path in graph_configmap.FILES.items():
        assert data[key] == path.read_text()


def test_probes_ask_what_the_gateway_serves_on_the_port_it_listens_on() -> None:
    config = gateway_config()
    app = create_app(_never_loaded, config)
    paths = {getattr(route, "path", None) for route in app.routes}
    gateway = container()
    [port] = gateway["ports"]
    assert port["containerPort"] == config.server.port
    assert config.server.host == "0.0.0.0"
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/health"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert gateway[probe]["httpGet"]["path"] in paths
        assert gateway[probe]["httpGet"]["port"] == port["name"]
    [service_port] = one("Service")["spec"]["ports"]
    assert service_port["targetPort"] == port["name"]


def test_selectors_match_the_pods() -> None:
    labels = one("Deployment")["spec"]["template"]["metadata"]["labels"]
    for kind in ("Deployment", "PodDisruptionBudget"):
        assert one(kind)["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert one("Service")["spec"]["selector"].items() <= labels.items()
    target = one("HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", one("Deployment")["metadata"]["name"])


def test_the_environment_names_settings_the_gateway_reads() -> None:
    known = set(re.findall(r"# env: (SIMPUL_\w+)", render_toml(config_from_mapping({}, {}, {}))))
    names = {variable["name"] for variable in container()["env"]}
    assert names and names <= known, names - known


def test_the_pod_drains_before_it_is_killed() -> None:
    config = gateway_config()
    spec = one("Deployment")["spec"]["template"]["spec"]
    readiness = container()["readinessProbe"]
    assert config.server.drain_seconds >= 5
    # the Service has seen the failing readiness well before the drain ends
    assert readiness["periodSeconds"] * readiness["failureThreshold"] < config.server.drain_seconds
    assert spec["terminationGracePeriodSeconds"] > config.server.drain_seconds + 10


def test_the_pod_runs_as_nobody_in_particular_on_a_read_only_root() -> None:
    spec = one("Deployment")["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    security = container()["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    resources = container()["resources"]
    assert {"cpu", "memory"} <= resources["requests"].keys() <= resources["limits"].keys()
    dockerfile = (KUBERNETES.parents[1] / "Dockerfile").read_text()
    assert f"USER {spec['securityContext']['runAsUser']}" in dockerfile


def test_every_file_the_gateway_reads_is_mounted() -> None:
    config = gateway_config()
    mounts = {m["name"]: m for m in container()["volumeMounts"]}
    volumes = {v["name"]: v for v in one("Deployment")["spec"]["template"]["spec"]["volumes"]}

    def mounted(path: str) -> bool:
        for name, mount in mounts.items():
            volume = volumes[name]
            if "subPath" in mount:
                if path == mount["mountPath"]:
                    return mount["subPath"] in config_map(volume["configMap"]["name"])
                continue
            folder, _, key = path.rpartition("/")
            if folder != mount["mountPath"]:
                continue
            if "secret" in volume:
                items = {item["path"]: item["key"] for item in volume["secret"]["items"]}
                return items.get(key, "") in one("Secret")["stringData"]
            return key in config_map(volume["configMap"]["name"])
        return False

    assert mounted("/etc/simpul/simpul.toml")
    assert mounted(config.supergraph)
    assert mounted(config.access.grants_file)
    files = {v["name"]: v["value"] for v in container()["env"] if v["name"].endswith("_FILE")}
    assert files
    for name, path in files.items():
        assert mounted(path), name


def test_the_secret_holds_placeholders_only() -> None:
    for key, value in one("Secret")["stringData"].items():
        assert "REPLACE_ME" in value or value.startswith("redis://"), key


async def _never_loaded() -> Any:
    raise AssertionError("only the routes are looked at")
