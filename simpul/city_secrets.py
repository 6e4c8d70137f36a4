"""The development secrets of ``make up``: made once into ``.cache/secrets/``, then reused.

Nothing secret has a value in the code. For the city on one machine the launcher makes
what a deployment would be given, each in its own file readable by its owner alone (mode
600, the folder 700), and hands each process only the files it needs:

- the gateway's call-signing key (``call.key``) and each subgraph's key derived from it
  (``call-<opd>.key``);
- each OPD's legacy credentials, by the names its ``serve.SECRETS`` lists
  (``DAPODIK_TOKEN``, ``DUKCAPIL_AUDIT_KEY``, ...), passed as ``<NAME>_FILE``;
- the identity provider's client secrets (``sso-clients.toml``, and ``sso-<client>.secret``
  for whoever tries a token by hand), one per ``oauth_client_ids`` entry of the grants file;
- an API key for each grants-file client without an identity-provider id
  (``api-key-<application>.txt``), and the API keys file the gateway reads
  (``api-keys.toml``, hashes only);
- the access log's keys: the subject key every writer shares (``audit-subject.key``), a
  seal key per writer (``audit-seal-<gateway or opd>.pem``) and the file of their public
  keys that ``simpul audit verify`` reads (``audit-seal-public.pem``).
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gateway.access.call_token import (
    CallSigner,
    generate_ed25519_key,
    generate_master_key,
    read_key_file,
)
from gateway.access.grants import Grants, generate_api_key, hash_api_key
from gateway.audit import Sealer

__all__ = ["CitySecrets", "audit_writers_env", "prepare_secrets"]


@dataclass(frozen=True, slots=True)
class CitySecrets:
    """Where everything is, and the environment each kind of process gets."""

    folder: Path
    gateway_env: Mapping[str, str]
    opd_env: Mapping[str, Mapping[str, str]]
    """Per OPD: its legacy credentials and its call key, for its simulator and subgraph."""
    sso_clients: Path
    api_keys: Mapping[str, Path]
    """Per client application: the file holding its API key."""
    audit_env: Mapping[str, Mapping[str, str]]
    """Per writer of the access log (``gateway`` and each OPD subgraph): where it writes,
    with which keys."""


def _secret_file(folder: Path, name: str, make: str | None = None) -> Path:
    path = folder / name
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write((make if make is not None else secrets.token_urlsafe(32)) + "\n")
    os.chmod(path, 0o600)
    return path


def prepare_secrets(
    folder: Path,
    opd_secrets: Mapping[str, Mapping[str, str]],
    grants_file: Path,
    *,
    jwks_url: str,
    issuer: str,
    audience: str,
    audit_store: Path,
) -> CitySecrets:
    """Make whatever is missing in ``folder`` and say who gets what.

    ``opd_secrets`` maps each OPD to its ``serve.SECRETS`` (variable name: what it is);
    ``audit_store`` is the folder of the access log every writer shares.
    """
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    call_key = _secret_file(folder, "call.key", generate_master_key())
    signer = CallSigner.from_key_text("hmac", read_key_file(str(call_key)))
    opd_env: dict[str, dict[str, str]] = {}
    for opd, names in opd_secrets.items():
        env = {f"{name}_FILE": str(_secret_file(folder, name)) for name in names}
        env["SIMPUL_CALL_KEY_FILE"] = str(
            _secret_file(folder, f"call-{opd}.key", signer.verification_key(opd))
        )
        opd_env[opd] = env
    grants = Grants.from_file(str(grants_file))
    sso_entries: list[str] = []
    api_keys: dict[str, Path] = {}
    hashes: list[str] = []
    for client in grants.clients.values():
        for client_id in client.oauth_client_ids:
            secret = _secret_file(folder, f"sso-{client_id}.secret").read_text().strip()
            sso_entries.append(f'[[client]]\nid = "{client_id}"\nsecret = "{secret}"\n')
        if not client.oauth_client_ids:
            application = client.name.rsplit("/", 1)[1]
            path = _secret_file(folder, f"api-key-{application}.txt", generate_api_key())
            api_keys[client.name] = path
            digest = hash_api_key(path.read_text().strip())
            hashes.append(f'[[key]]\nclient = "{client.name}"\nsha256 = "{digest}"\n')
    sso_clients = _rewrite(folder / "sso-clients.toml", sso_entries)
    api_keys_file = _rewrite(folder / "api-keys.toml", hashes)
    gateway_env = {
        "SIMPUL_CALL_SIGNING": "hmac",
        "SIMPUL_CALL_KEY_FILE": str(call_key),
        "SIMPUL_GRANTS_FILE": str(grants_file),
        "SIMPUL_API_KEYS_FILE": str(api_keys_file),
        "SIMPUL_JWKS_URL": jwks_url,
        "SIMPUL_JWT_ISSUER": issuer,
        "SIMPUL_JWT_AUDIENCE": audience,
    }
    audit_env = audit_writers_env(folder, ["gateway", *opd_secrets], audit_store)
    gateway_env.update(audit_env["gateway"])
    return CitySecrets(folder, gateway_env, opd_env, sso_clients, api_keys, audit_env)


def audit_writers_env(
    folder: Path, writers: Sequence[str], store: Path | str
) -> dict[str, dict[str, str]]:
    """Each writer's access-log settings: one store (a folder or a PostgreSQL URL), one
    subject key, a seal key each (made in ``folder`` when missing); the first writer also
    gets the file of every writer's public seal key."""
    subject_key = _secret_file(
        folder, "audit-subject.key", base64.b64encode(os.urandom(32)).decode("ascii")
    )
    public_keys = []
    env: dict[str, dict[str, str]] = {}
    for writer in writers:
        seal_key = _secret_file(folder, f"audit-seal-{writer}.pem", generate_ed25519_key())
        public_keys.append(Sealer.from_pem(read_key_file(str(seal_key))).public_pem())
        env[writer] = {
            "SIMPUL_AUDIT_STORE": str(store),
            "SIMPUL_AUDIT_REPLICA": writer,
            "SIMPUL_AUDIT_SEAL_KEY_FILE": str(seal_key),
            "SIMPUL_AUDIT_SUBJECT_KEY_FILE": str(subject_key),
        }
    public = _rewrite(folder / "audit-seal-public.pem", public_keys)
    env[writers[0]]["SIMPUL_AUDIT_SEAL_PUBLIC_KEYS"] = str(public)
    return env


def _rewrite(path: Path, entries: Sequence[str]) -> Path:
    """Write a file derived from the secrets (it follows the grants file as that changes)."""
    text = "# Made by make up from schema/grants.toml and .cache/secrets/.\n\n" + "\n".join(entries)
    if not path.exists() or path.read_text().rstrip("\n") != text.rstrip("\n"):
        path.unlink(missing_ok=True)
        _secret_file(path.parent, path.name, text.rstrip("\n"))
    return path
