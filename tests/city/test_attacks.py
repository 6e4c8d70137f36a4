"""The running city (``make up``) attacked as an outsider would, and used as it should be.

Each attack below worked on the city before access control: a NIK-to-name oracle through
aliases, brute force by separate calls, forged tokens, calling an OPD's subgraph directly,
reading personal data back from the logs. Each now fails, while the portal's public data
still reaches anonymous callers and a granted application still verifies, within its
limit, each check recorded in the access log by the gateway and by dukcapil with the
identity the gateway verified.

The city runs as production would be watched: the gateway's logs in JSON, every process
exporting its spans to an OTLP receiver, every request carrying a W3C ``traceparent``. The
last test reads, as someone with access to the logs or the tracing backend would, all the
city wrote and exported: no NIK, no resident's name, no query text, no credential.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from simpul.city import SSO_REALM
from tests.support.audit import AuditFiles
from tests.support.caching_proxy import caching_proxy
from tests.support.city import LAST_YEAR, RunningCity, running_city, sso_token
from tests.support.otlp import Receiver
from tests.support.threaded_server import serving_in_thread

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ROOT / ".cache" / "secrets"
REGISTRY = ROOT / ".cache" / "dukcapil-siak.sqlite"
GATEWAY_PORT = 4951
SIKS = "PNK/GOV/1.06.0.00.0.00.01.0000/siks-ng"
PURPOSE = "Verifikasi calon penerima bantuan sosial"
SICANTIK = "PNK/GOV/2.18.0.00.0.00.01.0000/sicantik"
SICANTIK_PURPOSE = "Verifikasi identitas pemohon perizinan"
RATE = 20  # schema/grants.toml: sicantik's rate_per_minute for dukcapil.verifikasi
VERIFY = """mutation Verifikasi($nik: String!, $nama: String!, $lahir: String!) {
  verifikasiPenduduk(nik: $nik, nama: $nama, tanggalLahir: $lahir) { hasil } }"""
PDP = "Pemenuhan hak subjek data pribadi"
RIWAYAT = """query Riwayat($nik: String!) {
  riwayatPemrosesan(nik: $nik) { waktu hasil pencatat aplikasi keperluan data } }"""
OFFICER = "198709152010011003"
USED_NIKS: set[str] = set()
"""Every NIK any request of this module sent: none may appear in any log or trace."""
USED_NAMES: set[str] = set()
"""Every resident's name a request sent."""
USED_CREDENTIALS: set[str] = set()
"""Every token and API key a request carried."""
TRACED: list[str] = []
"""The trace id of each request that carried a ``traceparent``, in order."""
VERIFIED: list[str] = []
"""The trace of a granted verification: its spans must reach the receiver."""
TRACES = Receiver()
"""Every span the city's processes exported."""


@pytest.fixture(scope="module")
def city() -> Iterator[RunningCity]:
    with serving_in_thread({"otlp": TRACES.app}) as base:
        env = {
            "SIMPUL_LOG_FORMAT": "json",
            "SIMPUL_OTLP_ENDPOINT": f"{base}/otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"{base}/otlp",
            # spans leave each process within a fifth of a second, not five
            "OTEL_BSP_SCHEDULE_DELAY": "200",
        }
        with running_city(GATEWAY_PORT, env) as running:
            yield running


@pytest.fixture(scope="module")
def residents(city: RunningCity) -> list[tuple[str, str, str]]:
    """Living residents (NIK, full name, birth date), read from the registry's file as its
    owner can; an outsider has only the attacks below."""
    with sqlite3.connect(REGISTRY) as registry:
        rows = registry.execute(
            "SELECT NIK, NAMA_LGKP, TGL_LHR FROM BIODATA_WNI WHERE STAT_HIDUP = 1 "
            "ORDER BY NIK LIMIT 40"
        ).fetchall()
    return [(str(nik), str(nama), str(lahir)[:10]) for nik, nama, lahir in rows]


ACCESS_LOG = AuditFiles(
    ROOT / ".cache" / "audit",
    SECRETS / "audit-seal-gateway.pem",
    SECRETS / "audit-seal-public.pem",
    SECRETS / "audit-subject.key",
)
"""The access log ``make up`` keeps, every writer's chains in one folder."""


def verifications() -> int:
    """The verifications dukcapil has recorded doing."""
    return sum(1 for entry in ACCESS_LOG.entries() if entry["source"] == "dukcapil")


def traceparent() -> str:
    """A sampled W3C ``traceparent`` of a new trace, as a traced client sends it."""
    trace = secrets.token_hex(16)
    TRACED.append(trace)
    return f"00-{trace}-{secrets.token_hex(8)}-01"


def post(city: RunningCity, query: str, variables: Any = None, **headers: str) -> httpx.Response:
    for name, value in (variables or {}).items():
        if isinstance(value, str) and value.isdigit() and len(value) == 16:
            USED_NIKS.add(value)
        if name == "nama":
            USED_NAMES.add(value)
    USED_CREDENTIALS.update(
        value.removeprefix("Bearer ")
        for name, value in headers.items()
        if name in ("authorization", "x-api-key")
    )
    return httpx.post(
        city.url,
        json={"query": query, "variables": variables or {}},
        headers={
            "accept": "application/graphql-response+json",
            "traceparent": traceparent(),
            **headers,
        },
        timeout=60,
    )


def codes(body: Any) -> set[str]:
    return {error["extensions"]["code"] for error in body.get("errors", [])}


def test_the_portal_s_public_data_needs_no_credential(city: RunningCity) -> None:
    variables = {
        "Beranda": {"tahun": LAST_YEAR},
        "ProfilKecamatan": {"kecamatan": "61.71.02", "tahun": LAST_YEAR},
        "ProfilKelurahan": {"kelurahan": "61.71.02.1001", "tahun": LAST_YEAR},
        "ProfilOpd": {"kode": "2.16.2.20.2.21.01.0000", "tahun": LAST_YEAR},
        "KatalogData": {"kata": "penduduk", "lewati": 0},
        "DatasetRinci": {"id": "realisasi-anggaran-perangkat-daerah", "tahun": LAST_YEAR},
        "IzinTerbitTahunan": {"tahun": LAST_YEAR},
    }
    for path in sorted((ROOT / "portal" / "operations").glob("*.graphql")):
        answer = post(city, path.read_text(), variables.get(path.stem, {}))
        assert answer.status_code == 200, path.name
        assert "errors" not in answer.json(), (path.name, answer.json())


def test_the_readme_s_first_query_runs_as_written(city: RunningCity) -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(curl -s http://127.0.0.1:4000/graphql .*?)```", readme, re.DOTALL)
    assert block is not None
    script = block.group(1).replace("127.0.0.1:4000", f"127.0.0.1:{GATEWAY_PORT}")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    answer = json.loads(done.stdout)
    assert "errors" not in answer
    kelurahan = answer["data"]["kelurahan"]
    assert kelurahan["nama"] and kelurahan["penduduk"]["jumlah"] > 1000
    assert kelurahan["sekolah"] and kelurahan["fasilitasKesehatan"]


def test_anonymous_name_guessing_through_aliases_learns_nothing(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    nik, _, lahir = residents[0]
    USED_NIKS.add(nik)
    names = [name for _, name, _ in residents]
    USED_NAMES.update(names)

    def guesses(count: int) -> str:
        return "\n".join(
            f'v{i}: verifikasiPenduduk(nik: "{nik}", nama: "{names[i % len(names)]}", '
            f'tanggalLahir: "{lahir}") {{ hasil }}'
            for i in range(count)
        )

    before = verifications()
    # 720 guesses in one request: refused whole, before anything else, by the token limit
    # (the parser stops reading) or, for fewer, the alias limit
    many = post(city, f"mutation {{ {guesses(720)} }}")
    assert many.status_code == 400
    assert codes(many.json()) == {"MAX_TOKENS_LIMIT"}
    some = post(city, f"mutation {{ {guesses(40)} }}")
    assert codes(some.json()) == {"MAX_ALIASES_LIMIT"}
    # as many as the root-field limit lets through: each one refused to an anonymous caller
    answer = post(city, f"mutation {{ {guesses(15)} }}")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body["data"].values()) == {None}
    assert codes(body) == {"UNAUTHORIZED_FIELD_OR_TYPE"}
    assert "SESUAI" not in answer.text
    assert verifications() == before  # dukcapil was never asked


def test_a_granted_client_cannot_multiply_a_verification_with_aliases(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    nik, nama, lahir = residents[1]
    USED_NIKS.add(nik)

    def guesses(count: int) -> str:
        # guessing the last four digits of a NIK whose name and birth date are known
        return "\n".join(
            f'v{i}: verifikasiPenduduk(nik: "{nik[:12]}{i:04d}", nama: "{nama}", '
            f'tanggalLahir: "{lahir}") {{ hasil }}'
            for i in range(count)
        )

    headers = {"authorization": f"Bearer {sso_token('dinsos-siks')}", "simpul-purpose": PURPOSE}
    before = verifications()
    many = post(city, f"mutation {{ {guesses(1000)} }}", **headers)
    assert many.status_code == 400
    # 1,000 guesses are over 15,000 tokens: the parser stops before reading them all
    assert codes(many.json()) == {"MAX_TOKENS_LIMIT"}
    answer = post(city, f"mutation {{ {guesses(15)} }}", **headers)
    body = answer.json()
    assert set(body["data"].values()) == {None}
    assert codes(body) == {"PERSONAL_DATA_LIMIT_EXCEEDED"}
    assert verifications() == before


def test_separate_anonymous_calls_are_all_refused(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    before = verifications()
    with httpx.Client(timeout=30) as client:
        for index in range(300):
            nik, nama, lahir = residents[index % len(residents)]
            USED_NIKS.add(nik)
            answer = client.post(
                city.url,
                json={"query": VERIFY, "variables": {"nik": nik, "nama": nama, "lahir": lahir}},
            )
            assert answer.status_code == 200
            assert answer.json()["data"] == {"verifikasiPenduduk": None}
            assert codes(answer.json()) == {"UNAUTHORIZED_FIELD_OR_TYPE"}
    assert verifications() == before


def test_forged_and_borrowed_credentials_are_refused(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    nik, nama, lahir = residents[2]
    variables = {"nik": nik, "nama": nama, "lahir": lahir}
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": SSO_REALM, "aud": "simpul-gateway", "azp": "dinsos-siks"}
    forged = jwt.encode({**claims, "iat": now, "exp": now + 300}, stranger, algorithm="RS256")
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    unsigned = f"{header}.{base64.urlsafe_b64encode(str(claims).encode()).decode()}."
    for bad in (forged, unsigned, "not-a-token"):
        answer = post(city, VERIFY, variables, authorization=f"Bearer {bad}")
        assert answer.status_code == 401
        assert codes(answer.json()) == {"UNAUTHENTICATED"}
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert post(city, VERIFY, variables, **{"x-api-key": "spk_guessed"}).status_code == 401
    # a real token of a client without the grant, or with the grant but no or another purpose
    refused = [
        post(
            city,
            VERIFY,
            variables,
            authorization=f"Bearer {sso_token('portal-kota')}",
            **{"simpul-purpose": PURPOSE},
        ),
        post(city, VERIFY, variables, authorization=f"Bearer {sso_token('dinsos-siks')}"),
        post(
            city,
            VERIFY,
            variables,
            authorization=f"Bearer {sso_token('dinsos-siks')}",
            **{"simpul-purpose": "Penelitian"},
        ),
    ]
    for answer in refused:
        assert answer.status_code == 200
        assert answer.json()["data"] == {"verifikasiPenduduk": None}
        assert codes(answer.json()) == {"UNAUTHORIZED_FIELD_OR_TYPE"}


def test_an_opd_subgraph_called_directly_answers_401(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    nik, nama, lahir = residents[3]
    USED_NIKS.add(nik)
    for query, headers in (
        (VERIFY, {"x-simpul-client": SIKS}),
        ("{ _service { sdl } }", {}),
        ("{ daftarKecamatan { nama } }", {"simpul-call": "forged.token.value"}),
    ):
        answer = httpx.post(
            "http://127.0.0.1:4011/graphql",
            json={"query": query, "variables": {"nik": nik, "nama": nama, "lahir": lahir}},
            headers=headers,
        )
        assert answer.status_code == 401, query
        assert codes(answer.json()) == {"UNAUTHENTICATED"}
    assert httpx.get("http://127.0.0.1:4011/health").status_code == 200


def test_a_granted_client_verifies_within_its_limit_each_check_recorded(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    nik, nama, lahir = residents[4]
    USED_NIKS.add(nik)
    officer = "198709152010011003"
    headers = {
        "authorization": f"Bearer {sso_token('dpmptsp-sicantik')}",
        "simpul-purpose": SICANTIK_PURPOSE,
        "simpul-officer": officer,
    }
    # the limit counts per minute of the clock: start where a whole burst fits in one
    if 60 - time.time() % 60 < 20:
        time.sleep(60 - time.time() % 60 + 0.5)
    before = verifications()
    answers = [
        post(city, VERIFY, {"nik": nik, "nama": nama, "lahir": lahir}, **headers)
        for _ in range(RATE + 1)
    ]
    assert [a.json()["data"]["verifikasiPenduduk"] for a in answers[:RATE]] == [
        {"hasil": "SESUAI"}
    ] * RATE
    last = answers[RATE].json()
    assert last["data"] == {"verifikasiPenduduk": None}
    assert codes(last) == {"RATE_LIMITED"}
    assert verifications() == before + RATE
    entries = ACCESS_LOG.entries()
    done = [e for e in entries if e["source"] == "dukcapil"][-RATE:]
    assert {(e["client"], e["purpose"], e["officer"]) for e in done} == {
        (SICANTIK, SICANTIK_PURPOSE, officer)
    }
    assert {tuple(e["subjects"]) for e in done} == {(ACCESS_LOG.subject(nik),)}
    # the gateway's entry for each request, joined to dukcapil's by the request id
    answered = {a.headers["x-request-id"] for a in answers[:RATE]}
    assert {e["request"] for e in done} == answered
    gateway = {e["request"]: e for e in entries if e["source"] == "gateway"}
    assert all(gateway[r]["outcome"] == "answered" for r in answered)
    assert all(gateway[r]["legal_basis"] for r in answered)
    refused = gateway[answers[RATE].headers["x-request-id"]]
    assert refused["outcome"] == "refused"
    assert refused["refused"] == [{"field": "Mutation.verifikasiPenduduk", "code": "RATE_LIMITED"}]


def test_the_frontend_guide_s_token_and_call_run_as_written(city: RunningCity) -> None:
    guide = (ROOT / "docs" / "frontend.md").read_text()
    section = guide[guide.index("### Getting a token") : guide.index("### Personal data")]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2
    script = "set -eu\n" + "".join(blocks).replace("127.0.0.1:4000", f"127.0.0.1:{GATEWAY_PORT}")
    before = verifications()
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"data": {"verifikasiPenduduk": {"hasil": "TIDAK_SESUAI"}}}
    USED_NIKS.add("6171010101900001")
    assert verifications() == before + 1


def test_a_verification_is_never_sent_by_get(city: RunningCity) -> None:
    answer = httpx.get(
        city.url,
        params={"query": VERIFY, "variables": '{"nik": "6171010101010101"}'},
        headers={"accept": "application/graphql-response+json"},
    )
    USED_NIKS.add("6171010101010101")
    assert answer.status_code == 405
    assert codes(answer.json()) == {"METHOD_NOT_ALLOWED"}


def test_deferred_fragments_cannot_multiply_one_request_into_many_operations(
    city: RunningCity,
) -> None:
    # each deferred fragment is run as an operation of its own: one request with thirty of
    # them would be thirty operations against the OPDs, past the caps on requests in flight
    fragments = " ".join(
        f'... @defer(label: "f{n}") {{ daftarKecamatan {{ nama }} }}' for n in range(30)
    )
    answer = httpx.post(
        city.url,
        json={"query": f"{{ {fragments} }}"},
        headers={"accept": "multipart/mixed"},
        timeout=60,
    )
    assert answer.headers["content-type"].startswith("multipart/mixed")
    first = json.loads(answer.content.split(b"\r\n---\r\n")[1].partition(b"\r\n\r\n")[2])
    # the gateway defers a few; the others come with the initial part (the spec allows it)
    assert len(first["pending"]) == 8
    assert first["data"]["daftarKecamatan"]


def test_traced_requests_carry_personal_data_to_the_opds(
    city: RunningCity, residents: list[tuple[str, str, str]]
) -> None:
    nik, nama, lahir = residents[5]
    other_nik, _, other_lahir = residents[6]
    _, other_nama, _ = residents[7]
    USED_NIKS.update((nik, other_nik))
    USED_NAMES.update((nama, other_nama))
    siks = {
        "authorization": f"Bearer {sso_token('dinsos-siks')}",
        "simpul-purpose": PURPOSE,
        "simpul-officer": OFFICER,
        "tracestate": "siks=berkas-42",
    }
    # the resident's data written into the query text, as a careless client does
    inline = (
        f'mutation {{ verifikasiPenduduk(nik: "{nik}", nama: "{nama}", '
        f'tanggalLahir: "{lahir}") {{ hasil }} }}'
    )
    answer = post(city, inline, **siks)
    assert answer.json() == {"data": {"verifikasiPenduduk": {"hasil": "SESUAI"}}}
    VERIFIED.append(TRACED[-1])
    mismatch = post(
        city, VERIFY, {"nik": other_nik, "nama": other_nama, "lahir": other_lahir}, **siks
    )
    assert mismatch.json() == {"data": {"verifikasiPenduduk": {"hasil": "TIDAK_SESUAI"}}}
    pdp = {"authorization": f"Bearer {sso_token('kominfo-pdp')}", "simpul-purpose": PDP}
    history = post(city, RIWAYAT, {"nik": nik}, **pdp).json()
    assert "errors" not in history, history
    assert {entry["pencatat"] for entry in history["data"]["riwayatPemrosesan"]} >= {"dukcapil"}
    simpus = (SECRETS / "api-key-simpus.txt").read_text().strip()
    answered = post(city, "{ pendudukKota { jumlah } }", **{"x-api-key": simpus})
    assert answered.json()["data"]["pendudukKota"]["jumlah"] > 0
    # a NIK in a GET's query string, with the trace the client started
    looked_up = httpx.get(
        city.url,
        params={"query": f'{{ kelurahan(kode: "{nik}") {{ nama }} }}'},
        headers={"traceparent": traceparent()},
    )
    assert looked_up.status_code == 200


def test_a_caching_proxy_before_the_city_hands_nobody_a_residents_history(
    city: RunningCity, residents: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    """An nginx caching every 200 by URL in front of the city (tests/support/caching_proxy.py):
    Diskominfo's PDP application reads a resident's processing history over GET, then an
    outsider asks the proxy for the same URL. The history is answered ``no-store``: the
    outsider's request reaches the gateway, which refuses it."""
    nik = residents[5][0]  # verified above: its history holds dukcapil's check
    USED_NIKS.add(nik)
    token = sso_token("kominfo-pdp")
    USED_CREDENTIALS.add(token)
    params = {"query": RIWAYAT, "variables": json.dumps({"nik": nik})}
    get = {"apollo-require-preflight": "true", "accept": "application/graphql-response+json"}
    with caching_proxy(city.base, tmp_path) as proxy:
        officer = httpx.get(
            f"{proxy}/graphql",
            params=params,
            headers={**get, "authorization": f"Bearer {token}", "simpul-purpose": PDP},
            timeout=60,
        )
        history = officer.json()
        assert "errors" not in history, history
        assert {e["pencatat"] for e in history["data"]["riwayatPemrosesan"]} >= {"dukcapil"}
        assert officer.headers["cache-control"] == "no-store"
        for attempt in range(3):
            outsider = httpx.get(f"{proxy}/graphql", params=params, headers=get, timeout=60)
            assert outsider.headers["x-cache-status"] != "HIT", attempt
            refused = outsider.json()
            assert (refused.get("data") or {}).get("riwayatPemrosesan") is None, attempt
            assert "dukcapil" not in outsider.text and codes(refused)


def secret_values() -> set[str]:
    """What ``make up`` keeps secret: the OPDs' legacy credentials, the client secrets, the
    API key, the call-signing and subject keys (PEM keys aside)."""
    return {
        text
        for path in SECRETS.iterdir()
        if path.suffix not in (".pem", ".toml") and len(text := path.read_text().strip()) >= 16
    }


def test_no_log_or_trace_of_the_city_holds_personal_data_a_query_or_a_credential(
    city: RunningCity,
) -> None:
    # the last test of the module: every attack and use above has been logged and traced
    # by now, once the last traced request's spans have come from the gateway and dukcapil
    personal = VERIFIED[-1]
    deadline = time.monotonic() + 30
    while {"simpul-gateway", "simpul-dukcapil"} - {
        span.service for span in TRACES.spans if span.trace_id == personal
    }:
        assert time.monotonic() < deadline, "the verification's spans never came"
        time.sleep(0.2)
    time.sleep(1.0)
    traces = TRACES.text
    log = "".join(city.lines)
    assert len(USED_NIKS) > 40 and len(USED_NAMES) > 20 and len(USED_CREDENTIALS) > 5
    assert f'"trace_id":"{personal}"' in log  # the gateway's JSON lines lead to the trace
    assert "legacy" in traces and "subgraph.request" in traces  # every process traced
    for where, text in (("logs", log), ("traces", traces)):
        assert "verifikasiPenduduk" not in text and "riwayatPemrosesan" not in text, where
        assert "tanggalLahir" not in text and "nik:" not in text, where
        found = sorted(nik for nik in USED_NIKS if nik in text)
        assert found == [], f"NIKs in the city's {where}: {found[:3]}"
        names = sorted(name for name in USED_NAMES if name in text)
        assert names == [], f"residents' names in the city's {where}: {names[:3]}"
        leaked = [value[:8] for value in USED_CREDENTIALS | secret_values() if value in text]
        assert leaked == [], f"credentials in the city's {where}: {leaked}"
        # no JWT: a client's token, a subgraph call's signature
        assert re.search(r"eyJ[\w-]{16,}", text) is None, where
        assert OFFICER not in text, where
    # the record of processing names the officer, by design; residents only as keyed hashes
    record = "".join(p.read_text() for p in ACCESS_LOG.store.glob("*.jsonl"))
    assert [nik for nik in USED_NIKS if nik in record] == []
    assert [name for name in USED_NAMES if name in record] == []
    assert [value[:8] for value in USED_CREDENTIALS if value in record] == []
    assert "POST /graphql HTTP/1.1" in log  # the access lines are there, without data
