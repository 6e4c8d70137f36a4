"""The city's single sign-on, simulated: an OAuth2 identity provider speaking Keycloak's
endpoints (client credentials, JWKS, discovery), which the gateway trusts for tokens.

Indonesian governments commonly run Keycloak; :mod:`.keycloak` answers on the same paths
(``/realms/<realm>/protocol/openid-connect/token`` and ``.../certs``), so what works
against it works against the real one. ``python -m subgraphs.sso.serve`` runs it for
``make up``.
"""

from .keycloak import KeycloakSimulator, SsoClient

__all__ = ["KeycloakSimulator", "SsoClient"]
