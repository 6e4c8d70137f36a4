"""Access control at planning time: @authenticated, @requiresScopes, @policy and personal
data, enforced by the gateway before any subgraph is asked.

The subgraphs mark their fields as OPD teams would; callers authenticate with API keys
(the API keys file's way) and hold what the grants file grants. Each test states what a
caller gets back and which subgraph calls were made: a field removed by authorization is
never asked of a subgraph.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
import strawberry
import strawberry.federation

from gateway.access import AccessOptions, Grant
from gateway.access.grants import ApiKeys, ClientGrants, Grants, hash_api_key
from gateway.access.identity import Authenticator
from gateway.access.limits import LimiterUnavailable, MemoryLimiter, Verdict
from gateway.errors import ErrorCode
from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, supergraph_of

VERIFIED: list[str] = []
"""The NIKs the accounts subgraph was asked to verify."""

# accounts: owns User


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str
    email: str | None = strawberry.federation.field(requires_scopes=[["read:email"]])
    nik: str | None = strawberry.federation.field(policy=[["dukcapil.data"]], tags=["pdp:pribadi"])
    ibu_kandung: str | None = strawberry.federation.field(tags=["pdp:pribadi"])
    """Personal data its owner forgot to guard: closed to every caller."""

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return _user(id)


def _user(id: str) -> User:
    return User(
        id=strawberry.ID(id),
        name=f"Warga {id}",
        email=f"warga{id}@example.go.id",
        nik=f"617101010190000{id}",
        ibu_kandung="Siti",
    )


@strawberry.federation.type(authenticated=True)
class Account:
    saldo: int


@strawberry.federation.type(requires_scopes=[["admin"]])
class Secret:
    code: str


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def users(self) -> list[User]:
        return [_user("1"), _user("2")]

    @strawberry.federation.field(authenticated=True)
    def me(self) -> User | None:
        return _user("1")

    @strawberry.field
    def account(self) -> Account | None:
        return Account(saldo=100)

    @strawberry.field
    def secret(self) -> Secret | None:
        return Secret(code="s3cr3t")


@strawberry.type
class AccountsMutation:
    @strawberry.federation.field(policy=[["dukcapil.verifikasi"]], tags=["pdp:pribadi"])
    def verify(self, nik: str) -> bool | None:
        VERIFIED.append(nik)
        return nik.endswith("1")


accounts = strawberry.federation.Schema(
    query=AccountsQuery, mutation=AccountsMutation, types=[User], federation_version="2.6"
)

# reviews: adds User.reviews


@strawberry.type
class Review:
    body: str
    rating: int = strawberry.federation.field(policy=[["reviews.rating"]])


@strawberry.federation.type(keys=["id"], name="User")
class ReviewedUser:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review] | None:
        return [Review(body=f"ulasan {self.id}", rating=4)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ReviewedUser:
        return ReviewedUser(id=id)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def top_review(self) -> Review | None:
        return Review(body="bagus", rating=5)


reviews = strawberry.federation.Schema(
    query=ReviewsQuery,
    types=[ReviewedUser],
    federation_version="2.6",
)

SUPERGRAPH = supergraph_of("access", {"accounts": accounts, "reviews": reviews})

DINSOS = "PNK/GOV/1.06.01/siks"
BAPPEDA = "PNK/GOV/5.01.01/sipd"
KEYS = {DINSOS: "spk_dinsos", BAPPEDA: "spk_bappeda"}
PURPOSE = "Verifikasi penerima bantuan sosial"
GRANTS = Grants(
    {
        DINSOS: ClientGrants(
            DINSOS,
            scopes=frozenset({"read:email"}),
            grants=(
                Grant("dukcapil.verifikasi", (PURPOSE,), "PKS 470/112/2026", rate_per_minute=3),
                Grant("dukcapil.data", (PURPOSE,), "PKS 470/112/2026"),
                Grant("reviews.rating"),
            ),
        ),
        BAPPEDA: ClientGrants(BAPPEDA, grants=(Grant("reviews.rating"),)),
    }
)


def options(**overrides: Any) -> AccessOptions:
    authenticator = Authenticator(
        grants=GRANTS, api_keys=ApiKeys({hash_api_key(k): c for c, k in KEYS.items()})
    )
    return AccessOptions(authenticator=authenticator, **overrides)


def as_client(client: str, purpose: str | None = PURPOSE) -> dict[str, str]:
    headers = {"x-api-key": KEYS[client]}
    if purpose is not None:
        headers["simpul-purpose"] = purpose
    return headers


@pytest.fixture
def city(federate: Federate) -> Federation:
    VERIFIED.clear()
    return federate(
        SUPERGRAPH, {"accounts": app_of(accounts), "reviews": app_of(reviews)}, access=options()
    )


async def run(
    federation: Federation, query: str, headers: Mapping[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    response = await federation.execute(query, variables or None, headers=headers)
    assert response.status == 200, response.body
    return response.body


def refusals(body: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    return sorted((tuple(e.get("path") or ()), e["extensions"]["code"]) for e in body["errors"])


def asked(federation: Federation, subgraph: str) -> str:
    """Every query text ``subgraph`` was sent, joined."""
    return "\n".join(request["query"] for request in federation.requests(subgraph))


async def test_an_anonymous_caller_gets_null_and_an_error_for_a_scoped_field(
    city: Federation,
) -> None:
    body = await run(city, "{ users { name email } }")
    assert body["data"] == {
        "users": [{"name": "Warga 1", "email": None}, {"name": "Warga 2", "email": None}]
    }
    assert refusals(body) == [(("users", "@", "email"), "UNAUTHORIZED_FIELD_OR_TYPE")]
    assert body["errors"][0]["message"] == ("User.email needs an authenticated client application")
    assert "email" not in asked(city, "accounts")


async def test_a_client_with_the_scope_gets_the_field_and_others_still_do_not(
    city: Federation,
) -> None:
    granted = await run(city, "{ users { email } }", as_client(DINSOS))
    assert granted == {
        "data": {"users": [{"email": "warga1@example.go.id"}, {"email": "warga2@example.go.id"}]}
    }
    other = await run(city, "{ users { email } }", as_client(BAPPEDA))
    assert other["data"] == {"users": [{"email": None}, {"email": None}]}
    assert other["errors"][0]["message"] == "User.email needs a scope this client does not hold"
    # the same document, planned again for what each caller may see
    anonymous = await run(city, "{ users { email } }")
    assert anonymous["data"] == {"users": [{"email": None}, {"email": None}]}
    assert asked(city, "accounts").count("email") == 1


async def test_a_root_field_removed_entirely_calls_no_subgraph(city: Federation) -> None:
    body = await run(city, "{ me { name } }")
    assert body["data"] == {"me": None}
    assert refusals(body) == [(("me",), "UNAUTHORIZED_FIELD_OR_TYPE")]
    assert city.counts() == {"accounts": 0, "reviews": 0}


async def test_a_protected_type_closes_every_field_returning_it(city: Federation) -> None:
    body = await run(city, "{ account { saldo } secret { code } users { name } }")
    assert body["data"] == {
        "account": None,
        "secret": None,
        "users": [{"name": "Warga 1"}, {"name": "Warga 2"}],
    }
    assert refusals(body) == [
        (("account",), "UNAUTHORIZED_FIELD_OR_TYPE"),
        (("secret",), "UNAUTHORIZED_FIELD_OR_TYPE"),
    ]
    authenticated = await run(city, "{ account { saldo } secret { code } }", as_client(BAPPEDA))
    assert authenticated["data"] == {"account": {"saldo": 100}, "secret": None}


async def test_a_non_null_field_removed_nulls_its_parent_with_one_error(
    city: Federation,
) -> None:
    body = await run(city, "{ users { id reviews { body rating } } topReview { body } }")
    assert body["data"] == {
        "users": [{"id": "1", "reviews": None}, {"id": "2", "reviews": None}],
        "topReview": {"body": "bagus"},
    }
    # Review.rating is non-null: each review list absorbs the null, with no second error
    assert refusals(body) == [
        (("users", "@", "reviews", "@", "rating"), ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE)
    ]
    assert "rating" not in asked(city, "reviews")
    granted = await run(city, "{ users { reviews { rating } } }", as_client(BAPPEDA))
    assert granted == {
        "data": {"users": [{"reviews": [{"rating": 4}]}, {"reviews": [{"rating": 4}]}]}
    }


async def test_fragments_are_filtered_wherever_they_are_spread(city: Federation) -> None:
    query = """
      query { users { ...Contact } me { ...Contact } }
      fragment Contact on User { name email }
    """
    body = await run(city, query)
    assert body["data"] == {
        "users": [{"name": "Warga 1", "email": None}, {"name": "Warga 2", "email": None}],
        "me": None,
    }
    assert refusals(body) == [
        (("me",), "UNAUTHORIZED_FIELD_OR_TYPE"),
        (("users", "@", "email"), "UNAUTHORIZED_FIELD_OR_TYPE"),
    ]


async def test_a_selection_left_empty_keeps_its_object(city: Federation) -> None:
    body = await run(city, "{ users { email } }")
    assert body["data"] == {"users": [{"email": None}, {"email": None}]}


async def test_personal_data_needs_the_grant_and_a_stated_purpose(city: Federation) -> None:
    query = "{ users { id nik } }"
    anonymous = await run(city, query)
    assert anonymous["data"] == {"users": [{"id": "1", "nik": None}, {"id": "2", "nik": None}]}
    no_purpose = await run(city, query, as_client(DINSOS, purpose=None))
    assert no_purpose["errors"][0]["message"] == (
        "User.nik is personal data: state the purpose of the request"
    )
    other_purpose = await run(city, query, as_client(DINSOS, purpose="Penelitian"))
    assert other_purpose["errors"][0]["message"] == (
        "User.nik needs a grant this client does not hold for this purpose"
    )
    not_granted = await run(city, query, as_client(BAPPEDA))
    assert not_granted["data"]["users"][0]["nik"] is None
    granted = await run(city, query, as_client(DINSOS))
    assert granted == {
        "data": {
            "users": [
                {"id": "1", "nik": "6171010101900001"},
                {"id": "2", "nik": "6171010101900002"},
            ]
        }
    }
    assert asked(city, "accounts").count("nik") == 1


async def test_personal_data_without_a_guard_is_closed_to_everyone(city: Federation) -> None:
    body = await run(city, "{ users { ibuKandung } }", as_client(DINSOS))
    assert body["data"] == {"users": [{"ibuKandung": None}, {"ibuKandung": None}]}
    assert body["errors"][0]["message"] == "User.ibuKandung is personal data that no grant opens"
    assert city.counts()["accounts"] == 1  # the users, without the closed field
    assert "ibuKandung" not in asked(city, "accounts")


async def test_aliases_do_not_multiply_a_personal_data_field(city: Federation) -> None:
    query = """mutation {
      a: verify(nik: "6171010101900001")
      b: verify(nik: "6171010101900002")
      c: verify(nik: "6171010101900003")
    }"""
    body = await run(city, query, as_client(DINSOS))
    assert body["data"] == {"a": None, "b": None, "c": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"PERSONAL_DATA_LIMIT_EXCEEDED"}
    assert [e["path"] for e in body["errors"]] == [["a"], ["b"], ["c"]]
    assert VERIFIED == []
    assert city.counts() == {"accounts": 0, "reviews": 0}


async def test_personal_data_is_limited_per_client_and_minute(city: Federation) -> None:
    verify = 'mutation { verify(nik: "6171010101900001") }'
    answers = [await run(city, verify, as_client(DINSOS)) for _ in range(4)]
    assert [a["data"] for a in answers[:3]] == [{"verify": True}] * 3
    assert answers[3]["data"] == {"verify": None}
    error = answers[3]["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 60
    assert error["message"].startswith(
        "Mutation.verify is personal data: this client may reach it 3 times a minute"
    )
    assert len(VERIFIED) == 3


async def test_personal_data_is_refused_when_its_use_cannot_be_counted(
    federate: Federate,
) -> None:
    class Down(MemoryLimiter):
        async def hit(self, key: str, amount: int, limit: int) -> Verdict:
            raise LimiterUnavailable("connection refused")

    VERIFIED.clear()
    city = federate(SUPERGRAPH, {"accounts": app_of(accounts)}, access=options(limiter=Down()))
    body = await run(city, 'mutation { verify(nik: "6171010101900001") }', as_client(DINSOS))
    assert body["data"] == {"verify": None}
    assert refusals(body) == [(("verify",), "RATE_LIMIT_UNAVAILABLE")]
    assert VERIFIED == []
    public = await run(city, "{ users { name } }", as_client(DINSOS))
    assert "errors" not in public


async def test_reject_mode_refuses_the_whole_operation(federate: Federate) -> None:
    city = federate(
        SUPERGRAPH,
        {"accounts": app_of(accounts), "reviews": app_of(reviews)},
        access=options(mode="reject"),
    )
    anonymous = await city.execute("{ users { name email } }")
    assert anonymous.status == 401
    assert "data" not in anonymous.body
    assert refusals(anonymous.body) == [(("users", "@", "email"), "UNAUTHORIZED_FIELD_OR_TYPE")]
    other = await city.execute("{ users { name email } }", headers=as_client(BAPPEDA))
    assert other.status == 403
    allowed = await city.execute("{ users { name email } }", headers=as_client(DINSOS))
    assert allowed.status == 200 and "errors" not in allowed.body
    assert city.calls("accounts") == 1


async def test_a_wrong_credential_is_refused_not_made_anonymous(city: Federation) -> None:
    response = await city.execute("{ users { name } }", headers={"x-api-key": "spk_guess"})
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.body == {
        "errors": [
            {"message": "the API key is not valid", "extensions": {"code": "UNAUTHENTICATED"}}
        ]
    }
    assert city.counts() == {"accounts": 0, "reviews": 0}


async def test_a_malformed_officer_is_refused(city: Federation) -> None:
    headers = {**as_client(DINSOS), "simpul-officer": "12345"}
    response = await city.execute("{ users { name } }", headers=headers)
    assert response.status == 400
    assert response.body["errors"][0]["message"] == "the officer must be a NIP of 18 digits"


INTROSPECT = """{
  user: __type(name: "User") { fields { name } }
  account: __type(name: "Account") { name }
  __schema { mutationType { name } }
}"""


async def test_introspection_shows_a_caller_only_what_it_may_query(city: Federation) -> None:
    anonymous = await run(city, INTROSPECT)
    assert anonymous["data"] == {
        "user": {"fields": [{"name": "id"}, {"name": "name"}, {"name": "reviews"}]},
        "account": None,
        "__schema": {"mutationType": None},
    }
    granted = await run(city, INTROSPECT, as_client(DINSOS))
    fields = [f["name"] for f in granted["data"]["user"]["fields"]]
    assert fields == ["id", "name", "email", "nik", "reviews"]  # ibuKandung stays closed
    assert granted["data"]["account"] == {"name": "Account"}
    assert granted["data"]["__schema"] == {"mutationType": {"name": "Mutation"}}
    assert city.counts() == {"accounts": 0, "reviews": 0}


async def test_introspection_can_be_turned_off(federate: Federate) -> None:
    city = federate(SUPERGRAPH, {"accounts": app_of(accounts)}, access=options(introspection="off"))
    body = await run(city, "{ __schema { queryType { name } } users { name } }", as_client(DINSOS))
    assert body["data"] == {"__schema": None, "users": [{"name": "Warga 1"}, {"name": "Warga 2"}]}
    assert refusals(body) == [((), "INTROSPECTION_DISABLED")]
    assert await run(city, "{ __typename }") == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("{ me { name } }", ("me",)),  # @authenticated
        ("{ users { email } }", ("users", "@", "email")),  # @requiresScopes
        ("{ topReview { rating } }", ("topReview", "rating")),  # @policy
        ("{ account { saldo } }", ("account",)),  # @authenticated on the type
        ("{ secret { code } }", ("secret",)),  # @requiresScopes on the type
    ],
)
async def test_reject_mode_refuses_for_every_directive(
    federate: Federate, query: str, path: tuple[str, ...]
) -> None:
    city = federate(
        SUPERGRAPH,
        {"accounts": app_of(accounts), "reviews": app_of(reviews)},
        access=options(mode="reject"),
    )
    anonymous = await city.execute(query)
    assert anonymous.status == 401
    assert refusals(anonymous.body) == [(path, "UNAUTHORIZED_FIELD_OR_TYPE")]
    assert city.counts() == {"accounts": 0, "reviews": 0}


async def test_a_policy_hook_grants_what_the_grants_file_does_not(federate: Federate) -> None:
    asked: list[tuple[str | None, str]] = []

    def hook(caller: Any, policy: str) -> bool:
        asked.append((caller.client, policy))
        return caller.client == BAPPEDA and policy == "dukcapil.data"

    authenticator = Authenticator(
        grants=GRANTS,
        api_keys=ApiKeys({hash_api_key(k): c for c, k in KEYS.items()}),
        policy_hook=hook,
    )
    city = federate(
        SUPERGRAPH,
        {"accounts": app_of(accounts)},
        access=AccessOptions(authenticator=authenticator),
    )
    body = await run(city, "{ users { nik } }", as_client(BAPPEDA))
    assert body == {"data": {"users": [{"nik": "6171010101900001"}, {"nik": "6171010101900002"}]}}
    assert (BAPPEDA, "dukcapil.data") in asked
    assert ("PNK/GOV/1.06.01/siks", "dukcapil.data") not in asked  # granted by the file


async def test_only_the_listed_fields_are_public(federate: Federate) -> None:
    city = federate(
        SUPERGRAPH,
        {"accounts": app_of(accounts), "reviews": app_of(reviews)},
        access=options(public=("Query.users", "User.*", "Review.body")),
    )
    anonymous = await run(city, "{ users { name reviews { body } } topReview { body } }")
    assert anonymous["data"] == {
        "users": [
            {"name": "Warga 1", "reviews": [{"body": "ulasan 1"}]},
            {"name": "Warga 2", "reviews": [{"body": "ulasan 2"}]},
        ],
        "topReview": None,
    }
    assert refusals(anonymous) == [(("topReview",), "UNAUTHORIZED_FIELD_OR_TYPE")]
    granted = await run(city, "{ topReview { body } }", as_client(BAPPEDA))
    assert granted == {"data": {"topReview": {"body": "bagus"}}}
