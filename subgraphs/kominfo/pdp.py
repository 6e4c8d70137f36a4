"""The access log as Diskominfo's data-protection officer and the OPDs' officers read it.

UU 27/2022 gives a resident the right to learn who processed their personal data and why.
Diskominfo's data-protection officer answers for the whole city: a call from a Diskominfo
application sees every processing on record. An OPD's officer answers for the OPD's own
data: a call from one of its applications sees the processing of the data its subgraph
holds (the entry's owners), nothing else; an organisation without a subgraph sees nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.audit.history import Processing
from subgraphs.reference import UnknownCodeError, opd_by_code, opd_for_subgraph

__all__ = ["DPO_SUBGRAPH", "visible_to"]

DPO_SUBGRAPH = "kominfo"
"""The subgraph of the OPD whose officer is the city's data-protection officer."""


def visible_to(client: str | None, history: Sequence[Processing]) -> list[Processing]:
    """The part of ``history`` the application ``client`` (``PNK/GOV/<kode>/<app>``) sees."""
    parts = (client or "").split("/")
    if len(parts) != 4 or parts[:2] != ["PNK", "GOV"]:
        return []
    kode = parts[2]
    if kode == opd_for_subgraph(DPO_SUBGRAPH).kode:
        return list(history)
    try:
        subgraph = opd_by_code(kode).subgraph
    except UnknownCodeError:
        return []
    if subgraph is None:
        return []
    return [p for p in history if subgraph in p.entry.owners]
