"""Reference data every OPD simulator seeds from, so that all six agree on the shared codes.

- :mod:`.wilayah`: Kota Pontianak's 6 kecamatan and 29 kelurahan with their Kemendagri
  codes (the graph's join key), synthetic area, population and coordinates, and crosswalks
  to BPS and Dapodik codes.
- :mod:`.opd`: the perangkat daerah as SIPD knows them (kode SKPD, urusan), marking the six
  OPDs this project wraps.

Which values are real and which are samples is written at the top of each file in
``data/``. Everything here is read-only and loaded once, on first use.
"""

from .errors import ReferenceDataError, UnknownCodeError
from .opd import (
    KODE_SKPD_RE,
    PROJECT_SUBGRAPHS,
    JenisOpd,
    KodeSkpd,
    Opd,
    Urusan,
    opd_by_code,
    opd_for_subgraph,
    opd_list,
    parse_kode_skpd,
    project_opds,
    urusan_by_code,
    urusan_list,
)
from .wilayah import (
    BPS_KECAMATAN_RE,
    BPS_KELURAHAN_RE,
    DAPODIK_KODE_RE,
    KECAMATAN_KODE_RE,
    KELURAHAN_KODE_RE,
    CrosswalkRow,
    Kecamatan,
    Kelurahan,
    Kota,
    Tingkat,
    bps_crosswalk,
    bps_to_kemendagri,
    dapodik_crosswalk,
    dapodik_to_kemendagri,
    kecamatan_by_code,
    kecamatan_list,
    kelurahan_by_code,
    kelurahan_by_name,
    kelurahan_list,
    kemendagri_to_bps,
    kemendagri_to_dapodik,
    kota,
)

__all__ = [
    "BPS_KECAMATAN_RE",
    "BPS_KELURAHAN_RE",
    "DAPODIK_KODE_RE",
    "KECAMATAN_KODE_RE",
    "KELURAHAN_KODE_RE",
    "KODE_SKPD_RE",
    "PROJECT_SUBGRAPHS",
    "CrosswalkRow",
    "JenisOpd",
    "Kecamatan",
    "Kelurahan",
    "KodeSkpd",
    "Kota",
    "Opd",
    "ReferenceDataError",
    "Tingkat",
    "UnknownCodeError",
    "Urusan",
    "bps_crosswalk",
    "bps_to_kemendagri",
    "dapodik_crosswalk",
    "dapodik_to_kemendagri",
    "kecamatan_by_code",
    "kecamatan_list",
    "kelurahan_by_code",
    "kelurahan_by_name",
    "kelurahan_list",
    "kemendagri_to_bps",
    "kemendagri_to_dapodik",
    "kota",
    "opd_by_code",
    "opd_for_subgraph",
    "opd_list",
    "parse_kode_skpd",
    "project_opds",
    "urusan_by_code",
    "urusan_list",
]
