"""KZG parameters (halo2's ``ParamsKZG``): the SRS in G1 (monomial and Lagrange bases) and G2.

For n = 2^k and a secret τ: ``g[i] = τ^i·G`` and ``g_lagrange[i] = L_i(τ)·G`` for i < n, where
L_i is the Lagrange polynomial of the i-th point of ⟨ω⟩, ω = ω_k the root of unity every
EvaluationDomain of size n uses; ``g2`` is the G2 generator and ``s_g2 = τ·g2``.

File format (halo2 ``SerdeFormat::RawBytes``, what ``ParamsKZG::write`` and ezkl produce):
u32 little-endian k, n G1 ``g``, n G1 ``g_lagrange``, G2 ``g2``, G2 ``s_g2``; every coordinate is
32 bytes of little-endian limbs in Montgomery form; G1 = x ‖ y (64 bytes), G2 = x.c0 ‖ x.c1 ‖
y.c0 ‖ y.c1 (128 bytes); 4 + n·128 + 256 bytes in all. halo2's ``Processed`` format (compressed
points: 32-byte G1, 64-byte G2, 4 + n·64 + 128 bytes) is read too; it is never written.
"""

import io
import os
import struct
from pathlib import Path

import numpy as np
from numba import njit, prange

from halo2py._output import output_file
from halo2py.arith.constants import FR_MODULUS, FR_TWO_ADICITY
from halo2py.arith.field import Fr
from halo2py.arith.ntt import root_of_unity
from halo2py.commitment import fixed_base
from halo2py.commitment.lagrange_basis import lagrange_from_monomial
from halo2py.curve import encoding, g1
from halo2py.curve.points import G1, PointError
from halo2py.errors import InputError
from halo2py.poly import ops

_G1_RAW = 64
_G1_COMPRESSED = 32
_G2_RAW = 128  # g2_encoding.G2_RAW, here so that sizing a file imports no G2 code
_G2_COMPRESSED = 64
MIN_K = 1  # the pairing check needs g[1]
MAX_K = FR_TWO_ADICITY


def raw_size(k: int) -> int:
    return 4 + (1 << k) * 2 * _G1_RAW + 2 * _G2_RAW


def processed_size(k: int) -> int:
    return 4 + (1 << k) * 2 * _G1_COMPRESSED + 2 * _G2_COMPRESSED


class ParamsKZG:
    """The SRS for polynomials of up to n = 2^k coefficients.

    ``g_lagrange`` may be ``None`` after ``downsize``/``read(k=…)``: computing it without τ is an
    inverse FFT over G1 (see ``lagrange_basis``), so it is built only when something needs it
    (``lagrange()``, ``write``); commitments to Lagrange-form vectors can interpolate with the
    field NTT instead.
    """

    def __init__(self, k: int, g: np.ndarray, g_lagrange: np.ndarray | None, g2, s_g2):
        self.k = k
        self.g = g
        self.g_lagrange = g_lagrange
        self._g2, self._s_g2 = g2, s_g2
        self._g2_pending = None  # read(g2=False): (g2 bytes, s_g2 bytes, compressed, what), decoded on first use
        self._check_g2_on_decode = False  # check() ran before the decode: the pairing identity is owed

    @property
    def g2(self):
        self._decode_g2()
        return self._g2

    @property
    def s_g2(self):
        self._decode_g2()
        return self._s_g2

    def _decode_g2(self) -> None:
        if self._g2_pending is not None:
            from halo2py.commitment import g2_encoding

            g2_bytes, s_g2_bytes, compressed, what = self._g2_pending
            g2, s_g2 = g2_encoding.decode(g2_bytes, s_g2_bytes, compressed, self.g[:2], what)
            if self._check_g2_on_decode:
                g2_encoding.check(self.g[:2], g2, s_g2, what)
            self._g2, self._s_g2, self._g2_pending = g2, s_g2, None

    @property
    def n(self) -> int:
        return 1 << self.k

    def __repr__(self) -> str:
        return f"ParamsKZG(k={self.k})"

    # ---- trusted setup (unsafe: whoever runs it knows τ) ------------------------------------------
    @classmethod
    def setup(cls, k: int, rng=None) -> "ParamsKZG":
        """Fresh params from τ = ``Fr.random(1, rng)`` (redrawn in the negligible case τ^n = 1 or
        τ = 0). ``rng``: callable nbytes -> bytes (default: the OS CSPRNG). UNSAFE for production:
        the process that runs this knows τ and could forge proofs.
        """
        check_k(k)
        n = 1 << k
        while True:
            tau = Fr.to_ints(Fr.random(1, rng))[0]
            if tau != 0 and pow(tau, n, FR_MODULUS) != 1:
                break
        params = cls._from_secret(k, tau)
        del tau
        return params

    @classmethod
    def setup_with_secret(cls, k: int, s: int) -> "ParamsKZG":
        """Params for the given secret τ = s, as halo2's ``ParamsKZG::unsafe_setup_with_s``.

        Exists to reproduce halo2's test vectors (made with s = 2) and to debug against Rust:
        a known secret lets anyone forge proofs, so these params are UNSAFE for anything else.
        s must lie in [1, r) and not be an n-th root of unity (then L_i(s) would vanish for all i
        but one and the Lagrange basis would hold the identity, which halo2py's params refuse).
        """
        check_k(k)
        if not isinstance(s, int) or not 0 < s < FR_MODULUS:
            raise InputError(f"the setup secret must be an integer in [1, r), got {s!r}")
        if pow(s, 1 << k, FR_MODULUS) == 1:
            raise InputError(f"the setup secret {s} is a {1 << k}-th root of unity: its Lagrange basis is degenerate")
        return cls._from_secret(k, s)

    @classmethod
    def _from_secret(cls, k: int, tau: int) -> "ParamsKZG":
        """g[i] = τ^i·G and g_lagrange[i] = L_i(τ)·G in one fixed-base batch; s_g2 = τ·g2."""
        n = 1 << k
        scalars = np.empty((2 * n, 4), dtype=np.uint64)
        scalars[:n] = ops.powers(tau, n)
        # L_i(τ) = ω^i·(τ^n − 1) / (n·(τ − ω^i)): one batch inversion for all i.
        omegas = ops.powers(root_of_unity(k), n)
        denominators = Fr.batch_inverse(Fr.sub(ops.constant(tau, n), omegas))
        lagrange = Fr.mul(omegas, denominators, out=denominators)
        Fr.scale(lagrange, (pow(tau, n, FR_MODULUS) - 1) * pow(n, -1, FR_MODULUS), out=scalars[n:])
        del omegas, denominators, lagrange  # 64 bytes per point that the fixed-base batch need not hold
        from halo2py.commitment import g2_encoding

        points = fixed_base.multiples(G1.generator(), scalars)
        return cls(k, points[:n], points[n:], *g2_encoding.generator_and_multiple(tau))  # two halves, no copy

    # ---- Lagrange basis and downsizing ------------------------------------------------------------
    def lagrange(self) -> np.ndarray:
        """``g_lagrange``, computed from ``g`` (inverse FFT over G1) if it was not loaded."""
        if self.g_lagrange is None:
            self.g_lagrange = lagrange_from_monomial(self.g)
        return self.g_lagrange

    def drop_lagrange(self) -> None:
        """Free ``g_lagrange`` (n points: as much as ``g``) when nothing will commit to values
        again — a prover of params loaded for its one proof, once its last Lagrange-basis
        commitment is written. ``lagrange()`` would rebuild it."""
        self.g_lagrange = None

    def downsize(self, k: int) -> "ParamsKZG":
        """Shrink to 2^k points in place (as halo2): ``g`` keeps its prefix; ``g_lagrange`` (a
        different basis for the smaller domain) is dropped and rebuilt only on demand."""
        if not MIN_K <= k <= self.k:
            raise InputError(f"cannot downsize params from k = {self.k} to k = {k}")
        if k < self.k:
            self.g = self.g[: 1 << k].copy()
            self.g_lagrange = None
            self.k = k
        return self

    # ---- consistency ------------------------------------------------------------------------------
    def check(self, what: str = "params") -> None:
        """The checks a reader owes its caller: g[0] is the generator, no identity in G1,
        Σ g_lagrange = g[0] (Σ_i L_i = 1), and the pairing identity e(g[1], g2) = e(g[0], s_g2)
        — the last when G2 is first used, for params read with ``g2=False``.

        The comparisons of single points are made on canonical Python ints (affine coordinates
        are unique), not by the batch kernels: loading those from the cache cost a prove 30 ms
        for three comparisons."""
        g0 = G1.to_ints(self.g[0])
        if g0 != (1, 2):
            raise InputError(f"{what}: g[0] is not the generator (1, 2)")
        for name, pts in (("g", self.g), ("g_lagrange", self.g_lagrange)):
            at_infinity = np.flatnonzero(G1.is_identity(pts)) if pts is not None else []
            if len(at_infinity):
                raise InputError(f"{what}: {name}[{at_infinity[0]}] is the point at infinity")
        if self.g_lagrange is not None and G1.jacobian_to_ints(_sum(self.g_lagrange)) != g0:
            raise InputError(f"{what}: the Lagrange basis does not sum to g[0]")
        if self._g2_pending is None:
            from halo2py.commitment import g2_encoding

            g2_encoding.check(self.g[:2], self._g2, self._s_g2, what)
        else:  # checked when first used
            self._check_g2_on_decode = True

    # ---- files ------------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return b"".join(self._chunks())

    def _chunks(self):
        from halo2py.commitment.g2_encoding import g2_to_raw

        yield struct.pack("<I", self.k)
        yield encoding.raw_view(self.g)  # the points' own bytes: no whole-array copy while writing
        yield encoding.raw_view(self.lagrange())
        yield g2_to_raw(self.g2)
        yield g2_to_raw(self.s_g2)

    def write(self, path) -> None:
        """Write the halo2 RawBytes format (atomically: a temporary file, then a rename)."""
        try:
            with output_file(path) as f:  # Ctrl-C included: never a partial file left behind
                for chunk in self._chunks():
                    f.write(chunk)
        except OSError as exc:
            raise InputError(f"cannot write params file {path}: {exc.strerror or exc}") from None

    @classmethod
    def read(cls, path, k: int | None = None, *, check: bool = True, g2: bool = True) -> "ParamsKZG":
        """Load a halo2 params file (RawBytes or Processed), optionally downsized to ``k``.

        Only the first 2^k points of ``g`` are read when k is below the file's; every problem
        (missing, truncated or corrupted file, a point off its curve, k too large, failed
        consistency checks) is an ``InputError`` naming the file. ``g2=False`` (a prover: it
        never uses G2) keeps the two G2 points as bytes, decoded and checked on first use.
        """
        path = Path(path)
        try:
            with open(path, "rb") as f:
                return cls._read(f, os.fstat(f.fileno()).st_size, str(path), k, check, g2)
        except OSError as exc:
            raise InputError(f"cannot read params file {path}: {exc.strerror or exc}") from None

    @classmethod
    def from_bytes(cls, data: bytes, k: int | None = None, *, check: bool = True, g2: bool = True) -> "ParamsKZG":
        return cls._read(io.BytesIO(data), len(data), "params", k, check, g2)

    @classmethod
    def _read(cls, f, size: int, what: str, k: int | None, check: bool, g2: bool) -> "ParamsKZG":
        header = f.read(4)
        if len(header) < 4:
            raise InputError(f"{what}: not a params file ({size} bytes, shorter than its header)")
        file_k = struct.unpack("<I", header)[0]
        if not MIN_K <= file_k <= MAX_K:
            raise InputError(f"{what}: header says k = {file_k}, outside [{MIN_K}, {MAX_K}] (corrupted file?)")
        if size == raw_size(file_k):
            g1_size, g2_size, compressed = _G1_RAW, _G2_RAW, False
        elif size == processed_size(file_k):
            g1_size, g2_size, compressed = _G1_COMPRESSED, _G2_COMPRESSED, True
        else:
            raise InputError(
                f"{what}: {size} bytes, but params with k = {file_k} take {raw_size(file_k)} bytes "
                f"(or {processed_size(file_k)} compressed): truncated or corrupted file"
            )
        k = file_k if k is None else k
        if not MIN_K <= k <= file_k:
            raise InputError(f"{what} holds params for k ≤ {file_k}; k = {k} was requested")
        big_n, n = 1 << file_k, 1 << k
        decode = encoding.decode_compressed if compressed else encoding.decode_raw
        g = _decode(decode, _read_into(f, n * g1_size), f"{what}: g")
        g_lagrange = None
        if k == file_k:
            g_lagrange = _decode(decode, _read_into(f, n * g1_size), f"{what}: g_lagrange")
        else:
            f.seek(4 + 2 * big_n * g1_size)
        params = cls(k, g, g_lagrange, None, None)
        params._g2_pending = (f.read(g2_size), f.read(g2_size), compressed, what)
        if g2:
            params._decode_g2()
        if check:
            params.check(what)
        return params


def check_k(k: int) -> None:
    """Refuse a k outside what BN254's two-adicity allows (the CLI checks before its UNSAFE notices)."""
    if not isinstance(k, int) or not MIN_K <= k <= MAX_K:
        raise InputError(f"k must be an integer in [{MIN_K}, {MAX_K}], got {k!r}")


def _read_into(f, size: int) -> bytearray:
    """The next size bytes as a writable buffer: the raw decoder keeps it as the points' storage
    instead of copying (the file's size was checked, so a short read cannot happen silently —
    the decoder would refuse the length)."""
    buf = bytearray(size)
    got = f.readinto(buf)
    return buf if got == size else buf[:got]


def _decode(decode, data, what: str) -> np.ndarray:
    try:
        return decode(data)
    except PointError as exc:
        raise InputError(f"{what}: {exc}") from None


def _sum(points: np.ndarray) -> np.ndarray:
    """Σ points (affine) as one Jacobian point: mixed additions over 64 chunks in parallel, then
    the chunk sums — one kernel, where pairwise halving took log n passes of full additions."""
    sums = np.empty((64, 12), dtype=np.uint64)
    _chunk_sums(np.ascontiguousarray(points), sums)
    return sums[0]


@njit(parallel=True, cache=True, nogil=True)
def _chunk_sums(points, sums):
    """sums[c] = Σ of chunk c of points (mixed additions); sums[0] then holds the whole sum."""
    n, chunks = points.shape[0], sums.shape[0]
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        x, y, z = g1.ZERO, g1.ZERO, g1.ZERO
        for i in range(c * step, min(n, (c + 1) * step)):
            px, py = g1.load_aff(points, i)
            x, y, z = g1.add_mixed(x, y, z, px, py)
        g1.store_jac(sums, c, x, y, z)
    x, y, z = g1.load_jac(sums, 0)
    for c in range(1, chunks):
        qx, qy, qz = g1.load_jac(sums, c)
        x, y, z = g1.add(x, y, z, qx, qy, qz)
    g1.store_jac(sums, 0, x, y, z)
