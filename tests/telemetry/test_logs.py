"""``log_format = "json"``: every line the gateway writes is one JSON object, a request's
lines carry its request id and the trace id of its ``traceparent``, and the access line
still quotes nothing of a GET's query string."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx

from gateway.log_context import REQUEST_ID, TRACE_ID
from gateway.server.log_format import JsonFormatter, with_format
from tests.support.docs import fenced_blocks
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready

ROOT = Path(__file__).resolve().parents[2]
SUPERGRAPH = ROOT / "schema" / "demo" / "supergraph.graphql"
OPERATORS = ROOT / "docs" / "operators.md"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_a_json_gateway_writes_parseable_lines_with_request_and_trace_ids(
    tmp_path: Path,
) -> None:
    nik = "6171014508900001"
    env = {"SIMPUL_CALL_SIGNING": "none", "SIMPUL_LOG_FORMAT": "json"}
    with (tmp_path / "access.log").open("w") as log:
        process, url = start_gateway("--supergraph", str(SUPERGRAPH), env=env, stdout=log)
        try:
            wait_ready(url)
            query = "query ($nik: String) { __typename @include(if: true) x: __typename }"
            response = httpx.get(
                f"{url}/graphql",
                params={"query": query, "variables": f'{{"nik": "{nik}"}}'},
                headers={
                    "x-request-id": "req-42",
                    "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01",
                },
            )
            assert response.status_code == 200
        finally:
            assert stop_gateway(process) == 0
    access = (tmp_path / "access.log").read_text()  # uvicorn writes access lines to stdout
    lines = [json.loads(line) for line in access.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    (request,) = [line for line in lines if "GET /graphql" in line["message"]]
    assert request["message"].endswith('"GET /graphql?… HTTP/1.1" 200')
    assert (request["request_id"], request["trace_id"]) == ("req-42", TRACE)
    assert nik not in access and "__typename" not in access
    # the operators' guide shows a line as the gateway writes it: these fields, compact
    (raw,) = [line for line in access.splitlines() if "GET /graphql" in line]
    assert raw == compact(request)
    (example,) = [
        block.text.strip()
        for block in fenced_blocks(OPERATORS)
        if block.lang == "json" and "uvicorn.access" in block.text
    ]
    assert list(json.loads(example)) == list(request)
    assert example == compact(json.loads(example))


def compact(line: dict[str, object]) -> str:
    return json.dumps(line, separators=(",", ":"), ensure_ascii=False)


def test_the_json_formatter_reads_the_request_s_context() -> None:
    record = logging.LogRecord("gateway.x", logging.WARNING, __file__, 1, "%s failed", ("a",), None)
    tokens = (REQUEST_ID.set("r1"), TRACE_ID.set(TRACE))
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(tokens[0])
        TRACE_ID.reset(tokens[1])
    assert line["message"] == "a failed" and line["level"] == "warning"
    assert (line["logger"], line["request_id"], line["trace_id"]) == ("gateway.x", "r1", TRACE)
    config = with_format({"formatters": {"default": {}, "access": {}}}, "json")
    assert all(
        f == {"()": "gateway.server.log_format.JsonFormatter"}
        for f in config["formatters"].values()
    )
    assert with_format({"formatters": {"default": {"fmt": "%(message)s"}}}, "text") == {
        "formatters": {"default": {"fmt": "%(message)s"}}
    }
