"""The REST-JSON adapter against a legacy system, healthy and broken."""

from __future__ import annotations

import logging

import httpx
import pytest

from subgraphs.toolkit import (
    RetryPolicy,
    UpstreamBadResponse,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from subgraphs.toolkit.adapters import (
    ApiKeyHeader,
    BearerToken,
    OffsetPagination,
    PagePagination,
    RestJsonSource,
)
from tests.toolkit.legacy import Legacy, closed_port_url, serve

FAST_RETRY = RetryPolicy(attempts=3, backoff=0)


def source(legacy: Legacy, **options: object) -> RestJsonSource:
    """The adapter over ``legacy`` in process, retrying without waiting."""
    settings: dict[str, object] = {"retry": FAST_RETRY, "timeout": 1.0, **options}
    return RestJsonSource(
        "dapodik",
        "http://dapodik.local/WebService",
        transport=httpx.ASGITransport(app=legacy.app),
        **settings,  # type: ignore[arg-type]
    )


async def test_page_pagination_collects_every_page() -> None:
    legacy = Legacy(schools=250)
    async with source(legacy) as dapodik:
        rows = await dapodik.get_all("/sekolah", pagination=PagePagination(size=100), items="rows")
    assert [row["npsn"] for row in rows] == [f"3010{n:04d}" for n in range(1, 251)]
    assert legacy.calls["/sekolah"] == 3


async def test_offset_pagination_stops_at_a_short_page() -> None:
    legacy = Legacy(schools=250)
    async with source(legacy) as dapodik:
        rows = await dapodik.get_all("/sekolah-offset", pagination=OffsetPagination(size=50))
    assert len(rows) == 250
    # five full pages, then an empty one says the list ended
    assert legacy.calls["/sekolah-offset"] == 6


async def test_a_reported_total_saves_the_empty_last_page() -> None:
    legacy = Legacy(schools=200)
    async with source(legacy) as dapodik:
        rows = await dapodik.get_all(
            "/sekolah", pagination=PagePagination(size=100), items="rows", total="results"
        )
    assert len(rows) == 200
    assert legacy.calls["/sekolah"] == 2


async def test_a_server_ignoring_paging_cannot_loop_forever() -> None:
    legacy = Legacy()
    async with source(legacy) as dapodik:
        with pytest.raises(UpstreamBadResponse, match="more than 5 pages"):
            await dapodik.get_all(
                "/ignores-paging", pagination=PagePagination(size=10, max_pages=5)
            )
    assert legacy.calls["/ignores-paging"] == 5


async def test_bearer_token_and_api_key_headers() -> None:
    legacy = Legacy()
    async with source(legacy, auth=BearerToken("t0k3n")) as dapodik:
        assert (await dapodik.get_json("/whoami"))["authorization"] == "Bearer t0k3n"
    async with source(legacy, auth=ApiKeyHeader("k3y", header="X-Key")) as other:
        assert await other.get_json("/whoami") == {"authorization": None, "key": "k3y"}
    assert "k3y" not in repr(ApiKeyHeader("k3y")) and "t0k3n" not in repr(BearerToken("t0k3n"))


async def test_malformed_json_is_a_bad_response_and_not_retried() -> None:
    legacy = Legacy()
    async with source(legacy) as dapodik:
        with pytest.raises(UpstreamBadResponse) as caught:
            await dapodik.get_records("/broken-json", items="rows")
    assert caught.value.code == "UPSTREAM_BAD_RESPONSE"
    assert (
        caught.value.message == "Upstream system 'dapodik' gave an answer that could not be read."
    )
    assert legacy.calls["/broken-json"] == 1


async def test_a_byte_order_mark_is_tolerated() -> None:
    async with source(Legacy()) as dapodik:
        assert await dapodik.get_json("/bom-json") == {"ok": True}


async def test_the_wrong_shape_is_a_bad_response() -> None:
    async with source(Legacy()) as dapodik:
        with pytest.raises(UpstreamBadResponse, match="list of objects"):
            await dapodik.get_records("/not-a-list", items="rows")
        with pytest.raises(UpstreamBadResponse, match=r"no 'data\.rows'"):
            await dapodik.get_records("/sekolah", items="data.rows")


async def test_http_500_is_retried_then_unavailable(caplog: pytest.LogCaptureFixture) -> None:
    legacy = Legacy()
    async with source(legacy, auth=BearerToken("t0k3n")) as dapodik:
        with caplog.at_level(logging.WARNING), pytest.raises(UpstreamUnavailable) as caught:
            await dapodik.get_json("/error", params={"api_key": "rahasia"})
    assert legacy.calls["/error"] == 3
    assert "HTTP 500" in caught.value.detail
    assert "rahasia" not in str(caught.value) + caplog.text
    assert "t0k3n" not in str(caught.value) + caplog.text


async def test_a_transient_failure_recovers_on_retry() -> None:
    legacy = Legacy(flaky=2)
    async with source(legacy) as dapodik:
        assert await dapodik.get_json("/flaky") == {"ok": True}
    assert legacy.calls["/flaky"] == 3


async def test_writes_are_not_retried() -> None:
    legacy = Legacy()
    async with source(legacy) as dapodik:
        with pytest.raises(UpstreamUnavailable):
            await dapodik.post_json("/cari", {"npsn": "30100001"})
        assert legacy.calls["/cari"] == 1
        with pytest.raises(UpstreamUnavailable):
            await dapodik.post_json("/cari", {"npsn": "30100001"}, read=True)
        assert legacy.calls["/cari"] == 4


async def test_4xx_is_rejected_without_retry() -> None:
    legacy = Legacy()
    async with source(legacy) as dapodik:
        with pytest.raises(UpstreamRejected) as caught:
            await dapodik.get_json("/forbidden")
    assert caught.value.status == 403
    assert legacy.calls["/forbidden"] == 1


async def test_a_redirect_is_not_followed() -> None:
    legacy = Legacy()
    async with source(legacy) as dapodik:
        with pytest.raises(UpstreamBadResponse, match="redirect"):
            await dapodik.get_json("/redirect")
    assert legacy.calls["/login"] == 0


async def test_a_slow_upstream_times_out_after_retries() -> None:
    legacy = Legacy()
    async with source(legacy, timeout=0.05, retry=RetryPolicy(attempts=2, backoff=0)) as dapodik:
        with pytest.raises(UpstreamTimeout):
            await dapodik.get_json("/slow")
    assert legacy.calls["/slow"] == 2


async def test_over_a_real_socket_slow_and_down() -> None:
    legacy = Legacy(schools=30, slow=0.3)
    async with serve(legacy.app) as url:
        base = f"{url}/WebService"
        async with RestJsonSource("dapodik", base, timeout=0.1, retry=FAST_RETRY) as dapodik:
            rows = await dapodik.get_all(
                "/sekolah", pagination=PagePagination(size=20), items="rows"
            )
            assert len(rows) == 30
            with pytest.raises(UpstreamTimeout):
                await dapodik.get_json("/slow")
    async with RestJsonSource("dapodik", closed_port_url(), retry=FAST_RETRY) as down:
        with pytest.raises(UpstreamUnavailable, match="is unavailable"):
            await down.get_json("/sekolah")
