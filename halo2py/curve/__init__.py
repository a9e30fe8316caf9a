"""BN254 G1: point arithmetic (Numba), byte encodings, and multi-scalar multiplication.

Affine points are (n, 8) uint64 rows (x ‖ y, Fq Montgomery limbs, identity = zeros); Jacobian
points are (n, 12) rows (X ‖ Y ‖ Z, Z = 0 at infinity). See ``points`` for the full contract.
"""

from halo2py.curve.encoding import (
    PointEncoding,
    decode_compressed,
    decode_raw,
    decode_uncompressed,
    encode_compressed,
    encode_raw,
    encode_uncompressed,
    encoding_for,
    raw_view,
)
from halo2py.curve.msm import msm, msm_affine
from halo2py.curve.points import G1, PointError

__all__ = [
    "G1",
    "PointError",
    "msm",
    "msm_affine",
    "encode_compressed",
    "decode_compressed",
    "encode_uncompressed",
    "decode_uncompressed",
    "encode_raw",
    "decode_raw",
    "raw_view",
    "PointEncoding",
    "encoding_for",
]
