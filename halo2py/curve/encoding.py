"""Byte encodings of G1 points, following halo2curves' bn256 ``G1Affine``.

- **compressed** (32 bytes, what halo2 proofs carry): x canonical little-endian; BN254's Fq
  leaves the two top bits of byte 31 free for flags. halo2curves changed their meaning twice, so
  a proof is readable only with the encoding of the halo2curves that wrote it (``PointEncoding``):

  ========  ===================  ============  ===================================
  name      halo2curves          sign of y     identity
  ========  ===================  ============  ===================================
  legacy    ≤ 0.3.2              bit 7         32 zero bytes (no flag)
  v0.4      0.3.3 – 0.6          bit 6         x = 0 with bit 7 set
  v0.7      ≥ 0.7 (the default)  bit 7         x = 0 with bit 6 set
  ========  ===================  ============  ===================================

  The sign is the parity of canonical y. No curve point has x = 0 (3 is not a square in Fq), so
  the legacy all-zero identity is unambiguous. Legacy has no flag in bit 6: a set bit 6 makes x
  ≥ 2^254 > q, non-canonical.
- **uncompressed** (64 bytes): x ‖ y canonical little-endian, the identity as all zeros.
- **raw** (64 bytes): x ‖ y as little-endian Montgomery limbs — halo2's ``SerdeFormat::RawBytes``
  used by ParamsKZG files, read without any conversion.

Decoders are vectorised and strict: they accept exactly the bytes their encoder writes, rejecting
non-canonical coordinates, x with no curve point, points off the curve and any flag combination
the writer never produces (halo2curves 0.3.3–0.6 reads an identity flag beside a non-zero x as the
point with that x; halo2py refuses it, so every point has one encoding) with a ``PointError``
naming the point.
"""

import enum
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from halo2py.arith import limbs
from halo2py.arith import vector as fvec
from halo2py.arith.constants import FQ_MODULUS
from halo2py.arith.field import Fq
from halo2py.curve import g1
from halo2py.curve.points import AFFINE, G1, PointError, _rows

COMPRESSED_SIZE = 32
UNCOMPRESSED_SIZE = 64
_SMALL_BATCH = 64
_SQRT_EXP = (FQ_MODULUS + 1) // 4  # q ≡ 3 (mod 4): y = (y²)^((q+1)/4)
_B = Fq.from_ints([3])


class PointEncoding(enum.Enum):
    """Which halo2curves generation's compressed G1 format (see the module docstring)."""

    LEGACY = "legacy"
    V0_4 = "v0.4"
    V0_7 = "v0.7"


class _Flags(NamedTuple):
    sign: np.uint8  # the bit of byte 31 that carries the parity of y
    identity: np.uint8  # the bit flagging the identity, 0 when it is written as zero bytes


_FLAGS = {
    PointEncoding.LEGACY: _Flags(np.uint8(0x80), np.uint8(0)),
    PointEncoding.V0_4: _Flags(np.uint8(0x40), np.uint8(0x80)),
    PointEncoding.V0_7: _Flags(np.uint8(0x80), np.uint8(0x40)),
}
DEFAULT_ENCODING = PointEncoding.V0_7

# Names by which data and users refer to the encodings; the vectors' ``point_serialization``
# field says "legacy" or "identity_bit7_ysign_bit6".
_ALIASES = {
    "legacy": PointEncoding.LEGACY,
    "v0.4": PointEncoding.V0_4, "identity_bit7_ysign_bit6": PointEncoding.V0_4,
    "v0.7": PointEncoding.V0_7,
}


def encoding_for(name) -> PointEncoding:
    """The encoding called ``name`` (a ``PointEncoding`` passes through); InputError otherwise."""
    if isinstance(name, PointEncoding):
        return name
    try:
        return _ALIASES[str(name).strip().lower()]
    except KeyError:
        known = ", ".join(e.value for e in PointEncoding)
        raise PointError(f"unknown point encoding {name!r} (known: {known})") from None


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


def encode_compressed(points, encoding=DEFAULT_ENCODING) -> bytes:
    """32 bytes per affine point, in ``encoding`` (see the module docstring)."""
    flags = _FLAGS[encoding_for(encoding)]
    x, y, ident = _coords(points)
    out = x.astype("<u8").view(np.uint8).reshape(-1, 32).copy()
    odd = (y[:, 0] & np.uint64(1)) != 0
    out[:, 31] |= np.where(ident, flags.identity, np.where(odd, flags.sign, np.uint8(0)))
    return out.tobytes()


def decode_compressed(data, encoding=DEFAULT_ENCODING) -> np.ndarray:
    """Affine points (n, 8) from concatenated 32-byte compressed encodings in ``encoding``."""
    flags = _FLAGS[encoding_for(encoding)]
    rows = _chunks(data, COMPRESSED_SIZE, "compressed G1")
    sign = (rows[:, 31] & flags.sign) != 0
    flagged = (rows[:, 31] & flags.identity) != 0
    rows[:, 31] &= ~(flags.sign | flags.identity)
    if len(rows) <= _SMALL_BATCH:
        return _decode_few(rows, sign, flagged, flags)
    x = _canonical_limbs(rows, "x")
    x_zero = ~x.any(axis=1)
    if flags.identity:
        bad_ident = flagged & (~x_zero | sign)
        if bad_ident.any():
            i = int(np.flatnonzero(bad_ident)[0])
            raise PointError(f"point {i}: identity flag set but x or the sign bit is not zero")
        ident = flagged
    else:
        ident = x_zero & ~sign
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


def _decode_few(rows: np.ndarray, sign, flagged, flags) -> np.ndarray:
    """``decode_compressed`` for a handful of points (a transcript reads them one at a time):
    the same checks over Python ints, which beat a dozen vector-kernel calls per point."""
    q = FQ_MODULUS
    coords = []
    for i, row in enumerate(rows):
        x = int.from_bytes(row.tobytes(), "little")
        if x >= q:
            raise PointError(f"point {i}: x is not a canonical Fq element (≥ q)")
        if flags.identity:
            if flagged[i]:
                if x or sign[i]:
                    raise PointError(f"point {i}: identity flag set but x or the sign bit is not zero")
                coords.append(None)
                continue
        elif x == 0 and not sign[i]:
            coords.append(None)
            continue
        y2 = (x * x * x + 3) % q
        y = pow(y2, _SQRT_EXP, q)
        if y * y % q != y2:
            raise PointError(f"point {i}: no curve point has this x (x³ + 3 is not a square in Fq)")
        if (y & 1) != bool(sign[i]):
            y = (q - y) % q
        coords.append((x, y))
    points = [c for c in coords if c is not None]
    out = np.zeros((len(rows), AFFINE), dtype=np.uint64)
    if points:
        limbs = Fq.from_ints([v for x, y in points for v in (x, y)]).reshape(-1, AFFINE)
        out[[i for i, c in enumerate(coords) if c is not None]] = limbs
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
    return bytes(raw_view(points))


def raw_view(points) -> memoryview:
    """``encode_raw``'s bytes as a view of the points themselves where they are already
    contiguous little-endian words (a copy only elsewhere): a params file's two bases are
    written without holding a second copy of each."""
    a, _ = _rows(points, AFFINE, "points")
    return memoryview(np.ascontiguousarray(a).astype("<u8", copy=False)).cast("B")


def decode_raw(data, check: bool = True) -> np.ndarray:
    """Affine points from ``RawBytes`` (Montgomery limbs). ``check=False`` skips validation, for
    trusted files only (as halo2's ``RawBytesUnchecked``).

    The points are the bytes themselves, so one copy (none for a writable buffer, as a params
    reader passes) and one parallel pass that checks each coordinate below q and each point on
    the curve; the first failure is reported as the step-by-step checks would (any x, then any
    y, then the curve)."""
    if len(data) % UNCOMPRESSED_SIZE:
        raise PointError(f"raw G1 encoding must be a multiple of {UNCOMPRESSED_SIZE} bytes, got {len(data)}")
    points = np.frombuffer(data, dtype="<u8").astype(np.uint64, copy=False).reshape(-1, AFFINE)
    if not points.flags.writeable:
        points = points.copy()
    if not check:
        return points
    failures = np.empty(points.shape[0], dtype=np.uint8)
    _raw_failures(points, Fq.m, failures)
    for code, what in ((1, "x (Montgomery) is not a canonical Fq element (≥ q)"),
                       (2, "y (Montgomery) is not a canonical Fq element (≥ q)"),
                       (3, "is not on the curve y² = x³ + 3")):
        bad = np.flatnonzero(failures == code)
        if len(bad):
            sep = ": " if code < 3 else " "
            raise PointError(f"point {int(bad[0])}{sep}{what}")
    return points


@njit(parallel=True, cache=True, nogil=True)
def _raw_failures(points, q, out):
    """out[i] = 1 if x ≥ q, else 2 if y ≥ q, else 3 if off the curve, else 0."""
    for i in prange(points.shape[0]):
        x, y = g1.load_aff(points, i)
        if limbs._sub_raw(x, q)[1] == 0:
            out[i] = 1
        elif limbs._sub_raw(y, q)[1] == 0:
            out[i] = 2
        elif not g1.on_curve(x, y):
            out[i] = 3
        else:
            out[i] = 0


def _checked(points: np.ndarray) -> np.ndarray:
    off = ~G1.is_on_curve(points)
    if off.any():
        raise PointError(f"point {int(np.flatnonzero(off)[0])} is not on the curve y² = x³ + 3")
    return points
