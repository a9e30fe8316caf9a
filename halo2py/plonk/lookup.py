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
from numba import njit

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
    input_order, input_keys = _integer_order(Fr.from_montgomery(np.ascontiguousarray(inputs)))
    table_order, table_keys = _integer_order(Fr.from_montgomery(np.ascontiguousarray(table)))
    permuted_input = inputs[input_order]
    permuted_table = np.empty_like(permuted_input)
    missing = _permute_pair(input_keys, np.ascontiguousarray(table), table_order, table_keys,
                            permuted_input, permuted_table)
    if missing >= 0:
        value = Fr.from_mont(tuple(permuted_input[missing]))
        raise LookupInputNotInTable(f"lookup '{name}': input value {value} is not in the table")
    return permuted_input, permuted_table


def _integer_order(keys: np.ndarray):
    """(order, keys[order]) for canonical rows sorted by integer value: NumPy's (vectorised)
    argsort of the highest limb that is not zero in every row, then the runs of rows equal in
    it sorted in full — none for random-looking values, nor those of one repeated value. Small
    values (a range check's, below 2^64) sort by their one limb alone: rows equal there are
    equal. The order among equal rows is immaterial: their values are equal."""
    top = 3
    while top > 0 and not keys[:, top].any():
        top -= 1
    order = np.argsort(keys[:, top])
    sorted_keys = keys[order]
    if top > 0:
        _sort_ties(keys, order, sorted_keys, top)
    return order, sorted_keys


@njit(cache=True, nogil=True)
def _compare(a, i, b, j):
    """Canonical rows a[i] and b[j] as integers: −1, 0 or 1 (limbs compared from the top)."""
    for w in range(3, -1, -1):
        if a[i, w] != b[j, w]:
            return -1 if a[i, w] < b[j, w] else 1
    return 0


@njit(cache=True, nogil=True)
def _sort_ties(keys, order, sorted_keys, top):
    """Sort each run of rows sharing limb ``top`` (the limbs above it are zero in every row) by
    whole rows, unless its rows are all equal: order and sorted_keys (= keys[order]) in place."""
    n = order.shape[0]
    spare = np.empty(0, dtype=order.dtype)
    lo = 0
    while lo < n:
        hi = lo + 1
        while hi < n and sorted_keys[hi, top] == sorted_keys[lo, top]:
            hi += 1
        if hi - lo > 1 and not _all_equal(sorted_keys, lo, hi):  # equal rows are in order already
            if spare.shape[0] < n:
                spare = np.empty(n, dtype=order.dtype)
            _merge_sort(keys, order, spare, lo, hi)
            for r in range(lo, hi):
                sorted_keys[r] = keys[order[r]]
        lo = hi


@njit(cache=True, nogil=True)
def _all_equal(rows, lo, hi):
    """Whether rows lo … hi − 1 are all equal: a run of ties that is one repeated value (a
    witness's duplicates, a table's padding) needs no sort."""
    for r in range(lo + 1, hi):
        if _compare(rows, r, rows, lo) != 0:
            return False
    return True


@njit(cache=True, nogil=True)
def _merge_sort(keys, order, spare, lo, hi):
    """order[lo:hi] sorted by whole rows: insertion-sorted runs of 16, then bottom-up merges
    (through spare, copied back when the passes end there)."""
    run = 16
    for start in range(lo, hi, run):
        for i in range(start + 1, min(start + run, hi)):
            row = order[i]
            j = i - 1
            while j >= start and _compare(keys, row, keys, order[j]) < 0:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = row
    src, dst = order, spare
    in_spare = False
    width = run
    while width < hi - lo:
        for start in range(lo, hi, 2 * width):
            mid, end = min(start + width, hi), min(start + 2 * width, hi)
            i, j = start, mid
            for k in range(start, end):
                if j >= end or (i < mid and _compare(keys, src[j], keys, src[i]) >= 0):
                    dst[k] = src[i]
                    i += 1
                else:
                    dst[k] = src[j]
                    j += 1
        src, dst = dst, src
        in_spare = not in_spare
        width *= 2
    if in_spare:
        order[lo:hi] = spare[lo:hi]


@njit(cache=True, nogil=True)
def _permute_pair(input_keys, table, table_order, table_keys, permuted_input, permuted_table):
    """S′ by one merge of the sorted input keys with the sorted table keys (A′ given); returns
    −1, or the row of A′ whose value the table lacks (the smallest such value).

    Walking both in ascending order, every table value passed over before the next distinct
    input value is a leftover, so leftovers come out ascending — halo2's BTreeMap order."""
    usable, rows = input_keys.shape[0], table.shape[0]
    leftover = np.empty(rows, dtype=np.int64)
    repeated = np.empty(usable, dtype=np.int64)
    left = 0
    reps = 0
    t = 0
    for r in range(usable):
        if r > 0 and _compare(input_keys, r, input_keys, r - 1) == 0:
            repeated[reps] = r
            reps += 1
            continue
        while t < rows and _compare(table_keys, t, input_keys, r) < 0:
            leftover[left] = table_order[t]
            left += 1
            t += 1
        if t == rows or _compare(table_keys, t, input_keys, r) != 0:
            return r
        permuted_table[r] = table[table_order[t]]
        t += 1
    while t < rows:
        leftover[left] = table_order[t]
        left += 1
        t += 1
    for j in range(reps):  # halo2: repeated rows in order, each pops the largest leftover
        permuted_table[repeated[j]] = table[leftover[left - 1 - j]]
    return -1


def grand_product(compressed_input, compressed_table, permuted_input, permuted_table,
                  beta: int, gamma: int, n: int, blinding_factors: int, random_values) -> np.ndarray:
    """Z with Z(ω^0) = 1 and Z(ω^{i+1}) = Z(ω^i)·(A+β)(S+γ)/((A′+β)(S′+γ)); last rows random."""
    denominators = Fr.ones(n)
    mul_linear_factor(denominators, permuted_input, permuted_input, 0, beta)
    mul_linear_factor(denominators, permuted_table, permuted_table, 0, gamma)
    ratios = Fr.batch_inverse(denominators)  # out of place: in place would allocate and copy back a column
    mul_linear_factor(ratios, compressed_input, compressed_input, 0, beta)
    mul_linear_factor(ratios, compressed_table, compressed_table, 0, gamma)
    z = denominators  # no longer needed: Z goes where they were (two columns alive, not three)
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
