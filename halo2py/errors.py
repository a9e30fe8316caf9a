"""Exceptions that mean "bad input", which the CLI turns into one line and an exit code.

A leaf module: every layer may raise these without importing anything else of halo2py's.
Anything that is *not* a ``Halo2pyError`` is a bug and keeps its traceback.
"""


class Halo2pyError(Exception):
    """Base of user-facing errors; ``exit_code`` is what the CLI exits with."""

    exit_code = 2


class InputError(Halo2pyError, ValueError):
    """Malformed or out-of-range input: bytes, files, flags, shapes."""


class ResourceError(Halo2pyError):
    """The machine, not the input, ran short (a full spill disk): reported as itself wherever it
    is raised — inside a circuit's synthesis too, which otherwise names the circuit as the culprit."""
