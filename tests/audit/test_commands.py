"""``simpul audit``: keys, verification, a data subject's history and retention, run as a
data-protection officer would, against logs in files and in the real PostgreSQL."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from gateway.audit import Entry, FieldUse, Refusal, open_store
from gateway.audit.trail import open_trail
from tests.support.audit import AuditFiles
from tests.support.docs import shell_block

NIK = "6171010101900001"
OTHER = "6171020202900003"
SIKS = "PNK/GOV/1.06.01/siks"
SICANTIK = "PNK/GOV/2.18.01/sicantik"


def config(tmp_path: Path, audit: AuditFiles, store: str, **extra: Any) -> str:
    settings = {
        "store": store,
        "seal_key_file": str(audit.seal_key),
        "seal_public_keys": str(audit.public_keys),
        "subject_key_file": str(audit.subject_key),
        "archive": str(tmp_path / "archive"),
        **extra,
    }
    path = tmp_path / "gateway.toml"
    lines = ["[audit]", *(f"{k} = {orjson.dumps(v).decode()}" for k, v in settings.items())]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def entry(request: str, client: str, nik: str, **fields: Any) -> Entry:
    return Entry(
        **{
            "source": "gateway",
            "request": request,
            "time": f"2026-12-07T10:00:{len(request):02d}.000000Z",
            "outcome": "answered",
            "client": client,
            "officer": "198709152010011003",
            "purpose": "Verifikasi calon penerima bantuan sosial",
            "legal_basis": ("PKS 470/112/2026",),
            "operation": "Verifikasi",
            "kind": "mutation",
            "fields": (FieldUse("Mutation.verifikasiPenduduk", "pribadi", (("v",),)),),
            "subjects": (nik,),
            "subgraphs": ("dukcapil",),
            **fields,
        }
    )


async def write_day(audit: AuditFiles, store: str) -> None:
    """A small day: two processings of NIK (one with dukcapil's own entry), one refused
    attempt on it, one processing of another resident."""
    gateway = open_trail(
        store,
        replica="gateway",
        seal_key_file=str(audit.seal_key),
        subject_key_file=str(audit.subject_key),
    )
    dukcapil = open_trail(
        store,
        replica="dukcapil",
        seal_key_file=str(audit.seal_key),
        subject_key_file=str(audit.subject_key),
    )
    try:
        subject, other = gateway.subject(NIK), gateway.subject(OTHER)
        await gateway.write(entry("r-1", SIKS, subject))
        own = {"source": "dukcapil", "subjects": (), "legal_basis": ()}
        await dukcapil.write(entry("r-1", SIKS, "", **own, detail={"hasil": "SESUAI"}))
        await gateway.write(entry("r-22", SICANTIK, subject))
        refused = (Refusal("Mutation.verifikasiPenduduk", "UNAUTHORIZED_FIELD_OR_TYPE"),)
        sipd = "PNK/GOV/5.01.01/sipd"
        await gateway.write(
            entry("r-333", sipd, subject, outcome="refused", fields=(), refused=refused)
        )
        await gateway.write(entry("r-4444", SIKS, other))
    finally:
        await gateway.close()
        await dukcapil.close()


def simpul(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``simpul ARGV`` as an officer types it."""
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")},
        timeout=60,
    )


def test_keys_are_made_once_readable_by_their_owner(tmp_path: Path) -> None:
    seal, public, subject = tmp_path / "seal.pem", tmp_path / "public.pem", tmp_path / "subject.key"
    made = simpul("audit", "key", "seal", "--out", str(seal), "--public", str(public))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(seal.stat().st_mode) == 0o600
    assert "BEGIN PUBLIC KEY" in public.read_text()
    assert simpul("audit", "key", "subject", "--out", str(subject)).returncode == 0
    assert stat.S_IMODE(subject.stat().st_mode) == 0o600
    again = simpul("audit", "key", "subject", "--out", str(subject))
    assert again.returncode == 1 and "exists already" in again.stderr
    # a rotated seal key: its public key joins the old one
    assert (
        simpul(
            "audit", "key", "seal", "--out", str(tmp_path / "new.pem"), "--public", str(public)
        ).returncode
        == 0
    )
    assert public.read_text().count("BEGIN PUBLIC KEY") == 2


async def test_the_operators_guide_makes_the_keys_as_written(tmp_path: Path) -> None:
    # docs/operators.md's commands, with its /etc/simpul in a folder of the test's own
    block = shell_block("operators.md", "### Keys").replace("/etc/simpul", str(tmp_path))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    for made in ("audit-subject.key", "audit-seal-gw1.pem"):
        assert stat.S_IMODE((tmp_path / made).stat().st_mode) == 0o600
    assert (tmp_path / "audit-seal-public.pem").read_text().count("BEGIN PUBLIC KEY") == 1


async def test_verify_reports_an_intact_log_and_locates_an_edit(
    tmp_path: Path, audit: AuditFiles
) -> None:
    await write_day(audit, str(audit.store))
    settings = config(tmp_path, audit, str(audit.store))
    intact = simpul("audit", "verify", "--config", settings)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.splitlines() == [
        "2 chains, 5 entries, 2 seals (0 entries after the last seal of their chain)",
        "the log is intact",
    ]
    chain = audit.store / "gateway-0.000000.jsonl"
    lines = chain.read_bytes().splitlines()
    lines[2] = lines[2].replace(b"PNK/GOV/2.18.01/sicantik", b"PNK/GOV/2.18.01/lainnya")
    chain.write_bytes(b"\n".join(lines) + b"\n")
    broken = simpul("audit", "verify", "--config", settings)
    assert broken.returncode == 1
    assert "PROBLEM gateway-0.000000 record 2: altered: its hash does not match its content" in (
        broken.stdout
    )
    only_dukcapil = simpul("audit", "verify", "--config", settings, "--chain", "dukcapil-*")
    assert only_dukcapil.returncode == 0 and "1 chains" in only_dukcapil.stdout


async def test_a_subjects_history_lists_exactly_their_processing(
    tmp_path: Path, audit: AuditFiles, store: str
) -> None:
    await write_day(audit, store)
    settings = config(tmp_path, audit, store)
    listed = simpul("audit", "subject", NIK, "--config", settings, "--json")
    assert listed.returncode == 0, listed.stderr
    history = orjson.loads(listed.stdout)
    assert [(h["request"], h["source"], h["client"]) for h in history] == [
        ("r-1", "gateway", SIKS),
        ("r-1", "dukcapil", SIKS),  # joined by the request id
        ("r-22", "gateway", SICANTIK),
    ]
    assert history[1]["detail"] == {"hasil": "SESUAI"}
    assert all(h["record"]["hash"] for h in history)
    with_refused = orjson.loads(
        simpul(
            "audit", "subject", "-", "--config", settings, "--json", "--refused", stdin=NIK + "\n"
        ).stdout
    )
    assert [h["request"] for h in with_refused] == ["r-1", "r-1", "r-22", "r-333"]
    text = simpul("audit", "subject", NIK, "--config", settings).stdout
    assert "3 processing(s) on record" in text
    assert f"application: {SICANTIK}" in text
    assert "legal basis: PKS 470/112/2026" in text
    assert "hasil:       SESUAI" in text
    nobody = simpul("audit", "subject", "6171999999999999", "--config", settings, "--json")
    assert orjson.loads(nobody.stdout) == []


async def test_retention_moves_closed_chains_to_the_archive_seals_and_all(
    tmp_path: Path, audit: AuditFiles, store: str
) -> None:
    await write_day(audit, store)
    await write_day(audit, store)  # each writer's second generation: the first is closed
    settings = config(tmp_path, audit, store, retention_days=30)
    kept = simpul("audit", "archive", "--config", settings)
    assert kept.returncode == 0 and "moved 0 chain(s)" in kept.stdout  # nothing is old
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    moved = simpul("audit", "archive", "--config", settings, "--before", later)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines()[1:] == ["  dukcapil-0.000000", "  gateway-0.000000"]
    live = open_store(store)
    try:
        assert await live.chains() == ["dukcapil-0.000001", "gateway-0.000001"]
    finally:
        await live.close()
    archive = sorted(p.name for p in (tmp_path / "archive").glob("*.jsonl"))
    assert archive == ["dukcapil-0.000000.jsonl", "gateway-0.000000.jsonl"]
    # the live chains name their archived predecessors; together they verify
    verified = simpul("audit", "verify", "--config", settings)
    assert verified.returncode == 0, verified.stdout
    assert "4 chains, 10 entries" in verified.stdout
    history = orjson.loads(simpul("audit", "subject", NIK, "--config", settings, "--json").stdout)
    assert len(history) == 6  # both days, the archived one included
    # an archived chain edited afterwards is found like any other
    path = tmp_path / "archive" / "gateway-0.000000.jsonl"
    path.write_bytes(path.read_bytes().replace(b"r-22", b"r-99"))
    assert simpul("audit", "verify", "--config", settings).returncode == 1


def test_commands_without_a_store_say_what_to_set(tmp_path: Path) -> None:
    done = simpul("audit", "verify")
    assert done.returncode == 1
    assert "audit.store is not set" in done.stderr
