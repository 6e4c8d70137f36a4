"""A legacy HTTP system with every failure the adapters must survive, served in process.

Its routes answer JSON or XML the way old systems do, well or badly, and count the calls
each path received, so tests can assert how many upstream requests an adapter made.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

__all__ = ["BILLION_LAUGHS", "XXE", "Legacy", "closed_port_url", "serve"]

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE response [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<response><data><izin><nomor_izin>&secret;</nomor_izin></izin></data></response>"""

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
<response><data><izin><nomor_izin>&lol9;</nomor_izin></izin></data></response>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE response SYSTEM "http://127.0.0.1:9/izin.dtd">
<response><data/></response>"""

XML = "application/xml"


def school(number: int) -> dict[str, Any]:
    """A Dapodik-style school row."""
    return {"npsn": f"3010{number:04d}", "nama": f"SD Negeri {number} Pontianak"}


def permit_xml(number: int) -> str:
    """A SiCantik-style permit record."""
    return (
        f'<izin id="{number}"><nomor_izin>503/{number:04d}/DPMPTSP</nomor_izin>'
        f"<status_izin> terbit </status_izin><keterangan/></izin>"
    )


class Legacy:
    """The legacy system: ``app`` to serve, ``calls`` per path (below ``prefix``, where the
    real systems mount their web service), ``schools`` and ``permits`` to page through,
    ``flaky`` failures left before ``/flaky`` answers, ``slow`` seconds ``/slow`` takes."""

    def __init__(
        self,
        schools: int = 250,
        permits: int = 120,
        flaky: int = 2,
        slow: float = 1.0,
        prefix: str = "/WebService",
    ) -> None:
        self.prefix = prefix
        self.slow = slow
        self.calls: Counter[str] = Counter()
        self.schools = [school(n) for n in range(1, schools + 1)]
        self.permits = permits
        self.flaky = flaky
        self.app = Starlette()
        self.app.add_route("/{path:path}", self.handle, methods=["GET", "POST"])

    async def handle(self, request: Request) -> Response:
        path = request.url.path.removeprefix(self.prefix)
        self.calls[path] += 1
        query = request.query_params
        limit = int(query.get("limit", 100))
        match path:
            case "/sekolah":  # page/limit, Dapodik's envelope
                page = int(query.get("page", 1))
                rows = self.schools[(page - 1) * limit : page * limit]
                return JSONResponse({"results": len(self.schools), "rows": rows})
            case "/sekolah-offset":  # offset/limit, the list is the body
                offset = int(query.get("offset", 0))
                return JSONResponse(self.schools[offset : offset + limit])
            case "/ignores-paging":
                return JSONResponse(self.schools[:limit])
            case "/whoami":
                headers = request.headers
                return JSONResponse(
                    {"authorization": headers.get("authorization"), "key": headers.get("x-key")}
                )
            case "/broken-json":
                return Response(b'{"rows": [{"npsn": "3010', media_type="application/json")
            case "/bom-json":
                return Response(b'\xef\xbb\xbf{"ok": true}', media_type="application/json")
            case "/not-a-list":
                return JSONResponse({"rows": {"npsn": "30100001"}})
            case "/error" | "/cari":
                return Response(b"<html>Internal Server Error</html>", status_code=500)
            case "/flaky":
                if self.flaky > 0:
                    self.flaky -= 1
                    return Response(b"", status_code=503)
                return JSONResponse({"ok": True})
            case "/slow" | "/slow-xml":
                await asyncio.sleep(self.slow)
                return JSONResponse({"ok": True})
            case "/forbidden":
                return JSONResponse({"error": "token tidak valid"}, status_code=403)
            case "/redirect":
                return RedirectResponse("/login", status_code=302)
            case "/izin":  # offset/limit, SiCantik-style XML with a total
                offset = int(query.get("offset", 0))
                numbers = range(offset + 1, min(offset + limit, self.permits) + 1)
                items = "".join(permit_xml(n) for n in numbers)
                body = f"<response><total>{self.permits}</total><data>{items}</data></response>"
                return Response(body, media_type=XML)
            case "/izin-ns":
                body = (
                    '<r:response xmlns:r="urn:sicantik">'
                    f"<r:data>{permit_xml(1)}</r:data></r:response>"
                )
                return Response(body, media_type=XML)
            case "/broken-xml":
                return Response(b"<response><data><izin><nomor_izin>503", media_type=XML)
            case "/xxe":
                return Response(XXE, media_type=XML)
            case "/billion-laughs":
                return Response(BILLION_LAUGHS, media_type=XML)
            case "/external-dtd":
                return Response(EXTERNAL_DTD, media_type=XML)
        return JSONResponse({"error": "not found"}, status_code=404)


@asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) for the block; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def closed_port_url() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
