"""Reference data every OPD simulator seeds from, so that all six agree on the shared codes.

- :mod:`.wilayah`: Kota Pontianak's 6 kecamatan and 29 kelurahan with their Kemendagri
  codes (the graph's join key), synthetic area, population and coordinates, and crosswalks
  to BPS and Dapodik codes.
- :mod:`.opd`: the perangkat daerah as SIPD knows them (kode SKPD, urusan), marking the six
  OPDs this project wraps.
- :mod:`.kbli`: KBLI 2020 sectors common among small businesses.
- :mod:`.seeding`: a ``random.Random`` per stable string seed (``"dikbud:sekolah"``).
- :mod:`.clock`: the simulators' today, the real date unless ``SIMPUL_TODAY`` pins one;
  each simulator dates its data from it.
- :mod:`.names`: synthetic names for schools, health facilities, businesses, people, addresses.
- :mod:`.identifiers`: NPSN, NIB, NIK, NIP, permit numbers, LAPOR! ids, facility codes in
  their real formats. A NIK never leaves the simulators.

Which values are real and which are samples is written at the top of each file in
``data/``. Everything here is read-only and loaded once, on first use.
"""

from . import clock
from .errors import ReferenceDataError, UnknownCodeError
from .identifiers import (
    FASYANKES_RE,
    LAPOR_ID_RE,
    NIB_RE,
    NIK_RE,
    NIP_RE,
    NOMOR_IZIN_RE,
    NPSN_RE,
    JenisFasyankes,
    NikParts,
    fasyankes_code,
    lapor_tracking_id,
    nib,
    nik,
    nip,
    nomor_izin,
    npsn,
    parse_nik,
)
from .kbli import KBLI_RE, BentukUsaha, Kbli, kbli_by_code, kbli_list
from .names import (
    RSUD_KOTA,
    BentukSekolah,
    NamaUsaha,
    business_name,
    clinic_name,
    hospital_name,
    person_name,
    puskesmas_name,
    school_name,
    street_address,
)
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
from .seeding import distinct, seed_from, seeded_rng
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
    "FASYANKES_RE",
    "KBLI_RE",
    "KECAMATAN_KODE_RE",
    "KELURAHAN_KODE_RE",
    "KODE_SKPD_RE",
    "LAPOR_ID_RE",
    "NIB_RE",
    "NIK_RE",
    "NIP_RE",
    "NOMOR_IZIN_RE",
    "NPSN_RE",
    "PROJECT_SUBGRAPHS",
    "RSUD_KOTA",
    "BentukSekolah",
    "BentukUsaha",
    "CrosswalkRow",
    "JenisFasyankes",
    "JenisOpd",
    "Kbli",
    "Kecamatan",
    "Kelurahan",
    "KodeSkpd",
    "Kota",
    "NamaUsaha",
    "NikParts",
    "Opd",
    "ReferenceDataError",
    "Tingkat",
    "UnknownCodeError",
    "Urusan",
    "bps_crosswalk",
    "bps_to_kemendagri",
    "business_name",
    "clinic_name",
    "clock",
    "dapodik_crosswalk",
    "dapodik_to_kemendagri",
    "distinct",
    "fasyankes_code",
    "hospital_name",
    "kbli_by_code",
    "kbli_list",
    "kecamatan_by_code",
    "kecamatan_list",
    "kelurahan_by_code",
    "kelurahan_by_name",
    "kelurahan_list",
    "kemendagri_to_bps",
    "kemendagri_to_dapodik",
    "kota",
    "lapor_tracking_id",
    "nib",
    "nik",
    "nip",
    "nomor_izin",
    "npsn",
    "opd_by_code",
    "opd_for_subgraph",
    "opd_list",
    "parse_kode_skpd",
    "parse_nik",
    "person_name",
    "project_opds",
    "puskesmas_name",
    "school_name",
    "seed_from",
    "seeded_rng",
    "street_address",
    "urusan_by_code",
    "urusan_list",
]
