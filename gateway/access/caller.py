"""Who is calling: the identity a request was authenticated with, or anonymity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, auto

__all__ = ["ANONYMOUS", "Caller", "Credential", "Grant"]


class Credential(Enum):
    """How the caller proved who it is."""

    NONE = auto()
    JWT = auto()
    API_KEY = auto()


@dataclass(frozen=True, slots=True)
class Grant:
    """One policy a client application holds, and on what terms (the grants file)."""

    policy: str
    purposes: tuple[str, ...] = ()
    """The purposes the policy may be used for; empty: any stated purpose, or none."""
    legal_basis: str = ""
    """The agreement or regulation the grant rests on (a PKS number, a Perwali, ...)."""
    rate_per_minute: int | None = None
    """How many personal-data fields it may reach per minute (``None``: the default)."""
    per_operation: int = 1
    """How many times one operation may select a personal-data field it opens."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The verified identity behind one request.

    ``client`` is the calling application's name, X-Road style
    (``PNK/GOV/<kode SKPD>/<aplikasi>``); ``None`` for an anonymous caller, who holds no
    scopes and no policies. ``officer`` (the NIP of the person acting) and ``purpose`` were
    checked before the caller was made; ``policies`` holds only the grants whose purposes
    admit the stated purpose.
    """

    client: str | None = None
    credential: Credential = Credential.NONE
    scopes: frozenset[str] = frozenset()
    policies: Mapping[str, Grant] = field(default_factory=dict)
    officer: str | None = None
    purpose: str | None = None
    max_cost: int | None = None
    """The most an operation of this client may cost (grants file); ``None``: the default."""

    @property
    def authenticated(self) -> bool:
        return self.client is not None


ANONYMOUS = Caller()
