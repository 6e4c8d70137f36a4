"""Secrets from the environment, never from the code.

A credential for a legacy system, a key for a log's HMAC: each comes from an environment
variable ``NAME``, or from the file that ``NAME_FILE`` names (how container platforms mount
secrets). There is no fallback value: a missing secret is :class:`SecretNotConfigured`,
whose message names the variable, so a deployment that forgot one stops at start instead
of running with a value everybody can read in the repository. ``make up`` generates the
development secrets once into ``.cache/secrets/`` and passes them on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["MIN_LENGTH", "SecretNotConfigured", "secret_from_environment"]

MIN_LENGTH = 16


class SecretNotConfigured(Exception):
    """A secret the service needs is not set; the message names the variable."""


def secret_from_environment(name: str, what: str, environ: Mapping[str, str] | None = None) -> str:
    """The secret ``name`` (or the content of the file ``name``_FILE names).

    ``what`` says what the secret is for, in the error. A secret shorter than 16
    characters is refused: it could be guessed.
    """
    env = os.environ if environ is None else environ
    value = env.get(name, "")
    path = env.get(f"{name}_FILE", "")
    if not value and path:
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().strip()
        except OSError as error:
            raise SecretNotConfigured(
                f"{name}_FILE names {path}, which cannot be read ({error.strerror}): "
                f"it should hold {what}"
            ) from None
    if not value:
        raise SecretNotConfigured(
            f"{name} is not set: it must hold {what} (or set {name}_FILE to a file holding "
            "it); `make up` generates development values in .cache/secrets/"
        )
    if len(value) < MIN_LENGTH:
        raise SecretNotConfigured(
            f"{name} is shorter than {MIN_LENGTH} characters: too easy to guess"
        )
    return value
