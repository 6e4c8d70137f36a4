"""Identity verification: given a NIK, a name and a birth date, SESUAI or TIDAK_SESUAI.

The answer is the only thing that leaves: never whether the NIK exists, never any of the
person's attributes. An unknown NIK, a deceased resident, another name or another birth
date are all just TIDAK_SESUAI. Each check is processing of personal data (UU 27/2022),
so each is recorded in the city's access log, the NIK as a keyed hash, never as itself.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "MAX_KEPERLUAN",
    "NIK_FORMAT_RE",
    "Permintaan",
    "nama_sama",
    "permintaan",
]

NIK_FORMAT_RE = re.compile(r"^\d{16}\Z", re.ASCII)
TANGGAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
MAX_KEPERLUAN = 200
MAX_NAMA = 100


class InvalidInput(ValueError):
    """A verification request that cannot be checked: ``message`` (English) and ``pesan``
    (Indonesian, for the person who typed it) say what is wrong and repeat no value."""

    def __init__(self, message: str, *, pesan: str) -> None:
        super().__init__(message)
        self.message = message
        self.pesan = pesan


@dataclass(frozen=True, slots=True)
class Permintaan:
    """A well-formed verification request."""

    nik: str
    nama: str
    tanggal_lahir: date
    keperluan: str


def permintaan(nik: str, nama: str, tanggal_lahir: str, keperluan: str) -> Permintaan:
    """The request, checked; :class:`InvalidInput` names what is wrong, never the value."""
    nik = nik.strip()
    if not NIK_FORMAT_RE.match(nik):
        raise InvalidInput("The NIK must be 16 digits.", pesan="NIK harus 16 digit angka.")
    if not nama.strip() or len(nama) > MAX_NAMA:
        raise InvalidInput(
            f"The name is required, at most {MAX_NAMA} characters.",
            pesan=f"Nama harus diisi, paling panjang {MAX_NAMA} karakter.",
        )
    try:
        if not TANGGAL_RE.match(tanggal_lahir):
            raise ValueError
        born = date.fromisoformat(tanggal_lahir)
    except ValueError:
        raise InvalidInput(
            "The birth date must be a date of the form YYYY-MM-DD.",
            pesan="Tanggal lahir harus berbentuk YYYY-MM-DD.",
        ) from None
    purpose = " ".join(keperluan.split())
    if not purpose or len(purpose) > MAX_KEPERLUAN:
        # UU 27/2022: processing needs a stated purpose
        raise InvalidInput(
            f"The purpose is required, at most {MAX_KEPERLUAN} characters.",
            pesan=f"Keperluan harus diisi, paling panjang {MAX_KEPERLUAN} karakter.",
        )
    return Permintaan(nik, nama, born, purpose)


def _normal(nama: str) -> str:
    return " ".join(nama.split()).casefold()


def nama_sama(diberikan: str, terdaftar: str) -> bool:
    """Whether two names are the same, ignoring case and spacing."""
    return hmac.compare_digest(_normal(diberikan).encode(), _normal(terdaftar).encode())
