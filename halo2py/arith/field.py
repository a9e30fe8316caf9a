"""Python-facing prime fields: vectors are (n, 4) uint64 arrays, little-endian limbs, Montgomery form.

``Fr`` (BN254 scalar field) and ``Fq`` (BN254 base field) are instances of ``PrimeField``. Single
elements in protocol code are plain Python ints in canonical form (``Fr.modulus`` arithmetic);
``to_mont``/``from_mont`` cross between the two worlds.
"""

import os

import numpy as np

from halo2py.arith import ifma, vector
from halo2py.arith.constants import FQ, FR, MontgomeryConstants, from_limbs, to_limbs
from halo2py.errors import InputError

_MASK64 = (1 << 64) - 1
_FEW = 64  # vectors up to this long convert to ints over Python ints (no kernel dispatch)


class FieldError(InputError):
    """Input that is not a valid field element or vector (non-canonical bytes, wrong shape)."""


class PrimeField:
    """Vector operations of one prime field; every method accepts an optional ``out``."""

    def __init__(self, name: str, consts: MontgomeryConstants):
        self.name = name
        self.c = consts
        self.modulus = consts.p
        self.m = consts.m_limbs
        self.minv = consts.minv_u64
        self.one_limbs = consts.one_limbs
        self._pm2 = to_limbs(consts.p - 2)

    # ---- shape checks -------------------------------------------------------------------------
    def check(self, a, what: str = "vector") -> np.ndarray:
        if not isinstance(a, np.ndarray) or a.dtype != np.uint64 or a.ndim != 2 or a.shape[1] != 4:
            got = getattr(a, "shape", type(a).__name__)
            raise FieldError(f"{self.name} {what} must be a uint64 array of shape (n, 4), got {got}")
        return a

    def _out(self, a, out):
        self.check(a)
        if out is None:
            return np.empty_like(a)
        self.check(out, "output")
        if out.shape != a.shape:
            raise FieldError(f"{self.name} output shape {out.shape} != input shape {a.shape}")
        return out

    @staticmethod
    def _ifma(*arrays) -> bool:
        """The IFMA kernels for these operands? (CPU and switch, C-contiguous rows, ≥ 8 rows.)"""
        return arrays[0].shape[0] >= ifma.LANES and ifma.enabled() and all(x.flags.c_contiguous for x in arrays)

    def _mul(self, a, b, out):
        if self._ifma(a, b, out):
            vector.vec_mul_ifma(a, b, out, self.m, self.minv)
        else:
            vector.vec_mul(a, b, out, self.m, self.minv)

    def _scale(self, a, s, out):
        if self._ifma(a, out):
            vector.vec_scale_ifma(a, s, out, self.m, self.minv)
        else:
            vector.vec_scale(a, s, out, self.m, self.minv)

    def _pair(self, a, b):
        self.check(a)
        self.check(b)
        if a.shape != b.shape:
            raise FieldError(f"{self.name} operands differ in shape: {a.shape} vs {b.shape}")

    # ---- construction -------------------------------------------------------------------------
    def zeros(self, n: int) -> np.ndarray:
        return np.zeros((n, 4), dtype=np.uint64)

    def ones(self, n: int) -> np.ndarray:
        out = np.empty((n, 4), dtype=np.uint64)
        out[:] = np.array(self.one_limbs, dtype=np.uint64)
        return out

    def to_mont(self, x: int) -> tuple:
        """A canonical int as the Montgomery 4-tuple the kernels take."""
        return to_limbs((x % self.modulus) * self.c.r % self.modulus)

    def from_mont(self, limbs) -> int:
        return from_limbs(limbs) * self.c.r_inv % self.modulus

    def from_ints(self, values) -> np.ndarray:
        p = self.modulus
        canon = [int(v) % p for v in values]
        if len(canon) > _FEW:  # one pass of Python ints to bytes, the R factor by the kernel
            data = b"".join(v.to_bytes(32, "little") for v in canon)
            return self.to_montgomery(np.frombuffer(data, dtype="<u8").reshape(-1, 4).astype(np.uint64))
        vals = [v * self.c.r % p for v in canon]
        out = np.empty((len(vals), 4), dtype=np.uint64)
        for j in range(4):
            out[:, j] = [(v >> (64 * j)) & _MASK64 for v in vals]
        return out

    def to_ints(self, a) -> list:
        self.check(a)
        if len(a) <= _FEW:  # a verifier's handful: Python ints beat a parallel kernel's dispatch
            p, r_inv = self.modulus, self.c.r_inv
            return [from_limbs(row) * r_inv % p for row in a.tolist()]
        canon = self.from_montgomery(a)
        cols = [canon[:, j].tolist() for j in range(4)]
        return [c0 | (c1 << 64) | (c2 << 128) | (c3 << 192) for c0, c1, c2, c3 in zip(*cols)]

    def to_montgomery(self, canonical: np.ndarray, out=None) -> np.ndarray:
        """Canonical limbs → Montgomery form (multiply by R^2, then one Montgomery reduction)."""
        out = self._out(canonical, out)
        self._scale(canonical, self.c.r2_limbs, out)
        return out

    def from_montgomery(self, a: np.ndarray, out=None) -> np.ndarray:
        out = self._out(a, out)
        self._scale(a, to_limbs(1), out)
        return out

    def from_bytes(self, data: bytes) -> np.ndarray:
        """Concatenated 32-byte little-endian canonical encodings → vector; rejects values ≥ p."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise FieldError(f"{self.name} encoding must be bytes, got {type(data).__name__}")
        if len(data) % 32:
            raise FieldError(f"{self.name} encoding must be a multiple of 32 bytes, got {len(data)}")
        canon = np.frombuffer(data, dtype="<u8").reshape(-1, 4).astype(np.uint64)
        ok = vector.vec_less_than(canon, self.m)
        if not ok.all():
            bad = int(np.argmin(ok))
            raise FieldError(f"non-canonical {self.name} element at index {bad} (value ≥ modulus)")
        return self.to_montgomery(canon)

    def to_bytes(self, a: np.ndarray) -> bytes:
        return self.from_montgomery(a).astype("<u8").tobytes()

    def random(self, n: int, rng=None) -> np.ndarray:
        """Uniform elements by rejection sampling from ``rng`` (default: the OS CSPRNG).

        ``rng`` is a callable ``nbytes -> bytes``; tests and ``--seed`` runs pass a deterministic
        one. A uniformly random canonical value is also a uniformly random Montgomery value.
        """
        if n < 0:
            raise FieldError(f"cannot draw a negative number ({n}) of {self.name} elements")
        draw = rng or os.urandom
        out = np.empty((n, 4), dtype=np.uint64)
        top_mask = np.uint64((1 << (self.modulus.bit_length() - 192)) - 1)
        filled = 0
        while filled < n:
            want = n - filled
            cand = np.frombuffer(draw(32 * want), dtype="<u8").reshape(want, 4).astype(np.uint64)
            cand[:, 3] &= top_mask
            good = cand[vector.vec_less_than(cand, self.m)]
            out[filled:filled + len(good)] = good
            filled += len(good)
        return out

    # ---- arithmetic ---------------------------------------------------------------------------
    def add(self, a, b, out=None):
        self._pair(a, b)
        out = self._out(a, out)
        vector.vec_add(a, b, out, self.m)
        return out

    def sub(self, a, b, out=None):
        self._pair(a, b)
        out = self._out(a, out)
        vector.vec_sub(a, b, out, self.m)
        return out

    def neg(self, a, out=None):
        out = self._out(a, out)
        vector.vec_neg(a, out, self.m)
        return out

    def mul(self, a, b, out=None):
        self._pair(a, b)
        out = self._out(a, out)
        self._mul(a, b, out)
        return out

    def scale(self, a, s: int, out=None):
        """Multiply every element by the canonical int ``s``."""
        out = self._out(a, out)
        self._scale(a, self.to_mont(s), out)
        return out

    def square(self, a, out=None):
        out = self._out(a, out)
        if self._ifma(a, out):
            vector.vec_mul_ifma(a, a, out, self.m, self.minv)
        else:
            vector.vec_square(a, out, self.m, self.minv)
        return out

    def pow(self, a, exponent: int, out=None):
        if exponent < 0:
            return self.pow(self.batch_inverse(a), -exponent, out)
        if exponent >= 1 << 256:
            exponent %= self.modulus - 1  # Fermat; only x = 0 with a multiple of p-1 differs
            exponent = exponent or self.modulus - 1
        out = self._out(a, out)
        vector.vec_pow(a, to_limbs(exponent), out, self.one_limbs, self.m, self.minv)
        return out

    def batch_inverse(self, a, out=None, chunks: int | None = None):
        """Element-wise inverse by Montgomery's trick; zeros map to zero (as in halo2)."""
        out = self._out(a, out)
        if out is a or np.shares_memory(out, a):
            out = np.empty_like(a)
            tmp = True
        else:
            tmp = False
        n = a.shape[0]
        chunks = chunks or max(1, min(64, n // 1024))
        vector.batch_invert(a, out, chunks, self.one_limbs, self._pm2, self.m, self.minv)
        if tmp:
            a[:] = out
            return a
        return out

    def inverse(self, x: int) -> int:
        """Scalar inverse of a canonical int; raises on zero."""
        if x % self.modulus == 0:
            raise ZeroDivisionError(f"inverse of zero in {self.name}")
        return pow(x, -1, self.modulus)

    def eq(self, a, b) -> np.ndarray:
        self._pair(a, b)
        out = np.empty(a.shape[0], dtype=np.bool_)
        vector.vec_eq(a, b, out)
        return out


Fr = PrimeField("Fr", FR)
Fq = PrimeField("Fq", FQ)
