"""The lookup argument in halo2's permuted-column form.

For each lookup the prover θ-compresses the input tuple into A and the table tuple into S (one
value per row), then commits A′ (A sorted, equal values adjacent) and S′ (a rearrangement of S in
which every first occurrence in A′ is matched by the same value at the same row). The product Z
proves that (A′, S′) is a permutation of (A, S); the two extra constraints prove each A′ row
equals S′ or the row above.
"""

from __future__ import annotations

import itertools

import numpy as np

from halo2py.arith.field import Fr
from halo2py.errors import Halo2pyError
from halo2py.poly.grand_product import mul_linear_factor, prefix_product


class LookupInputNotInTable(Halo2pyError):
    """A witness whose lookup input is missing from the table cannot be proved."""

    exit_code = 1


def permute_expression_pair(inputs: np.ndarray, table: np.ndarray, name: str):
    """(A′, S′) over the usable rows, given compressed input and table values (Fr vectors) —
    exactly halo2's: A′ is the input sorted as integers; S′ holds each distinct value at its first
    row in A′, and the leftover table values, ascending, fill the repeated rows from the last one
    up (halo2 pops them off the end). Any valid pair proves the same statement; this one gives
    halo2's bytes."""
    usable = len(inputs)
    both = np.concatenate([inputs, table])
    # integer order: canonical limbs, most significant first, compared lexicographically
    keys = np.ascontiguousarray(Fr.from_montgomery(np.ascontiguousarray(both))[:, ::-1])
    _, ids = np.unique(keys, axis=0, return_inverse=True)
    ids = ids.reshape(-1)
    in_ids, table_ids = ids[:usable], ids[usable:]
    order = np.argsort(in_ids, kind="stable")
    sorted_ids = in_ids[order]
    first = np.ones(usable, dtype=bool)
    first[1:] = sorted_ids[1:] != sorted_ids[:-1]
    distinct = sorted_ids[first]
    counts = np.bincount(table_ids, minlength=len(both))
    if (counts[distinct] == 0).any():
        missing = int(distinct[counts[distinct] == 0][0])
        value = Fr.from_mont(tuple(both[np.flatnonzero(ids == missing)[0]]))
        raise LookupInputNotInTable(f"lookup '{name}': input value {value} is not in the table")
    counts[distinct] -= 1
    leftover = np.repeat(np.arange(len(counts)), counts)  # table values not matched to a first
    value_of = np.empty((len(both), 4), dtype=np.uint64)
    value_of[ids] = both
    permuted_input = value_of[sorted_ids]
    permuted_table = np.empty_like(permuted_input)
    permuted_table[first] = permuted_input[first]
    permuted_table[np.flatnonzero(~first)[::-1]] = value_of[leftover]
    return permuted_input, permuted_table


def grand_product(compressed_input, compressed_table, permuted_input, permuted_table,
                  beta: int, gamma: int, n: int, blinding_factors: int, random_values) -> np.ndarray:
    """Z with Z(ω^0) = 1 and Z(ω^{i+1}) = Z(ω^i)·(A+β)(S+γ)/((A′+β)(S′+γ)); last rows random."""
    ratios = Fr.ones(n)
    mul_linear_factor(ratios, permuted_input, permuted_input, 0, beta)
    mul_linear_factor(ratios, permuted_table, permuted_table, 0, gamma)
    ratios = Fr.batch_inverse(ratios, out=ratios)
    mul_linear_factor(ratios, compressed_input, compressed_input, 0, beta)
    mul_linear_factor(ratios, compressed_table, compressed_table, 0, gamma)
    z = np.empty((n, 4), dtype=np.uint64)
    prefix_product(ratios, 1, n - blinding_factors, z)
    z[n - blinding_factors:] = random_values(blinding_factors)
    return z


def multiplicities(inputs: np.ndarray, table: np.ndarray, n: int, name: str) -> np.ndarray:
    """Log-derivative lookups' m: for each usable table row, how many usable input rows take its
    value — counted where halo2's (Scroll's) search lands: the table rows stably sorted by value,
    then a bisection (mid = left + size/2, the first mid that compares equal) per input value, so
    with repeated table values the same row is chosen as in Rust."""
    rows = len(table)
    keys_of = [Fr.from_mont(tuple(row)) for row in table]
    order = sorted(range(rows), key=lambda r: keys_of[r])
    sorted_keys = [keys_of[r] for r in order]
    counts = np.zeros(n, dtype=np.int64)
    for row in inputs:
        value = Fr.from_mont(tuple(row))
        left, size = 0, rows
        found = -1
        while size > 0:
            mid = left + size // 2
            key = sorted_keys[mid]
            if key == value:
                found = mid
                break
            if key < value:
                left, size = mid + 1, size - size // 2 - 1
            else:
                size = size // 2
        if found < 0:
            raise LookupInputNotInTable(f"lookup '{name}': input value {value} is not in the table")
        counts[order[found]] += 1
    return Fr.from_ints(counts.tolist())


def grand_sum(compressed_input, compressed_table, m, beta: int, n: int, blinding_factors: int,
              random_values) -> np.ndarray:
    """φ with φ(ω^0) = 0 and φ(ω^{i+1}) = φ(ω^i) + 1/(f_i + β) − m_i/(t_i + β) over the usable
    rows (it returns to 0 at l_last exactly when every input is in the table); last rows random."""
    usable = n - blinding_factors - 1
    f = Fr.batch_inverse(Fr.add(compressed_input[:usable], Fr.from_ints([beta] * usable)))
    t = Fr.batch_inverse(Fr.add(compressed_table[:usable], Fr.from_ints([beta] * usable)))
    steps = Fr.sub(f, Fr.mul(m[:usable], t))
    r = Fr.modulus
    phi = np.zeros((n, 4), dtype=np.uint64)
    # a running sum over Python ints (plain, not a kernel: log-derivative lookups are new and small here)
    phi[1:usable + 1] = Fr.from_ints([v % r for v in itertools.accumulate(Fr.to_ints(steps))])
    phi[n - blinding_factors:] = random_values(blinding_factors)
    return phi
