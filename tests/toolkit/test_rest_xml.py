"""The REST-XML adapter: records and pages from XML, and hostile or broken XML refused."""

from __future__ import annotations

import httpx
import pytest

from subgraphs.toolkit import (
    RetryPolicy,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from subgraphs.toolkit.adapters import ApiKeyHeader, OffsetPagination, RestXmlSource, parse_xml
from tests.toolkit.legacy import BILLION_LAUGHS, XXE, Legacy, closed_port_url

FAST_RETRY = RetryPolicy(attempts=3, backoff=0)


def source(legacy: Legacy, **options: float) -> RestXmlSource:
    """The adapter over ``legacy`` in process, retrying without waiting."""
    return RestXmlSource(
        "sicantik",
        "http://sicantik.local/WebService",
        auth=ApiKeyHeader("k3y"),
        retry=FAST_RETRY,
        transport=httpx.ASGITransport(app=legacy.app),
        timeout=options.get("timeout", 1.0),
    )


async def test_records_from_xml() -> None:
    async with source(Legacy(permits=3)) as sicantik:
        records = await sicantik.get_records("/izin", items="./data/izin")
    assert records[0] == {
        "id": "1",
        "nomor_izin": "503/0001/DPMPTSP",
        "status_izin": "terbit",
        "keterangan": None,
    }
    assert len(records) == 3


async def test_namespaced_xml_by_local_name() -> None:
    async with source(Legacy()) as sicantik:
        [record] = await sicantik.get_records("/izin-ns", items="./{*}data/izin")
    assert record["nomor_izin"] == "503/0001/DPMPTSP"


async def test_offset_pagination_with_a_total() -> None:
    legacy = Legacy(permits=120)
    async with source(legacy) as sicantik:
        records = await sicantik.get_all(
            "/izin", items="./data/izin", pagination=OffsetPagination(size=40), total="./total"
        )
    assert [r["id"] for r in records] == [str(n) for n in range(1, 121)]
    assert legacy.calls["/izin"] == 3


async def test_a_total_that_is_not_a_number_is_a_bad_response() -> None:
    async with source(Legacy()) as sicantik:
        with pytest.raises(UpstreamBadResponse, match="total"):
            await sicantik.get_all(
                "/izin", items="./data/izin", pagination=OffsetPagination(size=40), total="./data"
            )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/broken-xml", "malformed XML"),
        ("/xxe", "refused XML"),
        ("/billion-laughs", "refused XML"),
        ("/external-dtd", "refused XML"),
        ("/broken-json", "malformed XML"),
    ],
)
async def test_malformed_and_hostile_xml_is_refused(path: str, reason: str) -> None:
    legacy = Legacy()
    async with source(legacy) as sicantik:
        with pytest.raises(UpstreamBadResponse, match=reason) as caught:
            await sicantik.get_xml(path)
    assert caught.value.code == "UPSTREAM_BAD_RESPONSE"
    assert legacy.calls[path] == 1


def test_the_parser_refuses_entities_even_without_http() -> None:
    with pytest.raises(UpstreamBadResponse) as xxe:
        parse_xml(XXE, upstream="sicantik")
    assert "root:" not in str(xxe.value)  # /etc/passwd was never read
    with pytest.raises(UpstreamBadResponse, match="DTDForbidden"):
        parse_xml(BILLION_LAUGHS, upstream="sicantik")


async def test_http_500_is_retried_then_unavailable() -> None:
    legacy = Legacy()
    async with source(legacy) as sicantik:
        with pytest.raises(UpstreamUnavailable):
            await sicantik.get_xml("/error")
    assert legacy.calls["/error"] == 3


async def test_a_slow_upstream_times_out() -> None:
    legacy = Legacy()
    async with source(legacy, timeout=0.05) as sicantik:
        with pytest.raises(UpstreamTimeout):
            await sicantik.get_xml("/slow-xml")
    assert legacy.calls["/slow-xml"] == 3


async def test_a_down_upstream_is_unavailable() -> None:
    async with RestXmlSource("sicantik", closed_port_url(), retry=FAST_RETRY) as sicantik:
        with pytest.raises(UpstreamUnavailable):
            await sicantik.get_xml("/izin")
