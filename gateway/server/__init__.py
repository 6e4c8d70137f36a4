"""The gateway's HTTP face: the ASGI app (:mod:`.app`), content negotiation
(:mod:`.media_types`), GraphiQL and its files (:mod:`.graphiql`, ``static/``), CORS
(:mod:`.cors`), the guarded HTTP protocol for slow and greedy clients (:mod:`.connections`),
several uvicorn servers in one program (:mod:`.embedded`) and the access log's privacy
(:mod:`.log_privacy`)."""

from .app import PORTAL_CSP, EngineFactory, ExecutesGraphQL, create_app

__all__ = ["PORTAL_CSP", "EngineFactory", "ExecutesGraphQL", "create_app"]
