"""The lookup argument's permuted columns and product: the invariants halo2's constraints rely on,
checked on random inputs over small and full-size field values."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.plonk.lookup import LookupInputNotInTable, grand_product, permute_expression_pair
from halo2py.randomness import seeded_rng

# Values the tables draw from: small ones (many repeats) and large ones near the modulus, so
# ordering by limbs and by integer value differ.
POOL = [0, 1, 2, 3, 5, 8, 13, 2**64 - 1, 2**64, 2**200 + 7, R - 2, R - 1]


@st.composite
def lookup_columns(draw, max_rows: int = 24):
    """(inputs, table) as int lists of equal length with every input value in the table."""
    rows = draw(st.integers(1, max_rows))
    table = draw(st.lists(st.sampled_from(POOL), min_size=rows, max_size=rows))
    inputs = draw(st.lists(st.sampled_from(sorted(set(table))), min_size=rows, max_size=rows))
    return inputs, table


@given(lookup_columns())
def test_permuted_columns_satisfy_the_lookup_constraints(columns):
    inputs, table = columns
    a_perm, s_perm = permute_expression_pair(Fr.from_ints(inputs), Fr.from_ints(table), "t")
    a, s = Fr.to_ints(a_perm), Fr.to_ints(s_perm)
    assert sorted(a) == sorted(inputs), "A′ is a permutation of A"
    assert sorted(s) == sorted(table), "S′ is a permutation of S"
    runs = [v for i, v in enumerate(a) if i == 0 or a[i - 1] != v]
    assert len(runs) == len(set(runs)), "equal values of A′ are adjacent"
    assert a[0] == s[0]  # l0·(A′ − S′)
    for i in range(1, len(a)):  # (A′ − S′)·(A′ − A′(ω⁻¹X))
        assert a[i] == s[i] or a[i] == a[i - 1], f"row {i}"


@given(lookup_columns(), st.sampled_from([4, 6, 9, 11]))
def test_an_input_missing_from_the_table_is_named(columns, extra):
    inputs, table = columns
    missing = 10**6 + extra
    inputs = inputs[:-1] + [missing]
    message = f"lookup 'range': input value {missing} is not in the table"
    with pytest.raises(LookupInputNotInTable, match=message) as exc:
        permute_expression_pair(Fr.from_ints(inputs), Fr.from_ints(table), "range")
    assert exc.value.exit_code == 1


@given(lookup_columns(max_rows=10), st.integers(0, 2**32))
@settings(max_examples=25)
def test_product_matches_naive_and_closes(columns, seed):
    inputs, table = columns
    usable = len(inputs)
    blinding = 5
    n = usable + blinding + 1
    rng = seeded_rng(seed, "lookup-test")
    extra = lambda count: Fr.to_ints(Fr.random(count, rng))  # noqa: E731 - rows past the usable ones
    a_perm, s_perm = (Fr.to_ints(v) for v in permute_expression_pair(Fr.from_ints(inputs), Fr.from_ints(table), "t"))
    a_full, s_full = inputs + extra(n - usable), table + extra(n - usable)
    a_perm_full, s_perm_full = a_perm + extra(n - usable), s_perm + extra(n - usable)
    beta, gamma = (int.from_bytes(rng(32), "little") % R for _ in range(2))
    z = grand_product(*(Fr.from_ints(v) for v in (a_full, s_full, a_perm_full, s_perm_full)),
                       beta, gamma, n, blinding, lambda count: Fr.random(count, rng))
    expected = [1]
    for i in range(usable):
        num = (a_full[i] + beta) * (s_full[i] + gamma) % R
        den = (a_perm_full[i] + beta) * (s_perm_full[i] + gamma) % R
        expected.append(expected[-1] * num * pow(den, -1, R) % R)
    assert Fr.to_ints(z)[:usable + 1] == expected
    assert expected[usable] == 1


def _halo2_permuted(inputs: list, table: list):
    """halo2's permute_expression_pair over Python ints, step by step: sort the input; a count of
    each table value (a BTreeMap); each first occurrence takes its value from the count, each
    repeated row is noted; then the leftovers in ascending order are popped onto the noted rows."""
    permuted_input = sorted(inputs)
    counts = {}
    for v in table:
        counts[v] = counts.get(v, 0) + 1
    permuted_table, repeated = [None] * len(inputs), []
    for row, v in enumerate(permuted_input):
        if row and permuted_input[row - 1] == v:
            repeated.append(row)
        else:
            counts[v] -= 1
            permuted_table[row] = v
    leftover = [v for v in sorted(counts) for _ in range(counts[v])]
    for row in repeated:
        permuted_table[row] = leftover.pop()
    return permuted_input, permuted_table


@given(lookup_columns(max_rows=40))
def test_permuted_columns_are_halo2s(columns):
    inputs, table = columns
    got = permute_expression_pair(Fr.from_ints(inputs), Fr.from_ints(table), "t")
    assert tuple(Fr.to_ints(v) for v in got) == _halo2_permuted(inputs, table)


@pytest.mark.parametrize("rows, spread", [(3000, 50), (5000, R), (4099, 2**64 + 3), (4100, 2**130 + 7)])
def test_permuted_columns_are_halo2s_over_many_rows(rows, spread):
    """Past one insertion-sorted run: merges of odd widths, values sharing their top limbs;
    values below 2^64 (sorted by their one limb), 2^65 and 2^131 (ties on limb 1 or 2 sorted)."""
    rng = seeded_rng(rows, "lookup-sort")
    draw = lambda: int.from_bytes(rng(32), "little") % spread  # noqa: E731
    table = [draw() for _ in range(rows)]
    inputs = [table[int.from_bytes(rng(4), "little") % rows] for _ in range(rows)]
    got = permute_expression_pair(Fr.from_ints(inputs), Fr.from_ints(table), "t")
    assert tuple(Fr.to_ints(v) for v in got) == _halo2_permuted(inputs, table)
