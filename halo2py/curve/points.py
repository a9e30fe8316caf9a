"""The Python face of BN254 G1: shape checks, conversions, and element-wise group operations.

Point arrays (the contract every layer codes against):

- **affine**: uint64 rows of 8 limbs, x = ``[0:4]``, y = ``[4:8]``, Fq Montgomery form; the
  identity is all zeros, as halo2curves stores it ((0, 0) is not on the curve).
- **Jacobian**: uint64 rows of 12 limbs (X, Y, Z) for the affine point (X/Z², Y/Z³); Z = 0 is the
  point at infinity.

Every operation takes one point (shape ``(8,)``/``(12,)``) or a batch (``(n, 8)``/``(n, 12)``) and
returns the same kind. Scalars are Python ints; group elements that leave for pairings go through
py_ecc's ``optimized_bn128`` (homogeneous projective (X, Y, Z) with affine (X/Z, Y/Z)).
"""

import numpy as np

from halo2py.arith.constants import FR_MODULUS, to_limbs
from halo2py.arith.field import Fq, Fr
from halo2py.curve import vector
from halo2py.errors import InputError

AFFINE = 8
JACOBIAN = 12
_PROGRESSIONS = 64


class PointError(InputError):
    """A point array of the wrong shape or dtype, or coordinates that are not a curve point."""


def _rows(a, width: int, what: str):
    """(2-D view, was_single) for an array of one point (width,) or many (n, width)."""
    if not isinstance(a, np.ndarray) or a.dtype != np.uint64 or a.shape[-1:] != (width,) or a.ndim > 2:
        kind = "affine" if width == AFFINE else "Jacobian"
        got = getattr(a, "shape", type(a).__name__)
        raise PointError(
            f"{what} must be uint64 {kind} points of shape ({width},) or (n, {width}), got {got}")
    if a.ndim == 1:
        return a.reshape(1, width), True
    return a, False


def _back(out, single: bool):
    return out[0] if single else out


def _kind(a) -> int:
    width = getattr(a, "shape", (None,))[-1]
    if width not in (AFFINE, JACOBIAN):
        got = getattr(a, "shape", type(a).__name__)
        raise PointError(f"expected affine (…, 8) or Jacobian (…, 12) points, got {got}")
    return width


class G1Group:
    """BN254 G1: y² = x³ + 3 over Fq, generator (1, 2), prime order r (cofactor 1)."""

    order = FR_MODULUS

    # ---- construction and conversion ----------------------------------------------------------
    def generator(self) -> np.ndarray:
        return self.from_ints(1, 2)

    def identity(self) -> np.ndarray:
        """The point at infinity in Jacobian form (Z = 0)."""
        return np.zeros(JACOBIAN, dtype=np.uint64)

    def random(self, n: int, rng=None) -> np.ndarray:
        """n affine points for benchmarks and tests, cheaply: 64 arithmetic progressions
        a·G + i·b·G with random a, b from ``rng`` (``nbytes -> bytes``, default the OS CSPRNG).

        Their discrete logs are related, so they must never stand in for an SRS or anything
        whose security rests on unknown logs.
        """
        scalars = Fr.to_ints(Fr.random(2 * _PROGRESSIONS, rng))
        g = self.to_jacobian(self.generator())
        ends = np.stack([self.scalar_mul(g, k) for k in scalars])
        out = np.empty((n, JACOBIAN), dtype=np.uint64)
        vector.vec_progressions(ends[:_PROGRESSIONS], ends[_PROGRESSIONS:], out)
        return self.batch_to_affine(out)

    def from_ints(self, x: int, y: int) -> np.ndarray:
        """One affine point from canonical coordinates; (0, 0) is the identity. Checks the curve."""
        return self.from_pairs([(x, y)])[0]

    def from_pairs(self, pairs) -> np.ndarray:
        """Affine points from canonical ``(x, y)`` pairs (``None`` or ``(0, 0)`` = identity)."""
        pairs = [(0, 0) if p is None else p for p in pairs]
        q = Fq.modulus
        for i, (x, y) in enumerate(pairs):
            if not (0 <= x < q and 0 <= y < q):
                raise PointError(f"point {i}: coordinates must be canonical Fq integers in [0, q)")
        out = np.empty((len(pairs), AFFINE), dtype=np.uint64)
        out[:, :4] = Fq.from_ints([x for x, _ in pairs])
        out[:, 4:] = Fq.from_ints([y for _, y in pairs])
        bad = ~self.is_on_curve(out)
        if bad.any():
            raise PointError(f"point {int(np.flatnonzero(bad)[0])} is not on the curve y² = x³ + 3")
        return out

    def to_ints(self, points):
        """Affine (x, y) canonical ints, ``None`` for the identity; a list for a batch."""
        a, single = _rows(points, AFFINE, "points")
        xs = Fq.to_ints(np.ascontiguousarray(a[:, :4]))
        ys = Fq.to_ints(np.ascontiguousarray(a[:, 4:]))
        res = [None if x == 0 and y == 0 else (x, y) for x, y in zip(xs, ys)]
        return res[0] if single else res

    def to_jacobian(self, points) -> np.ndarray:
        a, single = _rows(points, AFFINE, "points")
        out = np.empty((a.shape[0], JACOBIAN), dtype=np.uint64)
        vector.vec_from_affine(a, out)
        return _back(out, single)

    def batch_to_affine(self, points) -> np.ndarray:
        """Jacobian → affine for a batch with one field inversion (Montgomery's trick); a single
        point over Python ints (a verifier's few: no kernel to load for them)."""
        a, single = _rows(points, JACOBIAN, "points")
        if single:
            pair = self.jacobian_to_ints(a[0])
            return np.zeros(AFFINE, dtype=np.uint64) if pair is None else self._from_ints_unchecked(*pair)
        zinv = Fq.batch_inverse(np.ascontiguousarray(a[:, 8:]))
        out = np.empty((a.shape[0], AFFINE), dtype=np.uint64)
        vector.vec_to_affine(a, zinv, out)
        return _back(out, single)

    def to_affine(self, point) -> np.ndarray:
        return self.batch_to_affine(point)

    def jacobian_to_ints(self, point):
        """One Jacobian point (X, Y, Z) as canonical affine ints (X/Z², Y/Z³), None for the identity."""
        x, y, z = Fq.to_ints(np.ascontiguousarray(point).reshape(3, 4))
        if z == 0:
            return None
        q = Fq.modulus
        z_inv = pow(z, -1, q)
        z_inv2 = z_inv * z_inv % q
        return x * z_inv2 % q, y * z_inv2 * z_inv % q

    def _from_ints_unchecked(self, x: int, y: int) -> np.ndarray:
        """The affine row of a point known to be on the curve (the result of group operations)."""
        return Fq.from_ints([x, y]).reshape(AFFINE)

    def small_msm(self, bases, scalars) -> np.ndarray:
        """Σ scalars[i]·bases[i] as one Jacobian point, for affine bases and int scalars (mod r) —
        the verifier's size (``vector.straus``); a prover's MSMs belong to ``msm``."""
        a, _ = _rows(bases, AFFINE, "bases")
        ks = [int(k) % self.order for k in scalars]
        if len(ks) != a.shape[0]:
            raise PointError(f"small_msm: {a.shape[0]} bases but {len(ks)} scalars")
        limbs = np.array([[(k >> (64 * j)) & 0xFFFFFFFFFFFFFFFF for j in range(4)] for k in ks],
                         dtype=np.uint64).reshape(-1, 4)
        out = np.empty((1, JACOBIAN), dtype=np.uint64)
        vector.straus(np.ascontiguousarray(a), limbs, out)
        return out[0]

    # ---- group law ----------------------------------------------------------------------------
    def add(self, p, q) -> np.ndarray:
        """P + Q for Jacobian P and Q (single points or equal-length batches)."""
        a, single = _rows(p, JACOBIAN, "p")
        b, _ = _rows(q, JACOBIAN, "q")
        self._same_len(a, b)
        out = np.empty_like(a)
        vector.vec_add(a, b, out)
        return _back(out, single)

    def add_mixed(self, p, q) -> np.ndarray:
        """P + Q for Jacobian P and affine Q; returns Jacobian."""
        a, single = _rows(p, JACOBIAN, "p")
        b, _ = _rows(q, AFFINE, "q")
        self._same_len(a, b)
        out = np.empty_like(a)
        vector.vec_add_mixed(a, b, out)
        return _back(out, single)

    def double(self, p) -> np.ndarray:
        a, single = _rows(p, JACOBIAN, "p")
        out = np.empty_like(a)
        vector.vec_double(a, out)
        return _back(out, single)

    def neg(self, p) -> np.ndarray:
        """−P for affine or Jacobian points (same layout out as in)."""
        a, single = _rows(p, _kind(p), "p")
        out = np.empty_like(a)
        vector.vec_neg_y(a, out)
        return _back(out, single)

    def scalar_mul(self, point, k: int) -> np.ndarray:
        """k·P as one Jacobian point, for an affine or Jacobian P and any integer k (mod r)."""
        if _kind(point) == AFFINE:
            point = self.to_jacobian(point)
        a, single = _rows(point, JACOBIAN, "point")
        if not single:
            raise PointError("scalar_mul takes one point; use msm for many")
        out = np.empty((1, JACOBIAN), dtype=np.uint64)
        vector.scalar_mul(a, to_limbs(int(k) % self.order), out)
        return out[0]

    # ---- predicates ---------------------------------------------------------------------------
    def is_on_curve(self, points):
        """y² = x³ + 3 per affine point; the identity (0, 0) counts as on the curve."""
        a, single = _rows(points, AFFINE, "points")
        out = np.empty(a.shape[0], dtype=np.bool_)
        vector.vec_on_curve(a, out)
        return bool(out[0]) if single else out

    def is_identity(self, points):
        """Affine: all-zero row; Jacobian: Z = 0."""
        width = _kind(points)
        a, single = _rows(points, width, "points")
        cols = a if width == AFFINE else a[:, 8:]
        out = ~cols.any(axis=1)
        return bool(out[0]) if single else out

    def eq(self, p, q):
        """Group equality of two points or batches, each affine or Jacobian."""
        if _kind(p) == AFFINE:
            p = self.to_jacobian(p)
        if _kind(q) == AFFINE:
            q = self.to_jacobian(q)
        a, single = _rows(p, JACOBIAN, "p")
        b, _ = _rows(q, JACOBIAN, "q")
        self._same_len(a, b)
        out = np.empty(a.shape[0], dtype=np.bool_)
        vector.vec_jac_eq(a, b, out)
        return bool(out[0]) if single else out

    # ---- py_ecc bridge ------------------------------------------------------------------------
    def to_py_ecc(self, point):
        """One affine or Jacobian point as a py_ecc ``optimized_bn128`` point."""
        from halo2py._pyecc import bn

        if _kind(point) == JACOBIAN:
            point = self.to_affine(point)
        xy = self.to_ints(point)
        if xy is None:
            return bn.Z1
        return (bn.FQ(xy[0]), bn.FQ(xy[1]), bn.FQ.one())

    def from_py_ecc(self, pt) -> np.ndarray:
        """A py_ecc ``optimized_bn128`` G1 point as one affine point."""
        from halo2py._pyecc import bn

        if bn.is_inf(pt):
            return np.zeros(AFFINE, dtype=np.uint64)
        x, y = bn.normalize(pt)
        return self.from_ints(int(x), int(y))

    @staticmethod
    def _same_len(a, b):
        if a.shape[0] != b.shape[0]:
            raise PointError(f"point batches differ in length: {a.shape[0]} vs {b.shape[0]}")


G1 = G1Group()
