"""The permutation (copy-constraint) argument: σ polynomials at keygen, grand products at proving.

Keygen turns the circuit's copy constraints into cycles over the cells of the equality-enabled
columns; σ_j(ω^i) names the next cell of (j, i)'s cycle as δ^{j′}·ω^{i′}. The prover's running
product over chunks of d − 2 columns then equals 1 exactly when every cycle holds equal values.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.plonk.layout import DELTA
from halo2py.poly.grand_product import mul_linear_factor, prefix_product
from halo2py.poly.ops import powers


def build_sigmas(copies: np.ndarray, columns: int, n: int, usable_rows: int, omega: int, keep=lambda a: a) -> list:
    """σ_j in Lagrange form for each equality-enabled column j, from halo2's cycle store; each
    σ_j goes through ``keep`` as soon as it exists (a column store's, to spill it).

    Lean on purpose (keygen's peak at large k): the cycle store is three flat int32 arrays (int64
    past 2^31 cells) and σ is read straight off the flat mapping, one column at a time.
    """
    pairs = _checked_pairs(copies, columns, usable_rows)
    dtype = np.int32 if columns * n < 1 << 31 else np.int64
    mapping = np.arange(columns * n, dtype=dtype)
    aux = mapping.copy()
    sizes = np.ones(columns * n, dtype=dtype)
    _merge_and_swap((pairs[:, 0] * n + pairs[:, 1]).astype(dtype), (pairs[:, 2] * n + pairs[:, 3]).astype(dtype),
                    mapping, aux, sizes)
    del aux, sizes
    omega_powers = powers(omega, n)
    deltas = Fr.from_ints([pow(DELTA, c, FR_MODULUS) for c in range(columns)])
    sigmas = []
    for j in range(columns):
        col, row = np.divmod(mapping[j * n:(j + 1) * n], n)
        sigmas.append(keep(Fr.mul(deltas[col], omega_powers[row])))
    return sigmas


def _checked_pairs(copies, columns: int, usable_rows: int) -> np.ndarray:
    pairs = np.asarray(copies, dtype=np.int64).reshape(-1, 4)
    cols, rows = pairs[:, [0, 2]], pairs[:, [1, 3]]
    if len(pairs) and (cols.min() < 0 or cols.max() >= columns):
        raise InputError(f"a copy constraint names equality column {int(cols.max())}, "
                         f"outside the {columns} equality-enabled columns")
    if len(pairs) and (rows.min() < 0 or rows.max() >= usable_rows):
        raise InputError(f"a copy constraint uses row {int(rows.max())}, outside the {usable_rows} usable rows")
    return pairs


class CycleStore(NamedTuple):
    """halo2's permutation ``Assembly`` after all copies: per (column, row) of the equality columns,
    ``mapping`` = the next cell of its cycle and ``aux`` = its cycle's representative, both as
    (column, row) pairs in (columns, n, 2) arrays; ``sizes`` (columns, n) = the size of the cycle a
    representative stands for (other cells keep the size they had when they were merged away)."""

    mapping: np.ndarray
    aux: np.ndarray
    sizes: np.ndarray


@njit(cache=True, nogil=True)
def _merge_and_swap(left, right, mapping, aux, sizes):
    """halo2's ``Assembly::copy`` over flat cell ids, in order: a copy inside one cycle is a no-op;
    otherwise the smaller cycle (ties: the right one) is relabelled with the larger's
    representative, walking it through ``mapping``, and the two cells swap their successors —
    which splices the cycles into one."""
    for t in range(left.shape[0]):
        a = left[t]
        b = right[t]
        keep = aux[a]
        merge = aux[b]
        if keep == merge:
            continue
        if sizes[keep] < sizes[merge]:
            keep, merge = merge, keep
        sizes[keep] += sizes[merge]
        i = merge
        while True:
            aux[i] = keep
            i = mapping[i]
            if i == merge:
                break
        nxt = mapping[a]
        mapping[a] = mapping[b]
        mapping[b] = nxt


def halo2_cycle_store(copies, columns: int, n: int, usable_rows: int | None = None) -> CycleStore:
    """The cycle store halo2's keygen builds, copy by copy (vectors README §5.5).

    ``copies``: ((column, row), (column, row)) pairs in the order the layouter emitted them,
    columns numbered by their position among the equality-enabled columns. The result depends on
    that order — and it must, for σ to equal halo2's: only the order of the copies changes
    ``mapping``; their direction changes ``aux`` and ``sizes`` only. (Keygen itself uses the lean
    ``build_sigmas``; this full store, aux and sizes included, is what the tests hold against
    Rust's.)
    """
    pairs = _checked_pairs(copies, columns, n if usable_rows is None else usable_rows)
    cells = np.arange(columns * n, dtype=np.int64)
    mapping, aux, sizes = cells.copy(), cells.copy(), np.ones(columns * n, dtype=np.int64)
    _merge_and_swap(pairs[:, 0] * n + pairs[:, 1], pairs[:, 2] * n + pairs[:, 3], mapping, aux, sizes)

    def as_pairs(flat):
        return np.stack(np.divmod(flat, n), axis=-1).reshape(columns, n, 2)

    return CycleStore(as_pairs(mapping), as_pairs(aux), sizes.reshape(columns, n))


def grand_products(sets: list, sigma_values: list, chunk_len: int, beta: int, gamma: int,
                   omega: int, n: int, blinding_factors: int, random_values):
    """The Lagrange-form running product z_s of each chunk of columns, linked across chunks,
    yielded one set at a time: the prover starts z_s's commitment (on a cluster, an MSM on a
    worker) while z_{s+1} is computed here.

    ``sets``: per chunk, the Lagrange values (blinded advice, fixed, instance) of its columns.
    z_s(ω^0) = z_{s−1}(ω^u) (1 for the first set); rows u + 1 .. n − 1 are blinding randomness.
    """
    omega_powers = powers(omega, n)
    usable_plus_last = n - blinding_factors
    last_z = 1
    ratios = np.empty((n, 4), dtype=np.uint64)  # every set's, in turn: one allocation's page faults
    for s, values in enumerate(sets):
        denominators = Fr.ones(n)
        for j, column_values in enumerate(values):
            mul_linear_factor(denominators, column_values, sigma_values[s * chunk_len + j], beta, gamma)
        Fr.batch_inverse(denominators, out=ratios)  # out of place: in place allocates and copies back a column
        for j, column_values in enumerate(values):
            delta_beta = beta * pow(DELTA, s * chunk_len + j, FR_MODULUS) % FR_MODULUS
            mul_linear_factor(ratios, column_values, omega_powers, delta_beta, gamma)
        z = denominators  # no longer needed: z_s goes where they were (two columns alive, not three)
        prefix_product(ratios, last_z, usable_plus_last, z)
        z[usable_plus_last:] = random_values(blinding_factors)
        last_z = Fr.from_mont(tuple(z[usable_plus_last - 1]))
        yield z
