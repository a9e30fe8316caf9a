"""The transcript a dialect speaks: its point encoding, how it absorbs the identity, and whether
it commits instance columns (Scroll's QUERY_INSTANCE, for GWC) — one place for prover and verifier."""

from __future__ import annotations

from halo2py.plonk.dialect import Dialect
from halo2py.transcript import SCROLL_IDENTITY, Blake2bRead, Blake2bWrite


def _identity(dialect: Dialect):
    return SCROLL_IDENTITY if dialect.identity_as_0_5 else None


def transcript_writer(dialect: Dialect) -> Blake2bWrite:
    return Blake2bWrite(dialect.point_encoding, _identity(dialect))


def transcript_reader(dialect: Dialect, proof: bytes) -> Blake2bRead:
    return Blake2bRead(proof, dialect.point_encoding, _identity(dialect))


def commits_instances(dialect: Dialect, multiopen: str) -> bool:
    """Scroll's GWC commits each instance column and opens it; SHPLONK and PSE absorb values."""
    return dialect.gwc_instance_commitments and multiopen == "gwc"
