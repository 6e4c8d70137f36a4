"""Secrets from the environment, never from the code: the gateway's own rule
(:mod:`gateway.secrets`), offered to OPD teams with the rest of the toolkit."""

from gateway.secrets import MIN_LENGTH, SecretNotConfigured, secret_from_environment

__all__ = ["MIN_LENGTH", "SecretNotConfigured", "secret_from_environment"]
