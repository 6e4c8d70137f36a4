"""@context/@fromContext: an argument the gateway fills from an ancestor.

A budget program is shared by several OPDs; its ceiling (``pagu``) in the budget subgraph
depends on which OPD (SKPD) runs it. The OPD sets the context ``skpd``; ``Program.pagu``
reads its ``kode`` there. Clients never see the argument: the same program under two OPDs
answers two ceilings, each fetched with its OPD's code.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
import strawberry.federation
from strawberry.federation.schema_directives import Context, FromContext

from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, supergraph_of
from tests.planner.harness import assert_plan

PROGRAMS = {"1.01": ["p1", "p2"], "1.02": ["p2", "p3"]}
"""Programs run by each OPD, by its SKPD code: p2 is shared."""

NAMES = {"1.01": "Dinas Pendidikan dan Kebudayaan", "1.02": "Dinas Kesehatan"}
PROGRAM_NAMES = {"p1": "Wajib Belajar", "p2": "Gizi Anak Sekolah", "p3": "Imunisasi"}
CEILINGS = {  # in millions of rupiah
    ("1.01", "p1"): 12_500,
    ("1.01", "p2"): 2_000,
    ("1.02", "p2"): 3_500,
    ("1.02", "p3"): 4_750,
}

# opd: the OPD registry, its programs, and the context its OPDs set


@strawberry.federation.type(keys=["id"])
class Program:
    id: strawberry.ID

    @strawberry.field
    def nama(self) -> str:
        return PROGRAM_NAMES[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Program:
        return Program(id=id)


@strawberry.federation.type(keys=["kode"], directives=[Context(name="skpd")])
class Opd:
    kode: str = strawberry.federation.field(shareable=True)

    @strawberry.field
    def nama(self) -> str:
        return NAMES[self.kode]

    @strawberry.federation.field(shareable=True)
    def programs(self) -> list[Program]:
        return [Program(id=strawberry.ID(p)) for p in PROGRAMS[self.kode]]

    @classmethod
    def resolve_reference(cls, kode: str) -> Opd:
        return Opd(kode=kode)


@strawberry.type
class OpdQuery:
    @strawberry.field
    def opd(self) -> list[Opd]:
        return [Opd(kode=k) for k in PROGRAMS]


opd = strawberry.federation.Schema(query=OpdQuery, federation_version="2.8")

# anggaran: the budget, whose ceilings depend on the OPD running a program


@strawberry.federation.type(keys=["id"], name="Program")
class BudgetedProgram:
    id: strawberry.ID

    @strawberry.field
    def pagu(
        self,
        kode_skpd: Annotated[
            str | None,
            strawberry.argument(directives=[FromContext(field="$skpd { kode }")]),
        ],
        tahun: int = 2026,
    ) -> int | None:
        if kode_skpd is None:
            return None  # asked without the context: the gateway did not pass it
        ceiling = CEILINGS.get((kode_skpd, self.id))
        return None if ceiling is None else ceiling + (tahun - 2026)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> BudgetedProgram:
        return BudgetedProgram(id=id)


@strawberry.federation.type(keys=["kode"], name="Opd", directives=[Context(name="skpd")])
class BudgetedOpd:
    kode: str = strawberry.federation.field(shareable=True)

    @strawberry.federation.field(shareable=True)
    def programs(self) -> list[BudgetedProgram]:
        return [BudgetedProgram(id=strawberry.ID(p)) for p in PROGRAMS[self.kode]]

    @classmethod
    def resolve_reference(cls, kode: str) -> BudgetedOpd:
        return BudgetedOpd(kode=kode)


@strawberry.type
class AnggaranQuery:
    @strawberry.field
    def tahun_anggaran(self) -> int:
        return 2026


anggaran = strawberry.federation.Schema(
    query=AnggaranQuery, types=[BudgetedOpd], federation_version="2.8"
)

SCHEMAS = {"opd": opd, "anggaran": anggaran}
SUPERGRAPH = supergraph_of("context", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


def anggaran_calls(federation: Federation) -> list[dict[str, object]]:
    return [r["variables"] for r in federation.requests("anggaran")]


async def test_each_opd_passes_its_code_to_its_programs(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ opd { nama programs { nama pagu } } }")
    assert body == {
        "data": {
            "opd": [
                {
                    "nama": "Dinas Pendidikan dan Kebudayaan",
                    "programs": [
                        {"nama": "Wajib Belajar", "pagu": 12_500},
                        {"nama": "Gizi Anak Sekolah", "pagu": 2_000},
                    ],
                },
                {
                    "nama": "Dinas Kesehatan",
                    "programs": [
                        {"nama": "Gizi Anak Sekolah", "pagu": 3_500},
                        {"nama": "Imunisasi", "pagu": 4_750},
                    ],
                },
            ]
        }
    }, federation.plan
    # one call per OPD code; the shared program p2 is sent in both
    calls = sorted(anggaran_calls(federation), key=lambda v: str(v["contextualArgument__0"]))
    assert calls == [
        {
            "representations": [
                {"__typename": "Program", "id": "p1"},
                {"__typename": "Program", "id": "p2"},
            ],
            "contextualArgument__0": "1.01",
        },
        {
            "representations": [
                {"__typename": "Program", "id": "p2"},
                {"__typename": "Program", "id": "p3"},
            ],
            "contextualArgument__0": "1.02",
        },
    ]


async def test_the_argument_is_not_the_clients(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    response = await federation.execute('{ opd { programs { pagu(kodeSkpd: "1.02") } } }')
    assert response.status == 400
    assert "kodeSkpd" in response.body["errors"][0]["message"]
    body = await federation.run("{ opd { programs { pagu(tahun: 2027) } } }")
    assert body["data"]["opd"][1]["programs"][1] == {"pagu": 4_751}


def test_the_context_is_read_where_the_opd_is_fetched() -> None:
    # `kode`, which no client asked for, comes with the OPDs; the ceilings follow in an
    # entity fetch whose calls carry it, under the field's own condition
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) { opd { nama programs { nama pagu @include(if: $v) } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "opd") {
              {
                opd {
                  nama
                  programs {
                    nama
                    __typename
                    id
                  }
                  kode
                }
              }
            },
            Include(if: $v) {
              Flatten(path: "opd.@.programs.@") {
                Fetch(service: "anggaran") {
                  {
                    ... on Program {
                      __typename
                      id
                    }
                  } =>
                  ($contextualArgument__0:String) {
                    ... on Program {
                      pagu(kodeSkpd: $contextualArgument__0)
                    }
                  }
                },
              },
            },
          },
        }
        """,
    )
