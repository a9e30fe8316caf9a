"""Byte encodings of G1 points, following halo2curves' bn256 ``G1Affine``.

- **compressed** (32 bytes, what halo2 proofs carry): x canonical little-endian; BN254's Fq leaves
  the two top bits of byte 31 free, so bit 7 carries the sign of y (its parity, i.e. the low bit
  of canonical y) and bit 6 flags the identity, whose x bytes are zero and sign bit clear
  (halo2curves ``CompressedFlagConfig::TwoSpare``).
- **uncompressed** (64 bytes): x ‖ y canonical little-endian, the identity as all zeros.
- **raw** (64 bytes): x ‖ y as little-endian Montgomery limbs — halo2's ``SerdeFormat::RawBytes``
  used by ParamsKZG files, read without any conversion.

Decoders are vectorised and reject anything halo2curves rejects (non-canonical coordinates, bad
flags, x with no curve point, points off the curve) with an ``InputError`` naming the point.
"""

import numpy as np

from halo2py.arith import vector as fvec
from halo2py.arith.constants import FQ_MODULUS
from halo2py.arith.field import Fq
from halo2py.curve.points import AFFINE, G1, PointError, _rows

COMPRESSED_SIZE = 32
UNCOMPRESSED_SIZE = 64
_SIGN = np.uint8(0x80)
_IDENTITY = np.uint8(0x40)
_SQRT_EXP = (FQ_MODULUS + 1) // 4  # q ≡ 3 (mod 4): y = (y²)^((q+1)/4)
_B = Fq.from_ints([3])


def _chunks(data, size: int, what: str) -> np.ndarray:
    data = bytes(data)
    if len(data) % size:
        raise PointError(f"{what} encoding must be a multiple of {size} bytes, got {len(data)}")
    return np.frombuffer(data, dtype=np.uint8).reshape(-1, size).copy()


def _canonical_limbs(byte_rows: np.ndarray, what: str) -> np.ndarray:
    """(n, 32) little-endian bytes → (n, 4) limbs, rejecting values ≥ q."""
    limbs = np.ascontiguousarray(byte_rows).view("<u8").astype(np.uint64)
    ok = fvec.vec_less_than(limbs, Fq.m)
    if not ok.all():
        bad = int(np.argmin(ok))
        raise PointError(f"point {bad}: {what} is not a canonical Fq element (≥ q)")
    return limbs


def _coords(points):
    a, _ = _rows(points, AFFINE, "points")
    x = Fq.from_montgomery(np.ascontiguousarray(a[:, :4]))
    y = Fq.from_montgomery(np.ascontiguousarray(a[:, 4:]))
    return x, y, G1.is_identity(a)


def encode_compressed(points) -> bytes:
    """32 bytes per affine point (see the module docstring)."""
    x, y, ident = _coords(points)
    out = x.astype("<u8").view(np.uint8).reshape(-1, 32).copy()
    odd = (y[:, 0] & np.uint64(1)) != 0
    out[:, 31] |= np.where(ident, _IDENTITY, np.where(odd, _SIGN, np.uint8(0)))
    return out.tobytes()


def decode_compressed(data) -> np.ndarray:
    """Affine points (n, 8) from concatenated 32-byte compressed encodings."""
    rows = _chunks(data, COMPRESSED_SIZE, "compressed G1")
    sign = (rows[:, 31] & _SIGN) != 0
    ident = (rows[:, 31] & _IDENTITY) != 0
    rows[:, 31] &= np.uint8(0x3F)
    x = _canonical_limbs(rows, "x")
    x_zero = ~x.any(axis=1)
    bad_ident = ident & (~x_zero | sign)
    if bad_ident.any():
        i = int(np.flatnonzero(bad_ident)[0])
        raise PointError(f"point {i}: identity flag set but x or the sign bit is not zero")
    x_mont = Fq.to_montgomery(x)
    y2 = Fq.add(Fq.mul(Fq.square(x_mont), x_mont), np.repeat(_B, len(x), axis=0))
    y = Fq.pow(y2, _SQRT_EXP)
    no_root = ~Fq.eq(Fq.square(y), y2) & ~ident
    if no_root.any():
        i = int(np.flatnonzero(no_root)[0])
        raise PointError(f"point {i}: no curve point has this x (x³ + 3 is not a square in Fq)")
    flip = ((Fq.from_montgomery(y)[:, 0] & np.uint64(1)) != 0) != sign
    y[flip] = Fq.neg(y[flip])
    out = np.empty((len(x), AFFINE), dtype=np.uint64)
    out[:, :4] = x_mont
    out[:, 4:] = y
    out[ident] = 0
    return out


def encode_uncompressed(points) -> bytes:
    """64 bytes per affine point: x ‖ y canonical little-endian (identity: zeros)."""
    x, y, _ = _coords(points)
    return np.concatenate([x, y], axis=1).astype("<u8").tobytes()


def decode_uncompressed(data) -> np.ndarray:
    rows = _chunks(data, UNCOMPRESSED_SIZE, "uncompressed G1")
    x = _canonical_limbs(rows[:, :32], "x")
    y = _canonical_limbs(rows[:, 32:], "y")
    out = np.empty((len(x), AFFINE), dtype=np.uint64)
    out[:, :4] = Fq.to_montgomery(x)
    out[:, 4:] = Fq.to_montgomery(y)
    return _checked(out)


def encode_raw(points) -> bytes:
    """64 bytes per affine point: the Montgomery limbs as stored (halo2 ``RawBytes``)."""
    a, _ = _rows(points, AFFINE, "points")
    return np.ascontiguousarray(a).astype("<u8").tobytes()


def decode_raw(data, check: bool = True) -> np.ndarray:
    """Affine points from ``RawBytes`` (Montgomery limbs). ``check=False`` skips validation, for
    trusted files only (as halo2's ``RawBytesUnchecked``)."""
    rows = _chunks(data, UNCOMPRESSED_SIZE, "raw G1")
    if not check:
        return rows.view("<u8").astype(np.uint64)
    x = _canonical_limbs(rows[:, :32], "x (Montgomery)")
    y = _canonical_limbs(rows[:, 32:], "y (Montgomery)")
    return _checked(np.concatenate([x, y], axis=1))


def _checked(points: np.ndarray) -> np.ndarray:
    off = ~G1.is_on_curve(points)
    if off.any():
        raise PointError(f"point {int(np.flatnonzero(off)[0])} is not on the curve y² = x³ + 3")
    return points
