"""Debian's nginx as a caching proxy in front of a gateway, configured as a careless city
might: every 200 answer kept ten minutes unless it says otherwise, keyed by the URL alone
(not by who asked). ``scripts/services.sh`` installs it (``nginx-light``); a test needing
it fails, never skips, without it. Answers carry ``X-Cache-Status`` (HIT, MISS, ...)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.serving import free_port

__all__ = ["caching_proxy"]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _config(folder: Path, port: int, upstream: str) -> str:
    # the careless part: proxy_cache_valid keeps what says nothing; the key is the URL
    return f"""
user root;
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    proxy_cache_path {folder}/cache keys_zone=gateway:1m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass {upstream};
            proxy_http_version 1.1;
            proxy_cache gateway;
            proxy_cache_key $request_uri;
            proxy_cache_valid 200 10m;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


@contextmanager
def caching_proxy(upstream: str, folder: Path) -> Iterator[str]:
    """nginx on a free port of 127.0.0.1 in front of ``upstream``: its base URL."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run scripts/services.sh (Debian's nginx-light)")
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(_config(folder, port, upstream))
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                log = folder / "error.log"
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"nginx did not start: {log.read_text() if log.exists() else ''}"
                    ) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
