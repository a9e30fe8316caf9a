"""The permutation argument against a naive construction: cycles of copy constraints, σ, and the
running products (over Python ints), including that the product closes only for equal copies."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.plonk.layout import DELTA
from halo2py.plonk.permutation import build_sigmas, grand_products
from halo2py.poly.domain import EvaluationDomain
from halo2py.randomness import seeded_rng

K, N, BLINDING = 4, 16, 5
USABLE = N - BLINDING - 1
OMEGA = EvaluationDomain(K, 3).omega


def naive_groups(copies, n: int) -> list:
    """The cells (ids column·n + row) each copy constraint ties together, merged transitively."""
    groups = []
    for a_col, a_row, b_col, b_row in copies:
        a, b = a_col * n + a_row, b_col * n + b_row
        touching = [g for g in groups if a in g or b in g]
        groups = [g for g in groups if g not in touching] + [{a, b}.union(*touching)]
    return [sorted(g) for g in groups]


def copies_strategy(columns: int):
    cell = st.tuples(st.integers(0, columns - 1), st.integers(0, USABLE - 1))
    return st.lists(st.tuples(cell, cell), max_size=24).map(
        lambda pairs: np.array([a + b for a, b in pairs], dtype=np.int64).reshape(-1, 4))


@given(st.integers(1, 4).flatmap(lambda c: st.tuples(st.just(c), copies_strategy(c))))
@settings(max_examples=30)
def test_sigma_cycles_are_the_copy_groups(columns_and_copies):
    """Whatever order halo2's merge-and-swap leaves the cells of a cycle in, σ must be a
    permutation whose cycles are exactly the groups the copies tie together (naive merging)."""
    columns, copies = columns_and_copies
    sigmas = build_sigmas(copies, columns, N, USABLE, OMEGA)
    assert len(sigmas) == columns
    label = {pow(DELTA, c, R) * pow(OMEGA, r, R) % R: c * N + r for c in range(columns) for r in range(N)}
    successor = {j * N + i: label[v] for j, sigma in enumerate(sigmas) for i, v in enumerate(Fr.to_ints(sigma))}
    assert sorted(successor.values()) == sorted(successor)  # a permutation of the cells
    cycles = set()
    for start in successor:
        cycle, cell = {start}, successor[start]
        while cell != start:
            cycle.add(cell)
            cell = successor[cell]
        cycles.add(frozenset(cycle))
    groups = {frozenset(g) for g in naive_groups(copies.tolist(), N)}
    assert {c for c in cycles if len(c) > 1} == {g for g in groups if len(g) > 1}


def test_copies_on_rows_outside_the_usable_ones_are_refused():
    copies = np.array([[0, 1, 1, USABLE]], dtype=np.int64)
    with pytest.raises(InputError, match=f"row {USABLE}, outside the {USABLE} usable rows"):
        build_sigmas(copies, 2, N, USABLE, OMEGA)


def naive_products(values: list, sigmas: list, chunk_len: int, beta: int, gamma: int) -> list:
    """Rows 0..USABLE of each chunk's running product over ints: z(ω^{i+1}) = z(ω^i) ·
    ∏(v + β·δ^j·ω^i + γ) / ∏(v + β·σ_j(ω^i) + γ), each chunk starting where the previous ended."""
    products, start = [], 1
    for s in range(0, len(values), chunk_len):
        z = [start]
        for i in range(USABLE):
            num = den = 1
            for j in range(s, min(s + chunk_len, len(values))):
                num = num * (values[j][i] + beta * pow(DELTA, j, R) * pow(OMEGA, i, R) + gamma) % R
                den = den * (values[j][i] + beta * sigmas[j][i] + gamma) % R
            z.append(z[-1] * num * pow(den, -1, R) % R)
        products.append(z)
        start = z[-1]
    return products


@given(st.integers(0, 2**32), copies_strategy(5))
@settings(max_examples=20)
def test_products_match_naive_and_close_exactly_when_copies_hold(seed, copies):
    columns, chunk_len = 5, 2  # three chunks, the last one short
    rng = seeded_rng(seed, "permutation-test")
    copies = np.concatenate([copies, [[0, 2, 3, 7]]]).astype(np.int64)  # a non-trivial cycle at least
    values = [Fr.to_ints(Fr.random(N, rng)) for _ in range(columns)]
    for cycle in naive_groups(copies.tolist(), N):  # every cycle holds the value of its first cell
        for cell in cycle:
            values[cell // N][cell % N] = values[cycle[0] // N][cycle[0] % N]
    beta, gamma = (int.from_bytes(rng(32), "little") % R for _ in range(2))
    sigmas = build_sigmas(copies, columns, N, USABLE, OMEGA)
    sigma_ints = [Fr.to_ints(s) for s in sigmas]

    def prove(vals):
        sets = [[Fr.from_ints(v) for v in vals[s:s + chunk_len]] for s in range(0, columns, chunk_len)]
        return list(grand_products(sets, sigmas, chunk_len, beta, gamma, OMEGA, N, BLINDING,
                                   lambda count: Fr.random(count, rng)))

    products = prove(values)
    expected = naive_products(values, sigma_ints, chunk_len, beta, gamma)
    assert [Fr.to_ints(z)[:USABLE + 1] for z in products] == expected
    assert expected[-1][-1] == 1

    broken = [list(v) for v in values]
    broken[3][7] = (broken[3][7] + 1) % R  # (3, 7) shares a cycle with (0, 2)
    assert Fr.to_ints(prove(broken)[-1])[USABLE] != 1

