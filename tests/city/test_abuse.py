"""Hostile requests against the running city (``make up``), each the way an outsider would
send it: none gets a 5xx, none hangs, each is refused with its own GraphQL error code, the
OPDs behind the gateway are spared, the gateway's memory stays bounded, and an ordinary
query is still answered afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.city import RunningCity, running_city

GATEWAY_PORT = 4952
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city() -> Iterator[RunningCity]:
    with running_city(GATEWAY_PORT) as running:
        yield running


@dataclass(frozen=True)
class Attack:
    name: str
    body: bytes | None = None
    json_body: Any = None
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    codes: frozenset[str] = frozenset()
    """The refusal codes any one of which is right; empty: an HTTP-level refusal."""
    status: frozenset[int] = frozenset({400})


def nested(levels: int) -> str:
    """``daftarKecamatan { kelurahan { kecamatan { kelurahan ... { nama } } } }``."""
    names = [("kelurahan", "kecamatan")[level % 2] for level in range(levels)]
    return "{ daftarKecamatan { " + " { ".join(names) + " { nama" + " }" * (levels + 2)


def diamond(levels: int) -> str:
    fragments = "\n".join(
        f"fragment F{i} on Kecamatan {{ kelurahan {{ kecamatan {{ ...F{i + 1} ...F{i + 1} }} }} }}"
        for i in range(levels)
    )
    last = f"fragment F{levels} on Kecamatan {{ nama }}"
    return f"{{ daftarKecamatan {{ ...F0 }} }}\n{fragments}\n{last}"


def query(text: str, codes: set[str], status: int = 400, **extra: Any) -> Attack:
    return Attack(
        text[:40],
        json_body={"query": text, **extra},
        codes=frozenset(codes),
        status=frozenset({status}),
    )


COST = {"COST_ESTIMATED_TOO_EXPENSIVE"}
ATTACKS: list[Attack] = [
    # the 261-byte nesting that stalled dukcapil, and its neighbours
    *(query(nested(levels), COST) for levels in range(8, 18)),
    # one field multiplied by aliases
    query("{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }", {"MAX_TOKENS_LIMIT"}),
    query(
        "{ " + " ".join(f"a{i}: pendudukKota {{ jumlah }}" for i in range(31)) + " }",
        {"MAX_ALIASES_LIMIT", "MAX_ROOT_FIELDS_LIMIT"},
    ),
    query(
        "{ " + " ".join(f"i{i}: daftarIzin {{ nomor jenis status }}" for i in range(20)) + " }",
        {"MAX_ROOT_FIELDS_LIMIT", "COST_ESTIMATED_TOO_EXPENSIVE"},
    ),
    query("{ " + " ".join(f"i{i}: daftarIzin {{ nomor }}" for i in range(19)) + " }", COST),
    # fragment bombs
    *(
        query(diamond(levels), {"MAX_FIELDS_LIMIT", "QUERY_TOO_DEEP"})
        for levels in (12, 20, 40, 80)
    ),
    # a directive flood on one field
    query(
        "{ pendudukKota @include(if: true)" + " @skip(if: false)" * 200 + " { jumlah } }",
        {"MAX_DIRECTIVES_LIMIT"},
    ),
    query("{ pendudukKota { jumlah" + " @include(if: true)" * 6 + " } }", {"MAX_DIRECTIVES_LIMIT"}),
    # the same field selected thousands of times
    query(
        "{ pendudukKota { " + "jumlah " * 5_000 + "} }", {"MAX_FIELDS_LIMIT", "MAX_TOKENS_LIMIT"}
    ),
    # root fields
    query(
        "{ "
        + " ".join(f'k{i}: kecamatan(kode: "61.71.0{i % 6 + 1}") {{ nama }}' for i in range(25))
        + " }",
        {"MAX_ROOT_FIELDS_LIMIT"},
    ),
    # cost amplification through lists and entities
    query(
        "{ daftarKecamatan { kelurahan { sekolah { kelurahan { sekolah { kelurahan { nama }"
        " } } } } } }",
        COST,
    ),
    query(
        "{ daftarOpd { aduan(batas: 500) { opd { aduan(batas: 500) { opd { nama } } } } } }", COST
    ),
    query("{ daftarIzin(batas: 500) { usaha { izin(batas: 500) { usaha { nib } } } } }", COST),
    query("{ daftarSekolah(batas: 500) { kelurahan { sekolah(batas: 500) { nama } } } }", COST),
    # pages larger than any OPD serves
    query("{ daftarAduan(batas: 100000) { trackingId } }", COST | {"BAD_USER_INPUT"}),
    # huge and deep variables
    Attack(
        "huge variables",
        json_body={
            "query": "query ($k: String!) { kelurahan(kode: $k) { nama } }",
            "variables": {"k": "6" * 1_900_000},
        },
        status=frozenset({200}),
    ),
    Attack(
        "deep input",
        body=b'{"query": "{ __typename }", "variables": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
    ),
    Attack(
        "variables too big",
        json_body={"query": "{ __typename }", "variables": {"x": "y" * 3_000_000}},
        status=frozenset({413}),
    ),
    # documents too large or too long
    Attack(
        "3 MB document",
        json_body={"query": "{ __typename }" + " " * 3_000_000},
        status=frozenset({413}),
    ),
    query("{ __typename }" + " " * 1_048_600, {"QUERY_TOO_LARGE"}),
    query(
        "{ __typename " + "# a comment\n" * 80_000 + "}", {"QUERY_TOO_LARGE", "MAX_TOKENS_LIMIT"}
    ),
    query("".join(f"query Q{i} {{ __typename }} " for i in range(4000)), {"MAX_TOKENS_LIMIT"}),
    query(
        "{" * 10_000 + "}" * 10_000, {"QUERY_TOO_DEEP", "MAX_TOKENS_LIMIT", "GRAPHQL_PARSE_FAILED"}
    ),
    query(
        "{ __schema { " + "types { fields { type { " * 40 + "name" + " } } }" * 40 + " } }",
        {"QUERY_TOO_DEEP", "MAX_FIELDS_LIMIT"},
    ),
    # batched arrays, malformed bodies
    Attack(
        "batch", json_body=[{"query": "{ __typename }"}] * 1000, codes=frozenset({"BAD_REQUEST"})
    ),
    Attack("not json", body=b"{ query: nope", codes=frozenset({"BAD_REQUEST"})),
    Attack("bad utf-8", body=b'{"query": "\xff\xfe"}', codes=frozenset({"BAD_REQUEST"})),
    Attack("null query", json_body={"query": None}, codes=frozenset({"BAD_REQUEST"})),
    Attack("query number", json_body={"query": 42}, codes=frozenset({"BAD_REQUEST"})),
    Attack(
        "variables list",
        json_body={"query": "{ __typename }", "variables": [1]},
        codes=frozenset({"BAD_REQUEST"}),
    ),
    Attack("empty body", body=b"", codes=frozenset({"BAD_REQUEST"})),
    Attack(
        "form post",
        body=b"query=%7B__typename%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
        status=frozenset({415}),
    ),
    Attack(
        "text post",
        body=b'{"query": "{ __typename }"}',
        headers={"content-type": "text/plain"},
        status=frozenset({415}),
    ),
    # wrong methods and protocol abuse
    Attack(
        "mutation by GET",
        method="GET",
        params={
            "query": 'mutation { verifikasiPenduduk(nik: "1", nama: "a", tanggalLahir: "x") '
            "{ hasil } }"
        },
        codes=frozenset({"METHOD_NOT_ALLOWED"}),
        status=frozenset({405}),
    ),
    Attack(
        "PUT",
        method="PUT",
        json_body={"query": "{ __typename }"},
        codes=frozenset({"METHOD_NOT_ALLOWED"}),
        status=frozenset({405}),
    ),
    Attack(
        "DELETE", method="DELETE", codes=frozenset({"METHOD_NOT_ALLOWED"}), status=frozenset({405})
    ),
    Attack(
        "preflight from anywhere",
        method="OPTIONS",
        headers={"origin": "http://evil.example", "access-control-request-method": "POST"},
        codes=frozenset({"CORS_REFUSED"}),
        status=frozenset({403}),
    ),
    Attack(
        "unacceptable accept",
        json_body={"query": "{ __typename }"},
        headers={"accept": "text/html"},
        status=frozenset({406}),
    ),
    # validation and variables
    query("{ nope }", {"GRAPHQL_VALIDATION_FAILED"}),
    query("{ kelurahan(kode: 1) { nama } }", {"GRAPHQL_VALIDATION_FAILED"}),
    query("query ($k: String!) { kelurahan(kode: $k) { nama } }", {"BAD_USER_INPUT"}, variables={}),
    query(
        "query ($k: String!) { kelurahan(kode: $k) { nama } }",
        {"BAD_USER_INPUT"},
        variables={"k": {"a": 1}},
    ),
    query("query A { __typename } query B { __typename }", {"OPERATION_RESOLUTION_FAILURE"}),
    query("{ __typename }", {"OPERATION_RESOLUTION_FAILURE"}, operationName="Other"),
    query("subscription { __typename }", {"GRAPHQL_VALIDATION_FAILED"}),
    # refused by the OPD at its field: the rest of an answer would still arrive
    query('{ kelurahan(kode: "' + "9" * 100_000 + '") { nama } }', {"BAD_USER_INPUT"}, 200),
    # personal data, as a stranger
    query(
        'mutation { verifikasiPenduduk(nik: "6171010101900001", nama: "A", '
        'tanggalLahir: "1990-01-01") { hasil } }',
        {"UNAUTHORIZED_FIELD_OR_TYPE"},
        200,
    ),
    Attack(
        "forged token",
        json_body={"query": "{ __typename }"},
        headers={"authorization": "Bearer x.y.z"},
        codes=frozenset({"UNAUTHENTICATED"}),
        status=frozenset({401}),
    ),
    Attack(
        "api key guess",
        json_body={"query": "{ __typename }"},
        headers={"x-api-key": "spk_" + "a" * 43},
        codes=frozenset({"UNAUTHENTICATED"}),
        status=frozenset({401}),
    ),
    Attack(
        "officer injection",
        json_body={"query": "{ __typename }"},
        headers={"x-api-key": "spk_x", "simpul-officer": "1' OR '1'='1"},
        codes=frozenset({"UNAUTHENTICATED"}),
        status=frozenset({401}),
    ),
    # persisted documents
    query(
        "{ __typename }",
        {"PERSISTED_QUERY_HASH_MISMATCH"},
        extensions={"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}},
    ),
    Attack(
        "unknown hash",
        json_body={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "1" * 64}}},
        codes=frozenset({"PERSISTED_QUERY_NOT_FOUND"}),
        status=frozenset({200}),
    ),
    Attack(
        "hash not hex",
        json_body={"documentId": "sha256:../../etc/passwd"},
        codes=frozenset({"BAD_REQUEST"}),
    ),
    # introspection flood
    query(
        "{ " + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(40)) + " }",
        {"MAX_ALIASES_LIMIT", "MAX_ROOT_FIELDS_LIMIT"},
    ),
    # query plans and costs are not for strangers unless the operator opts in
    Attack(
        "plan opt-in",
        json_body={"query": "{ daftarKecamatan { nama } }"},
        headers={"simpul-include-query-plan": "true", "simpul-include-cost": "true"},
        status=frozenset({200}),
    ),
]


def send(city: RunningCity, client: httpx.Client, attack: Attack) -> httpx.Response:
    headers = {"accept": "application/graphql-response+json", **attack.headers}
    content: bytes | None = attack.body
    if attack.json_body is not None:
        content = json.dumps(attack.json_body).encode()
    if content is not None and "content-type" not in headers:
        headers["content-type"] = "application/json"
    return client.request(
        attack.method, city.url, content=content, params=attack.params or None, headers=headers
    )


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_the_battery_has_sixty_hostile_requests() -> None:
    assert len(ATTACKS) >= 60


def test_no_hostile_request_gets_a_5xx_hangs_or_passes(city: RunningCity) -> None:
    gateway = city.child_pid("simpul.cli", "gateway")
    before = rss_kb(gateway)
    results = []
    with httpx.Client(timeout=20) as client:
        for _ in range(2):  # twice: a refusal must not be cached into a pass
            for attack in ATTACKS:
                answer = send(city, client, attack)
                assert answer.status_code < 500, (
                    attack.name,
                    answer.status_code,
                    answer.text[:300],
                )
                assert answer.status_code in attack.status, (
                    attack.name,
                    answer.status_code,
                    answer.text[:300],
                )
                if attack.codes:
                    body = answer.json()
                    got = {e["extensions"]["code"] for e in body.get("errors", [])}
                    assert got and got <= attack.codes, (attack.name, got)
                if attack.name == "plan opt-in":
                    assert "extensions" not in answer.json()
                results.append(answer.elapsed.total_seconds())
    after = rss_kb(gateway)
    assert after - before < 150_000, f"the gateway grew by {(after - before) // 1024} MB"
    with httpx.Client(timeout=20) as client:
        ordinary = client.post(city.url, json={"query": "{ pendudukKota { jumlah } }"})
    assert ordinary.status_code == 200 and ordinary.json()["data"]["pendudukKota"]["jumlah"] > 0
    assert max(results) < 10.0
