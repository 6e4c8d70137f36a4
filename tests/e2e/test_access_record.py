"""The gateway's entries in the access log: one per operation that reaches personal data,
written before the answer leaves, naming the client, officer, purpose, legal basis, fields
and paths, the data subjects (keyed hashes of the NIKs found in the arguments and in the
answers), the outcome and the subgraphs called.

The registry subgraph (tests/support/registry.py) marks its personal data as an OPD team
would with the toolkit; callers authenticate with API keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from gateway.access import AccessOptions, Grant
from gateway.access.grants import ApiKeys, ClientGrants, Grants, hash_api_key
from gateway.access.identity import Authenticator
from gateway.audit import AuditTrail, AuditUnavailable, Entry, document_hash
from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, down, supergraph_of
from tests.support.audit import AuditFiles
from tests.support.registry import registry

SUPERGRAPH = supergraph_of("access_record", {"registry": registry})

DINSOS = "PNK/GOV/1.06.01/siks"
BAPPEDA = "PNK/GOV/5.01.01/sipd"
KEYS = {DINSOS: "spk_dinsos", BAPPEDA: "spk_bappeda"}
PURPOSE = "Verifikasi penerima bantuan sosial"
OFFICER = "198709152010011003"
BASIS = "PKS Disdukcapil-Dinsos No. 470/112/2026"
GRANTS = Grants(
    {
        DINSOS: ClientGrants(
            DINSOS,
            grants=(
                Grant("dukcapil.biodata", (PURPOSE,), BASIS, rate_per_minute=100),
                Grant("dukcapil.verifikasi", (PURPOSE,), BASIS, rate_per_minute=2),
            ),
        ),
        BAPPEDA: ClientGrants(BAPPEDA),
    }
)


def options(**overrides: Any) -> AccessOptions:
    keys = ApiKeys({hash_api_key(k): c for c, k in KEYS.items()})
    return AccessOptions(authenticator=Authenticator(grants=GRANTS, api_keys=keys), **overrides)


def as_client(client: str, officer: str | None = OFFICER) -> dict[str, str]:
    headers = {"x-api-key": KEYS[client], "simpul-purpose": PURPOSE}
    if officer is not None:
        headers["simpul-officer"] = officer
    return headers


@pytest.fixture
def city(federate: Federate) -> Federation:
    return federate(SUPERGRAPH, {"registry": app_of(registry)}, access=options())


async def run(
    city: Federation,
    query: str,
    headers: Mapping[str, str] | None = None,
    request_id: str = "req-1",
    **variables: Any,
) -> Any:
    response = await city.execute(
        query, variables or None, headers={**(headers or {}), "x-request-id": request_id}
    )
    return response.body


def sent(city: Federation) -> str:
    return "\n".join(request["query"] for request in city.requests("registry"))


async def test_a_personal_query_is_recorded_with_who_why_what_and_whom(
    city: Federation, audit: AuditFiles
) -> None:
    query = 'query Cari { penduduk(nik: "6171010101900001") { nama kelurahan } }'
    body = await run(city, query, as_client(DINSOS), request_id="cari-1")
    assert body == {"data": {"penduduk": {"nama": "Ahmad", "kelurahan": "61.71.01.1001"}}}
    [entry] = audit.entries()
    assert entry == {
        "source": "gateway",
        "request": "cari-1",
        "time": entry["time"],
        "outcome": "answered",
        "client": DINSOS,
        "officer": OFFICER,
        "purpose": PURPOSE,
        "legal_basis": [BASIS],
        "operation": "Cari",
        "kind": "query",
        "document": document_hash(query),
        "fields": [
            {"field": "Penduduk.nama", "category": "pribadi", "paths": [["penduduk", "nama"]]}
        ],
        "refused": [],
        "subjects": [audit.subject("6171010101900001")],
        "subgraphs": ["registry"],
        "owners": ["registry"],
        "detail": {},
    }
    assert entry["time"].endswith("Z")
    assert "6171010101900001" not in str(audit.entries())
    assert (await audit.verify()).ok


async def test_subjects_come_from_variables_and_from_the_answers(
    city: Federation, audit: AuditFiles
) -> None:
    by_variable = "query ($nik: String!) { penduduk(nik: $nik) { nama } }"
    await run(city, by_variable, as_client(DINSOS), nik="6171020202900003")
    listed = '{ warga(kelurahan: "61.71.01.1001") { nik nama } }'
    body = await run(city, listed, as_client(DINSOS))
    assert [w["nik"] for w in body["data"]["warga"]] == ["6171010101900001", "6171010101900002"]
    first, second = audit.entries()
    assert first["subjects"] == [audit.subject("6171020202900003")]
    assert second["subjects"] == [
        audit.subject("6171010101900001"),
        audit.subject("6171010101900002"),
    ]
    assert second["fields"] == [
        {"field": "Penduduk.nik", "category": "pribadi", "paths": [["warga", "@", "nik"]]},
        {"field": "Penduduk.nama", "category": "pribadi", "paths": [["warga", "@", "nama"]]},
    ]


async def test_the_gateway_fetches_the_subject_the_client_did_not_select(
    city: Federation, audit: AuditFiles
) -> None:
    body = await run(city, '{ warga(kelurahan: "61.71.01.1001") { nama } }', as_client(DINSOS))
    assert body == {"data": {"warga": [{"nama": "Ahmad"}, {"nama": "Siti"}]}}
    assert "simpulSubjek_nik: nik" in sent(city)  # asked of the subgraph, never shown
    [entry] = audit.entries()
    assert entry["subjects"] == [
        audit.subject("6171010101900001"),
        audit.subject("6171010101900002"),
    ]
    assert [f["field"] for f in entry["fields"]] == ["Penduduk.nama"]


async def test_public_data_leaves_no_entry(city: Federation, audit: AuditFiles) -> None:
    body = await run(city, '{ jumlahWarga warga(kelurahan: "61.71.01.1001") { kelurahan } }')
    assert body == {"data": {"jumlahWarga": 3, "warga": [{"kelurahan": "61.71.01.1001"}] * 2}}
    body = await run(city, "{ jumlahWarga }", as_client(DINSOS))
    assert audit.entries() == []
    assert "simpulSubjek" not in sent(city)


async def test_refusals_of_a_known_client_are_recorded_and_anonymous_ones_are_not(
    city: Federation, audit: AuditFiles
) -> None:
    verify = 'mutation { verifikasi(nik: "6171010101900001", nama: "Ahmad") }'
    anonymous = await run(city, verify)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
    assert audit.entries() == []
    not_granted = await run(city, verify, as_client(BAPPEDA), request_id="b-1")
    assert not_granted["data"] is None  # Boolean!: the refusal nulls the whole answer
    answers = [await run(city, verify, as_client(DINSOS), f"d-{n}") for n in range(3)]
    assert [a["data"] for a in answers] == [{"verifikasi": True}] * 2 + [None]
    refused_bappeda, first, second, limited = audit.entries()
    assert refused_bappeda["client"] == BAPPEDA and refused_bappeda["outcome"] == "refused"
    assert refused_bappeda["refused"] == [
        {"field": "Mutation.verifikasi", "code": "UNAUTHORIZED_FIELD_OR_TYPE"}
    ]
    assert refused_bappeda["fields"] == [] and refused_bappeda["subgraphs"] == []
    assert refused_bappeda["subjects"] == [audit.subject("6171010101900001")]
    assert [first["outcome"], second["outcome"]] == ["answered", "answered"]
    assert first["kind"] == "mutation" and first["request"] == "d-0"
    assert limited["outcome"] == "refused"
    assert limited["refused"] == [{"field": "Mutation.verifikasi", "code": "RATE_LIMITED"}]


async def test_without_an_access_log_personal_data_is_refused_to_everyone(
    federate: Federate,
) -> None:
    city = federate(SUPERGRAPH, {"registry": app_of(registry)}, access=options(), audit=None)
    body = await run(
        city, '{ jumlahWarga penduduk(nik: "6171010101900001") { nama } }', as_client(DINSOS)
    )
    assert body["data"] == {"jumlahWarga": 3, "penduduk": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "AUDIT_UNAVAILABLE"
    assert error["path"] == ["penduduk", "nama"]
    assert "nama" not in sent(city)


class _Broken(AuditTrail):
    async def write(self, entry: Entry) -> str:
        raise AuditUnavailable("disk full")


async def test_an_entry_that_cannot_be_written_withholds_the_answer(
    federate: Federate, audit: AuditFiles
) -> None:
    trail = audit.trail()
    broken = _Broken(trail.recorder, b"k" * 32)
    city = federate(SUPERGRAPH, {"registry": app_of(registry)}, access=options(), audit=broken)
    response = await city.execute(
        '{ penduduk(nik: "6171010101900001") { nama } }', headers=as_client(DINSOS)
    )
    assert response.status == 503
    assert response.body == {
        "errors": [
            {
                "message": "the processing of personal data cannot be recorded right now, so "
                "it is not answered; try again later",
                "extensions": {"code": "AUDIT_UNAVAILABLE"},
            }
        ],
        "data": None,
    }
    assert "Ahmad" not in str(response.body)


async def test_a_failed_subgraph_is_recorded_as_failed(
    federate: Federate, audit: AuditFiles
) -> None:
    city = federate(SUPERGRAPH, {"registry": down()}, access=options())
    body = await run(city, '{ penduduk(nik: "6171010101900001") { nama } }', as_client(DINSOS))
    assert body["data"] == {"penduduk": None}
    [entry] = audit.entries()
    assert entry["outcome"] == "failed"
    assert entry["subgraphs"] == ["registry"]


async def test_reject_mode_records_the_refused_operation(
    federate: Federate, audit: AuditFiles
) -> None:
    city = federate(SUPERGRAPH, {"registry": app_of(registry)}, access=options(mode="reject"))
    response = await city.execute(
        '{ penduduk(nik: "6171010101900002") { nama } }', headers=as_client(BAPPEDA)
    )
    assert response.status == 403
    [entry] = audit.entries()
    assert entry["outcome"] == "refused" and entry["client"] == BAPPEDA
    assert entry["subjects"] == [audit.subject("6171010101900002")]
    assert city.counts() == {"registry": 0}
