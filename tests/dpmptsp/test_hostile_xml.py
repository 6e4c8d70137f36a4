"""XML from the permit services is untrusted: an external entity, a "billion laughs" or a
broken document is refused as UPSTREAM_BAD_RESPONSE on dpmptsp's fields only, without
reading local files, hanging or swelling memory."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from .conftest import Wired

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<response><status>success</status><total>1</total><data><permohonan>
<n_perizinan>&lol9;</n_perizinan></permohonan></data></response>"""

TRUNCATED = b"<?xml version='1.0'?><responIzin><total>3</total><dataIzin><izin><nib>12"
NOT_XML = b'{"status": "success", "data": []}'

QUERY = """{ daftarIzin(jenis: "PBG", tahun: 2025) { nomor jenis }
  tdup: daftarIzin(jenis: "TDUP", tahun: 2025) { nomor }
  daftarJenisIzin { kode } }"""


def _external_entity(target: Path) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE response [ <!ENTITY secret SYSTEM "file://'
        + str(target).encode()
        + b'"> ]>\n<response><status>success</status><total>1</total><data><permohonan>'
        b"<no_surat>&secret;</no_surat><n_perizinan>&secret;</n_perizinan>"
        b"</permohonan></data></response>"
    )


def _assert_refused_on_sicantik_only(body: dict[str, object]) -> None:
    data = body["data"]
    assert isinstance(data, dict)
    assert data["daftarIzin"] is None
    assert data["tdup"] and data["daftarJenisIzin"]
    errors = body["errors"]
    assert isinstance(errors, list)
    assert [e["path"] for e in errors] == [["daftarIzin"]]
    assert errors[0]["extensions"] == {"code": "UPSTREAM_BAD_RESPONSE", "upstream": "sicantik"}


async def test_external_entity_is_never_resolved(wired: Wired, tmp_path: Path) -> None:
    secret = tmp_path / "kunci.txt"
    secret.write_text("RAHASIA-DPMPTSP-7731")
    wired.faulty.bodies["malformed"] = (200, _external_entity(secret))
    wired.break_upstream("malformed", "/sicantik")
    body = await wired.query(QUERY)
    _assert_refused_on_sicantik_only(body)
    text = json.dumps(body)
    assert "RAHASIA" not in text and str(tmp_path) not in text


async def test_billion_laughs_is_refused_quickly_and_small(wired: Wired) -> None:
    wired.faulty.bodies["malformed"] = (200, BILLION_LAUGHS)
    wired.break_upstream("malformed", "/sicantik")
    tracemalloc.start()
    started = time.monotonic()
    try:
        body = await wired.query(QUERY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 50 * 1024 * 1024  # expanded, lol9 alone would be 3 GB
    _assert_refused_on_sicantik_only(body)
    assert "lol" not in json.dumps(body)


@pytest.mark.parametrize("payload", [TRUNCATED, NOT_XML, b""])
async def test_broken_xml_is_a_bad_response(wired: Wired, payload: bytes) -> None:
    wired.faulty.bodies["malformed"] = (200, payload)
    wired.break_upstream("malformed", "/oss")
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) { ... on Usaha { nama } }
             pbg: daftarIzin(jenis: "PBG", tahun: 2025) { nomor } }""",
        {"r": [{"__typename": "Usaha", "nib": wired.simulator.data.usaha[0]["nib"]}]},
    )
    assert body["data"]["_entities"] == [None] and body["data"]["pbg"]
    assert body["errors"][0]["path"] == ["_entities", 0]
    assert body["errors"][0]["extensions"] == {
        "code": "UPSTREAM_BAD_RESPONSE",
        "upstream": "oss-rba",
    }
