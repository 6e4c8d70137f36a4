"""Serving the gateway only: every ``/graphql`` call must carry the gateway's signature.

An OPD's subgraph sits on the city's network, where more than the gateway can reach its
port. :class:`GatewayTrust` holds what the subgraph verifies calls with (its own HMAC key,
derived from the gateway's, or the gateway's Ed25519 public key); :func:`create_app`
(:mod:`.app`) then answers any call without a valid signature with 401, ``_service { sdl }``
included, and hands resolvers the verified caller in ``info.context.call``.

From the environment (:meth:`GatewayTrust.from_environment`), first match wins:

- ``SIMPUL_CALL_KEY`` or ``SIMPUL_CALL_KEY_FILE``: the subgraph's HMAC key(s), base64url,
  separated by commas while keys rotate (``simpul keys subgraph NAME`` prints one);
- ``SIMPUL_GATEWAY_PUBLIC_KEY_FILE``: the gateway's Ed25519 public key(s), PEM;
- ``SIMPUL_CALL_SIGNING=none``: serve unsigned calls, for development only; said in the log.

Nothing set is an error naming these variables: no subgraph serves everyone by default.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.access.call_token import CallKeyError, CallVerifier, read_key_file

__all__ = ["GatewayTrust", "TrustNotConfigured"]

log = logging.getLogger("simpul.subgraph")


class TrustNotConfigured(Exception):
    """The subgraph was not told how to recognise the gateway; the message says how."""


@dataclass(frozen=True, slots=True)
class GatewayTrust:
    """What a subgraph accepts: calls its verifier accepts, or (``verifier=None``) any."""

    verifier: CallVerifier | None

    @classmethod
    def unsigned(cls) -> GatewayTrust:
        """Accept unsigned calls: for tests and development, never a deployment."""
        return cls(None)

    @classmethod
    def from_environment(
        cls, subgraph: str, environ: Mapping[str, str] | None = None
    ) -> GatewayTrust:
        """The trust the environment configures for the subgraph named ``subgraph``."""
        env = os.environ if environ is None else environ
        try:
            hmac_keys = env.get("SIMPUL_CALL_KEY", "")
            if not hmac_keys and env.get("SIMPUL_CALL_KEY_FILE"):
                hmac_keys = read_key_file(env["SIMPUL_CALL_KEY_FILE"])
            public_keys = ""
            if env.get("SIMPUL_GATEWAY_PUBLIC_KEY_FILE"):
                public_keys = read_key_file(env["SIMPUL_GATEWAY_PUBLIC_KEY_FILE"])
            if hmac_keys or public_keys:
                return cls(CallVerifier.from_texts(subgraph, hmac_keys, public_keys))
        except CallKeyError as error:
            raise TrustNotConfigured(f"subgraph {subgraph}: {error}") from None
        if env.get("SIMPUL_CALL_SIGNING", "").strip().lower() == "none":
            log.warning(
                "subgraph %s serves unsigned calls (SIMPUL_CALL_SIGNING=none): anyone who "
                "reaches its port is served; development only",
                subgraph,
            )
            return cls.unsigned()
        raise TrustNotConfigured(
            f"subgraph {subgraph} does not know how to recognise the gateway: set "
            "SIMPUL_CALL_KEY (from `simpul keys subgraph --key-file GATEWAY_KEY "
            f"{subgraph}`), SIMPUL_CALL_KEY_FILE or SIMPUL_GATEWAY_PUBLIC_KEY_FILE; "
            "SIMPUL_CALL_SIGNING=none serves anyone, for development only"
        )
