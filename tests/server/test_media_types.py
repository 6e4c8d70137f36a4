"""Choosing the response media type from Accept."""

from __future__ import annotations

import pytest

from gateway.server.media_types import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_html,
    parse_media_type,
    response_media_type,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json", JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, {JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{JSON}, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{JSON};q=1, {GRAPHQL_RESPONSE_JSON};q=0.9", JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, application/*;q=0.1", GRAPHQL_RESPONSE_JSON),
        (f"application/*, {GRAPHQL_RESPONSE_JSON};q=0", JSON),
        ("*/*;q=0.5, application/json;q=0", GRAPHQL_RESPONSE_JSON),
        ("*/*;q=0", None),
        ("text/html", None),
        ("application/json;q=abc", None),
        ("garbage", None),
        ("application/json; charset=UTF-8", JSON),
        ("application/json; charset=iso-8859-1", None),
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", GRAPHQL_RESPONSE_JSON),
    ],
)
def test_response_media_type(accept: str | None, expected: str | None) -> None:
    assert response_media_type(accept) == expected


def test_parse_media_type() -> None:
    assert parse_media_type('Application/JSON; Charset="UTF-8"; x') == (
        "application/json",
        {"charset": "UTF-8"},
    )


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", True),
        ("text/html;q=0", False),
        ("*/*", False),
        (None, False),
    ],
)
def test_accepts_html(accept: str | None, expected: bool) -> None:
    assert accepts_html(accept) is expected
