"""halo2's merge-and-swap permutation keygen against Rust's cycle store and σ columns.

The copy sequences are written out from the circuit descriptions of the vectors README (§4.1 for
simple under both planners, §4.6 for fibonacci1 and fibonacci2), never taken from halo2py's
layouter; columns are numbered by their place among the equality-enabled columns.
"""

import random

import halo2_vectors as hv
import numpy as np
import pytest

from halo2py.arith.field import Fr
from halo2py.arith.ntt import root_of_unity
from halo2py.errors import InputError
from halo2py.plonk.permutation import build_sigmas, halo2_cycle_store

# simple: permutation columns i0, f0, a0, a1
I0, F0, A0, A1 = 0, 1, 2, 3
SIMPLE_COPIES = {
    "simple": [((F0, 0), (A0, 2)), ((A0, 3), (A0, 0)), ((A1, 3), (A0, 1)), ((A0, 5), (A0, 4)),
               ((A1, 5), (A0, 4)), ((A0, 7), (A0, 2)), ((A1, 7), (A0, 6)), ((A0, 8), (I0, 0))],
    "v1": [((A0, 4), (A0, 8)), ((A1, 4), (A0, 7)), ((A0, 2), (A0, 5)), ((A1, 2), (A0, 5)),
           ((A0, 0), (A0, 6)), ((A1, 0), (A0, 3)), ((A0, 1), (I0, 0)), ((F0, 0), (A0, 6))],
}


def fibonacci1_copies(planner: str) -> list:
    """Columns a0, a1, a2, i0. Region i sits at row i (Simple) or 7 − i (V1, equal areas reversed).
    The first row takes a0, a1 from i0 rows 0, 1; each next row copies (prev_b, prev_c) into a0, a1
    and shifts them to (prev_c, its a2); the last a2 is constrained to i0 row 2."""
    a0, a1, a2, i0 = 0, 1, 2, 3

    def row(i):
        return i if planner == "simple" else 7 - i

    copies = [((a0, row(0)), (i0, 0)), ((a1, row(0)), (i0, 1))]
    prev_b, prev_c = (a1, row(0)), (a2, row(0))
    for i in range(1, 8):
        copies += [((a0, row(i)), prev_b), ((a1, row(i)), prev_c)]
        prev_b, prev_c = prev_c, (a2, row(i))
    return copies + [((a2, row(7)), (i0, 2))]


def copies_for(case: str) -> list:
    data = hv.load(case)
    if data["circuit"] == "simple":
        return SIMPLE_COPIES[data["floor_planner"]]
    if data["circuit"] == "fibonacci1":
        return fibonacci1_copies(data["floor_planner"])
    assert data["circuit"] == "fibonacci2"
    a0, i0 = 0, 1
    return [((a0, 0), (i0, 0)), ((a0, 1), (i0, 1)), ((a0, 9), (i0, 2))]


PERMUTATION_CASES = [c for c in hv.case_names() if hv.load(c)["circuit"] in ("simple", "fibonacci1", "fibonacci2")]


def test_cases_cover_every_vector_with_a_cycle_store():
    assert PERMUTATION_CASES == [c for c in hv.case_names() if hv.load(c)["synthesis"].get("cycle_store_mapping")]
    assert len(PERMUTATION_CASES) == 6


@pytest.mark.parametrize("case", PERMUTATION_CASES)
def test_cycle_store_matches_rust(case):
    data = hv.load(case)
    synthesis = data["synthesis"]
    columns = len(synthesis["assembly_permutation_columns"])
    store = halo2_cycle_store(copies_for(case), columns, data["n"], usable_rows=data["n"] - 6)
    assert store.mapping.tolist() == synthesis["cycle_store_mapping"]
    assert store.aux.tolist() == synthesis["cycle_store_aux"]
    assert store.sizes.tolist() == synthesis["cycle_store_sizes"]


@pytest.mark.parametrize("case", PERMUTATION_CASES)
def test_sigmas_match_rusts_permutation_columns(case):
    data = hv.load(case)
    columns = len(data["synthesis"]["assembly_permutation_columns"])
    copies = np.array([[a, ra, b, rb] for (a, ra), (b, rb) in copies_for(case)], dtype=np.int64)
    sigmas = build_sigmas(copies, columns, data["n"], data["n"], root_of_unity(data["k"]))
    expected = data["proving_key"]["permutations_columns"]
    assert [Fr.to_ints(s) for s in sigmas] == [hv.ints(col) for col in expected]


def test_only_order_changes_the_mapping():
    """README §5.5: flipping every copy's direction keeps ``mapping`` (hence σ) but not ``aux``."""
    copies = SIMPLE_COPIES["simple"]
    flipped = [(right, left) for left, right in copies]
    a, b = halo2_cycle_store(copies, 4, 16), halo2_cycle_store(flipped, 4, 16)
    assert np.array_equal(a.mapping, b.mapping)
    assert not np.array_equal(a.aux, b.aux)
    reordered = halo2_cycle_store(SIMPLE_COPIES["simple"][::-1], 4, 16)
    assert not np.array_equal(a.mapping, reordered.mapping)


def _components(copies, columns, n) -> set:
    """Connected components of the copy graph (plain BFS), cells as (column, row)."""
    neighbours = {}
    for left, right in copies:
        neighbours.setdefault(left, set()).add(right)
        neighbours.setdefault(right, set()).add(left)
    seen, out = set(), set()
    for cell in [(c, r) for c in range(columns) for r in range(n)]:
        if cell in seen:
            continue
        stack, comp = [cell], set()
        while stack:
            x = stack.pop()
            if x not in comp:
                comp.add(x)
                stack.extend(neighbours.get(x, ()))
        seen |= comp
        out.add(frozenset(comp))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_random_copies_give_a_permutation_of_the_copy_classes(seed):
    rng = random.Random(seed)
    columns, n = 3, 16
    copies = [((rng.randrange(columns), rng.randrange(n)), (rng.randrange(columns), rng.randrange(n)))
              for _ in range(rng.randrange(5, 40))]
    store = halo2_cycle_store(copies, columns, n)
    successor = {(c, r): tuple(store.mapping[c, r]) for c in range(columns) for r in range(n)}
    assert sorted(successor.values()) == sorted(successor)  # a permutation
    cycles = set()
    for start, x in successor.items():
        cycle = {start}
        while x != start:
            cycle.add(x)
            x = successor[x]
        cycles.add(frozenset(cycle))
    assert cycles == _components(copies, columns, n)
    for cycle in cycles:  # one representative per cycle, whose size is the cycle's
        reps = {tuple(store.aux[c, r]) for c, r in cycle}
        assert len(reps) == 1 and reps <= cycle
        (rep,) = reps
        assert store.sizes[rep] == len(cycle)


def test_bad_copies_are_input_errors():
    with pytest.raises(InputError, match="equality column 4"):
        halo2_cycle_store([((0, 0), (4, 0))], 4, 16)
    with pytest.raises(InputError, match="row 10, outside the 10 usable rows"):
        halo2_cycle_store([((0, 10), (1, 0))], 4, 16, usable_rows=10)
    empty = halo2_cycle_store([], 2, 4)
    assert empty.mapping.tolist() == [[[c, r] for r in range(4)] for c in range(2)]
