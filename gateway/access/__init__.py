"""Access control: who is calling, what they may reach, and the gateway's word to subgraphs.

- :mod:`.caller`: the verified identity of a request (:class:`Caller`);
- :mod:`.identity`: JWTs against the identity provider's JWKS, API keys, anonymity;
- :mod:`.grants`: the grants file (client applications, their policies, purposes and legal
  bases) and the API keys file;
- :mod:`.rules`: what the supergraph's ``@authenticated``, ``@requiresScopes``, ``@policy``
  and ``pdp:`` tags ask of a caller;
- :mod:`.authorization`: removing what a caller may not reach before planning;
- :mod:`.limits`: personal-data use per client and minute, in Redis or in the process;
- :mod:`.call_token`: the signature on every subgraph call, and its check;
- :mod:`.control`: the pieces joined for the engine.
"""

from .caller import ANONYMOUS, Caller, Credential, Grant
from .control import AccessControl, AccessOptions, AccessRefused, Decision

__all__ = [
    "ANONYMOUS",
    "AccessControl",
    "AccessOptions",
    "AccessRefused",
    "Caller",
    "Credential",
    "Decision",
    "Grant",
]
