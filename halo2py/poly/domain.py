"""halo2's ``EvaluationDomain``: the n-point domain ⟨ω⟩ and the extended coset ζ·⟨ω_ext⟩.

Polynomials of a circuit with n = 2^k rows live in three bases: Lagrange (values on ⟨ω⟩),
coefficients, and extended Lagrange (values on the coset ζ·⟨ω_ext⟩ of size e·n, large enough to
hold the quotient's numerator of degree about d·n). The coset keeps every extended point off ⟨ω⟩,
so X^n − 1 never vanishes there and the division by it is a multiplication.

The extended coset splits into e *parts*: part i is the coset s_i·⟨ω⟩ with s_i = ζ·ω_ext^i, and
part_i[r] = f(ζ·ω_ext^(i + e·r)) is entry r·e + i of the extended vector. A part needs only one
size-n NTT and n rows of memory — the basis of the chunked quotient strategy — and X^n − 1 is the
single constant s_i^n − 1 on it.

Vectors are (n, 4) / (e·n, 4) uint64 Montgomery arrays; scalars are canonical Python ints.
"""

import numpy as np

from halo2py.arith import ntt
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.poly.ops import add_scaled

# halo2curves' bn256 Fr ZETA (``WithSmallOrderMulGroup<3>``), the coset shift halo2 uses:
# a primitive cube root of unity, equal to (7^((r−1)/3))^2 for the generator 7.
ZETA = 0x30644E72E131A029048B6E193FD84104CC37A73FEC2BC5E9B8CA0B2D36636F23


class EvaluationDomain:
    """Constants and basis changes for n = 2^k rows and constraint-system degree d.

    Follows halo2's ``EvaluationDomain::new(j = d, k)``: the quotient has d − 1 pieces of n
    coefficients, and the extended domain is the smallest power of two 2^extended_k ≥ n·(d − 1);
    e = 2^(extended_k − k) is the number of parts.
    """

    def __init__(self, k: int, d: int):
        if not isinstance(k, (int, np.integer)) or not isinstance(d, (int, np.integer)):
            raise InputError(f"domain k and degree must be integers, got k={k!r}, d={d!r}")
        k, d = int(k), int(d)
        if d < 2:
            raise InputError(f"constraint-system degree must be at least 2, got {d}")
        if not 0 <= k <= ntt.MAX_K:
            raise InputError(f"k must be in 0..{ntt.MAX_K}, got {k}")
        r = FR_MODULUS
        self.k = k
        self.n = 1 << k
        self.d = d
        self.quotient_poly_degree = d - 1
        extended_k = k
        while (1 << extended_k) < self.n * self.quotient_poly_degree:
            extended_k += 1
        if extended_k > ntt.MAX_K:
            raise InputError(f"extended domain 2^{extended_k} (k={k}, degree {d}) exceeds Fr's 2^{ntt.MAX_K}")
        self.extended_k = extended_k
        self.extended_n = 1 << extended_k
        self.e = 1 << (extended_k - k)
        self.extended_omega = ntt.root_of_unity(extended_k)
        self.extended_omega_inv = pow(self.extended_omega, -1, r)
        self.omega = ntt.root_of_unity(k)
        self.omega_inv = pow(self.omega, -1, r)
        self.zeta = ZETA
        self.zeta_inv = ZETA * ZETA % r
        self.n_inv = pow(self.n, -1, r)
        self.extended_n_inv = pow(self.extended_n, -1, r)
        self.part_shifts = [ZETA * pow(self.extended_omega, i, r) % r for i in range(self.e)]

    def __repr__(self) -> str:
        return f"EvaluationDomain(k={self.k}, d={self.d}, extended_k={self.extended_k}, e={self.e})"

    # ---- shape checks -----------------------------------------------------------------------------
    def _vector(self, a, rows: int, what: str) -> np.ndarray:
        Fr.check(a, what)
        if a.shape[0] != rows:
            raise InputError(f"{what} must have {rows} rows for this domain, got {a.shape[0]}")
        return a

    def _target(self, a, out, rows: int) -> np.ndarray:
        """Where a transform writes: a fresh copy of ``a``, or ``out`` holding a copy (may be ``a``)."""
        if out is None:
            return a.copy()
        self._vector(out, rows, "output")
        if out is not a:
            out[:] = a
        return out

    # ---- basis changes on ⟨ω⟩ ---------------------------------------------------------------------
    def lagrange_to_coeff(self, values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Values on ⟨ω⟩ → the n coefficients interpolating them (``out=values`` works in place)."""
        self._vector(values, self.n, "Lagrange values")
        return ntt.intt(self._target(values, out, self.n))

    def coeff_to_lagrange(self, coeffs: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """n coefficients → values on ⟨ω⟩."""
        self._vector(coeffs, self.n, "coefficients")
        return ntt.ntt(self._target(coeffs, out, self.n))

    # ---- the extended coset ζ·⟨ω_ext⟩ -------------------------------------------------------------
    def coeff_to_extended(self, coeffs: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """n coefficients → the e·n values f(ζ·ω_ext^j), j = 0 .. e·n − 1."""
        self._vector(coeffs, self.n, "coefficients")
        if out is None:
            out = Fr.zeros(self.extended_n)
        else:
            self._vector(out, self.extended_n, "extended output")
            out[self.n:] = 0
        ntt.distribute_powers(coeffs, self.zeta, out=out[:self.n])
        return ntt.ntt(out)

    def extended_to_coeff(self, ext: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """e·n values on the extended coset → e·n coefficients; the caller truncates to its degree."""
        self._vector(ext, self.extended_n, "extended values")
        return ntt.coset_intt(self._target(ext, out, self.extended_n), self.zeta)

    def coeff_to_part(self, coeffs: np.ndarray, i: int, out: np.ndarray | None = None,
                      powers: np.ndarray | None = None) -> np.ndarray:
        """n coefficients → part i: f(s_i·ω^r) for r < n, i.e. extended entries r·e + i.
        ``powers`` (``part_powers(i)``) saves recomputing s_i^j for every polynomial."""
        self._vector(coeffs, self.n, "coefficients")
        shift = self.part_shifts[self._part_index(i)]
        if out is None:
            out = np.empty_like(coeffs)
        else:
            self._vector(out, self.n, "part output")
        if powers is not None:
            return ntt.coset_ntt_with_powers(coeffs, powers, out)
        ntt.distribute_powers(coeffs, shift, out=out)
        return ntt.ntt(out)

    def part_powers(self, i: int) -> np.ndarray:
        """s_i^j for j < n: the table that turns coefficients into part i's coset (one table per
        part serves every polynomial; see ``coeff_to_part(..., powers=)``)."""
        return ntt.distribute_powers(Fr.ones(self.n), self.part_shifts[self._part_index(i)])

    def _part_index(self, i) -> int:
        if not isinstance(i, (int, np.integer)) or not 0 <= i < self.e:
            raise InputError(f"part index must be in 0..{self.e - 1}, got {i!r}")
        return int(i)

    def part_to_folded(self, values: np.ndarray, i: int, out: np.ndarray | None = None) -> np.ndarray:
        """Part i's n values of a polynomial f of up to e·n coefficients → its *folded*
        coefficients F_i[j] = Σ_m f_(j + m·n)·s_i^(m·n), j < n: the size-n interpolation on
        s_i·⟨ω⟩, which one part can do alone (``unfold_parts`` recovers f from all e of them).
        ``out=values`` works in place."""
        self._vector(values, self.n, "part values")
        return ntt.coset_intt(self._target(values, out, self.n), self.part_shifts[self._part_index(i)])

    def unfold_parts(self, folded: list, blocks: int, allocate=None) -> list:
        """The first ``blocks`` runs of n coefficients of f, from its e parts' folded coefficients
        (``part_to_folded``, in part order), each run an (n, 4) array from ``allocate``.

        s_i^(m·n) = ζ^(m·n)·ε^(i·m) with ε = ω_ext^n, a primitive e-th root of unity, so F_i is
        the size-e DFT over m of ζ^(m·n)·f_(j + m·n), and run m is ζ^(−m·n)/e · Σ_i ε^(−i·m)·F_i:
        e scaled additions of n elements per run, instead of one interpolation of size e·n of
        the interleaved values (``extended_to_coeff``), the same coefficients."""
        if len(folded) != self.e or not 0 <= blocks <= self.e:
            raise InputError(f"unfold_parts takes the {self.e} parts' folded coefficients and at most "
                             f"{self.e} runs, got {len(folded)} and {blocks}")
        for values in folded:
            self._vector(values, self.n, "folded coefficients")
        allocate = allocate or (lambda shape: np.empty(shape, dtype=np.uint64))
        r = FR_MODULUS
        eps_inv = pow(self.extended_omega, -self.n, r)
        zeta_n_inv = pow(self.zeta, -self.n, r)
        e_inv = pow(self.e, -1, r)
        runs = []
        for m in range(blocks):
            run = allocate((self.n, 4))
            scale = pow(zeta_n_inv, m, r) * e_inv % r
            Fr.scale(folded[0], scale, out=run)
            for i in range(1, self.e):
                add_scaled(run, folded[i], scale * pow(eps_inv, i * m, r) % r)
            runs.append(run)
        return runs

    # ---- the vanishing polynomial X^n − 1 on the extended coset ----------------------------------
    def part_vanishing(self, i: int) -> int:
        """X^n − 1 on part i: the constant s_i^n − 1 (never 0: ζ^n ≠ 1 since 3 ∤ n)."""
        return (pow(self.part_shifts[self._part_index(i)], self.n, FR_MODULUS) - 1) % FR_MODULUS

    def extended_vanishing_inverses(self) -> list:
        """1/(X^n − 1) at extended index j is entry j mod e of this list (halo2's t_evaluations)."""
        return [pow(self.part_vanishing(i), -1, FR_MODULUS) for i in range(self.e)]

    # ---- points -----------------------------------------------------------------------------------
    def rotate_omega(self, x: int, rotation: int) -> int:
        """x·ω^rotation: the point a query at ``rotation`` reads when the opening point is x."""
        return x * pow(self.omega, rotation, FR_MODULUS) % FR_MODULUS
