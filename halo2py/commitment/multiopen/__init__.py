"""Multi-opening arguments: prove many (polynomial, point) evaluations with a few G1 points.

``create_proof`` / ``verify_proof`` dispatch on the scheme name, "gwc" or "shplonk"; both follow
halo2's transcript flow exactly, so the bytes they write have the structure halo2's have.
A verifier's ``TranscriptError`` (proof bytes that do not decode) propagates: it is an invalid
proof, like a ``False`` from the pairing check.
"""

from halo2py.commitment.multiopen import gwc, shplonk
from halo2py.commitment.multiopen.query import ProverQuery, VerifierQuery
from halo2py.errors import InputError

SCHEMES = {"gwc": gwc, "shplonk": shplonk}

__all__ = ["ProverQuery", "VerifierQuery", "SCHEMES", "create_proof", "verify_proof"]


def _scheme(name: str):
    try:
        return SCHEMES[name]
    except KeyError:
        raise InputError(f"unknown multiopen scheme {name!r}; choose one of {', '.join(SCHEMES)}") from None


def create_proof(params, transcript, queries, scheme: str = "shplonk") -> None:
    """Append the opening proof of ``queries`` (ProverQuery) to the transcript."""
    _scheme(scheme).create_proof(params, transcript, list(queries))


def verify_proof(params, transcript, queries, scheme: str = "shplonk") -> bool:
    """Read an opening proof for ``queries`` (VerifierQuery) and check it with one pairing."""
    return _scheme(scheme).verify_proof(params, transcript, list(queries))
