"""Floor planners against Rust halo2: SimpleFloorPlanner and V1FloorPlanner on the circuits of
the halo2 vectors (README /work/shared/halo2-vectors §4.1, §4.6).

The circuits are the library's, written from the README's plain-words descriptions; the expected region rows,
cell values, selector rows and copy sequences are the README's. The synthesis fields of the Rust
vectors (tests/data/halo2-vectors) cross-check them independently: the fixed
and selector columns, and halo2's cycle store (mapping, aux, sizes), which a reference of halo2's
``Assembly::copy`` (README §5.5) rebuilds from our copy list — it depends on the copies' order
and direction, so it fails if either differs from what halo2 emitted.
"""


import pytest

import halo2_vectors as hv
from halo2py import pipeline
from halo2py.circuits.fibonacci1 import Fibonacci1
from halo2py.circuits.fibonacci2 import Fibonacci2
from halo2py.circuits.simple_example import SimpleExample
from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, synthesize
from halo2py.frontend.constraint_system import ConstraintSystem
from halo2py.frontend.floor_planner import RegionShape, V1FloorPlanner
from halo2py.frontend.layouter import Layouter
from halo2py.frontend.mock import MockProver

PLANNERS = ("simple", "v1")


def vector(circuit: str, planner: str) -> dict:
    return hv.load(f"{circuit}-{planner}-shplonk")


# --- the circuits: the library's, written from the README's descriptions -------------------------
CIRCUITS = {"simple": SimpleExample, "fibonacci1": Fibonacci1, "fibonacci2": Fibonacci2}


def synthesized(name: str, planner: str):
    return synthesize(CIRCUITS[name](), 4, floor_planner=planner).assignment


def copies(asg) -> list:
    """The copy list as ("a0", row, "i0", row) tuples, in emission order."""
    short = {"advice": "a", "fixed": "f", "instance": "i"}
    return [(f"{short[a.kind]}{a.index}", ra, f"{short[b.kind]}{b.index}", rb)
            for (a, ra), (b, rb) in asg.copy_pairs()]


def region_starts(asg, name=None) -> list:
    return [r.start for r in asg.regions if r.name != "constants" and name in (None, r.name)]


# --- the README's layouts -----------------------------------------------------------------------------
FIB = [1, 1, 2, 3, 5, 8, 13, 21, 34, 55]

EXPECTED = {
    ("simple", "simple"): {
        "starts": [0, 1, 2, 3, 5, 7],
        "copies": [("f0", 0, "a0", 2), ("a0", 3, "a0", 0), ("a1", 3, "a0", 1), ("a0", 5, "a0", 4),
                ("a1", 5, "a0", 4), ("a0", 7, "a0", 2), ("a1", 7, "a0", 6), ("a0", 8, "i0", 0)],
        "advice": {0: [2, 3, 7, 2, 6, 6, 36, 7, 252], 1: [None, None, None, 3, None, 6, None, 36, None]},
        "selector_rows": [3, 5, 7], "f0": {0: 7}},
    ("simple", "v1"): {
        "starts": [8, 7, 6, 4, 2, 0],
        "copies": [("a0", 4, "a0", 8), ("a1", 4, "a0", 7), ("a0", 2, "a0", 5), ("a1", 2, "a0", 5),
                ("a0", 0, "a0", 6), ("a1", 0, "a0", 3), ("a0", 1, "i0", 0), ("f0", 0, "a0", 6)],
        "advice": {0: [7, 252, 6, 36, 2, 6, 7, 3, 2], 1: [36, None, 6, None, 3, None, None, None, None]},
        "selector_rows": [0, 2, 4], "f0": {0: 7}},
}


def fibonacci1_expected(planner: str) -> dict:
    """§4.6: region i at row i (simple) or 7 − i (v1), holding (f_i, f_{i+1}, f_{i+2}); the
    copies as the description makes them, in call order."""
    row = (lambda i: i) if planner == "simple" else (lambda i: 7 - i)
    seq = [("a0", row(0), "i0", 0), ("a1", row(0), "i0", 1),
           ("a0", row(1), "a1", row(0)), ("a1", row(1), "a2", row(0))]
    for i in range(2, 8):
        seq += [("a0", row(i), "a2", row(i - 2)), ("a1", row(i), "a2", row(i - 1))]
    seq.append(("a2", row(7), "i0", 2))
    advice = {c: [None] * 8 for c in range(3)}
    for i in range(8):
        for c in range(3):
            advice[c][row(i)] = FIB[i + c]
    return {"starts": [row(i) for i in range(8)], "copies": seq, "advice": advice,
            "selector_rows": list(range(8))}


for _planner in PLANNERS:
    EXPECTED[("fibonacci1", _planner)] = fibonacci1_expected(_planner)
    EXPECTED[("fibonacci2", _planner)] = {
        "starts": [0], "copies": [("a0", 0, "i0", 0), ("a0", 1, "i0", 1), ("a0", 9, "i0", 2)],
        "advice": {0: FIB}, "selector_rows": list(range(8))}

CASES = sorted(EXPECTED)


@pytest.mark.parametrize("name,planner", CASES)
def test_layout_is_the_readmes(name, planner):
    asg = synthesized(name, planner)
    want = EXPECTED[(name, planner)]
    assert region_starts(asg) == want["starts"]
    assert copies(asg) == want["copies"]
    for index, values in want["advice"].items():
        assert asg.ints(asg.cs.advice_columns[index])[:len(values)] == values
    assert [row for row, on in enumerate(asg.selectors[0].tolist()) if on] == want["selector_rows"]
    if "f0" in want:
        f0 = asg.ints(asg.cs.fixed_columns[0])
        assert {row: v for row, v in enumerate(f0) if v is not None} == want["f0"]
    assert MockProver(asg).verify() == []


# --- against the Rust vectors --------------------------------------------------------------------------
def halo2_cycle_store(copy_rows: list, columns: int, n: int):
    """halo2's ``Assembly::copy`` as README §5.5 describes it: every cell starts as its own cycle;
    for copy(L, R), unless they share a cycle, the smaller cycle joins the larger (a tie joins L's),
    and mapping[L], mapping[R] are swapped. aux names each cell's cycle, sizes the cycle sizes."""
    mapping = [[(c, r) for r in range(n)] for c in range(columns)]
    aux = [[(c, r) for r in range(n)] for c in range(columns)]
    sizes = [[1] * n for _ in range(columns)]
    for lc, lr, rc, rr in copy_rows:
        left, right = aux[lc][lr], aux[rc][rr]
        if left == right:
            continue
        if sizes[left[0]][left[1]] < sizes[right[0]][right[1]]:
            left, right = right, left
        sizes[left[0]][left[1]] += sizes[right[0]][right[1]]
        cell = right
        while True:
            aux[cell[0]][cell[1]] = left
            cell = mapping[cell[0]][cell[1]]
            if cell == right:
                break
        mapping[lc][lr], mapping[rc][rr] = mapping[rc][rr], mapping[lc][lr]
    return mapping, aux, sizes


def test_halo2_cycle_store_reference_on_a_hand_example():
    """The reference itself, worked by hand: copy(0, 1) ties, so 1 joins 0's cycle and the
    swap gives 0 → 1 → 0; copy(2, 1): 2's cycle is the smaller and joins 0's, and swapping
    mapping[2] with mapping[1] gives the cycle 0 → 1 → 2 → 0, named 0, of size 3."""
    mapping, aux, sizes = halo2_cycle_store([(0, 0, 0, 1), (0, 2, 0, 1)], 1, 3)
    assert mapping == [[(0, 1), (0, 2), (0, 0)]]
    assert aux == [[(0, 0)] * 3]
    assert sizes == [[3, 1, 1]]


@pytest.mark.parametrize("name,planner", CASES)
def test_synthesis_matches_the_rust_vectors(name, planner):
    asg = synthesized(name, planner)
    want = vector(name, planner)["synthesis"]
    assert asg.usable_rows == want["usable_rows"]["end"]
    assert [{"column_type": c.kind, "index": c.index} for c in asg.cs.permutation_columns] \
        == want["assembly_permutation_columns"]
    for column, values in zip(asg.cs.fixed_columns, want.get("assembly_fixed_columns", [])):
        assert [v or 0 for v in asg.ints(column)] == [int(v, 16) for v in values]
    assert [s.tolist() for s in asg.selectors] == want["selectors"]
    mapping, aux, sizes = halo2_cycle_store(asg.copies.tolist(), len(asg.cs.permutation_columns), asg.n)
    as_lists = [[list(cell) for cell in column] for column in mapping]
    assert as_lists == want["cycle_store_mapping"]
    assert [[list(cell) for cell in column] for column in aux] == want["cycle_store_aux"]
    assert sizes == want["cycle_store_sizes"]


def test_v1_and_simple_layouts_prove_and_verify():
    """V1's table is an ordinary table: the simple example proves and verifies under both."""
    import plonk_cases as cases

    for planner in PLANNERS:
        circuit = type("Example", (SimpleExample,), {"floor_planner": planner})(CircuitParams(k=4))
        proof = pipeline.prove(circuit, cases.params(4), "chunked", "shplonk", seed=cases.PROVE_SEED).proof
        pipeline.verify(circuit, proof, cases.params(4))


# --- choosing the planner --------------------------------------------------------------------------------
def test_the_circuit_attribute_chooses_and_the_parameter_overrides():
    v1_circuit = type("Example", (SimpleExample,), {"floor_planner": "v1"})()
    assert Circuit.floor_planner == "simple"
    assert region_starts(synthesize(v1_circuit, 4).assignment) == EXPECTED[("simple", "v1")]["starts"]
    overridden = synthesize(v1_circuit, 4, floor_planner="simple").assignment
    assert region_starts(overridden) == EXPECTED[("simple", "simple")]["starts"]


def test_unknown_floor_planner_is_one_input_error():
    with pytest.raises(InputError, match=r"^unknown floor planner 'x' \(choose simple or v1\)$"):
        synthesize(SimpleExample(), 4, floor_planner="x")
    bad = type("Bad", (SimpleExample,), {"floor_planner": "v2"})()
    with pytest.raises(InputError, match=r"^unknown floor planner 'v2' \(choose simple or v1\)$"):
        synthesize(bad, 4)


# --- the planners on hand-made shapes --------------------------------------------------------------------
def planner_case(planner: str):
    """Four regions in call order Z {b}×1, W {a, b}×1, Y {a}×3, X {a, b}×2 (advice areas 1, 2,
    3, 4) in a 2-advice-column layouter."""
    cs = ConstraintSystem()
    a, b = cs.advice_column("a"), cs.advice_column("b")
    lay = Layouter(cs, 5, [], floor_planner=planner)
    lay.assign_region("Z", lambda r: r.assign_advice("z", b, 0, 1))
    lay.assign_region("W", lambda r: (r.assign_advice("w", a, 0, 2), r.assign_advice("w", b, 0, 2)))
    lay.assign_region("Y", lambda r: r.assign_advice_column("y", a, [3, 3, 3]))
    lay.assign_region("X", lambda r: (r.assign_advice_column("x", a, [4, 4]),
                                      r.assign_advice_column("x", b, [4, 4])))
    return lay.finish(), a, b


def test_simple_places_in_call_order_at_the_first_row_all_columns_are_free():
    asg, a, b = planner_case("simple")
    assert region_starts(asg) == [0, 1, 2, 5]
    assert asg.ints(a)[:8] == [None, 2, 3, 3, 3, 4, 4, None]
    assert asg.ints(b)[:8] == [1, 2, None, None, None, 4, 4, None]


def test_v1_places_biggest_advice_area_first_and_fills_gaps():
    # placement order X, Y, W, Z: X at 0; Y at 2 (a is taken on 0-1); W at 5 (a is taken to
    # row 4); Z at 2, in the gap b has between X and W
    asg, a, b = planner_case("v1")
    assert region_starts(asg) == [2, 5, 2, 0]
    assert asg.ints(a)[:7] == [4, 4, 3, 3, 3, 2, None]
    assert asg.ints(b)[:7] == [4, 4, 1, None, None, 2, None]


def test_v1_ties_go_in_reverse_call_order_and_selectors_count_as_columns():
    # advice areas 1 and 1 (neither the selector nor the fixed column adds any) → the last
    # called region is placed first, at 0; the selector is a column regions contend for, so
    # the first region cannot share rows 0-1 with it
    cs = ConstraintSystem()
    a, f, s = cs.advice_column("a"), cs.fixed_column("f"), cs.selector("s")
    planner = V1FloorPlanner()
    first, second = RegionShape(frozenset({s, a}), 1), RegionShape(frozenset({s, f}), 1)
    assert (first.advice_area, second.advice_area) == (1, 0)
    planner.place(first)
    planner.place(RegionShape(frozenset({s, a, f}), 1))
    planner.place(second)
    # areas 1, 1, 0: ascending [second, first, middle] reversed → middle, first, second
    assert planner.plan() == [1, 0, 2]


def test_v1_constants_go_after_all_regions_in_free_rows_or_fail_like_halo2():
    def build(planner, uses_constants_column):
        cs = ConstraintSystem()
        a, f = cs.advice_column("a"), cs.fixed_column("f")
        cs.enable_constant(f)
        cs.enable_equality(a)
        lay = Layouter(cs, 5, [], floor_planner=planner)

        def fill(region):
            if uses_constants_column:
                region.assign_fixed_column("f", f, [9, 9])
            region.assign_advice_from_constant("c", a, 1, 5)
        lay.assign_region("r", fill)
        return lay.finish(), f

    asg, f = build("v1", False)
    assert asg.ints(f)[:3] == [5, None, None]       # free rows of f below row 2
    asg, f = build("simple", True)
    assert asg.ints(f)[:4] == [9, 9, 5, None]        # the column's next free row
    with pytest.raises(InputError, match="v1 floor planner has 0 free row.* for 1 constants"):
        build("v1", True)


def test_copies_keep_call_order_across_single_and_bulk_copies():
    cs = ConstraintSystem()
    a = cs.advice_column("a")
    cs.enable_equality(a)
    lay = Layouter(cs, 5, [], floor_planner="v1")

    def fill(region):
        cells = [region.assign_advice("x", a, i, 1) for i in range(4)]
        region.constrain_equal(cells[0], cells[1])
        region.constrain_equal_rows(a, [1, 2], a, [2, 3])
        region.constrain_equal(cells[3], cells[0])
    lay.assign_region("r", fill)
    assert lay.finish().copies.tolist() == [[0, 0, 0, 1], [0, 1, 0, 2], [0, 2, 0, 3], [0, 3, 0, 0]]


@pytest.mark.parametrize("planner", PLANNERS)
def test_tables_pad_with_their_first_value_under_both_planners(planner):
    cs = ConstraintSystem()
    t = cs.lookup_table_column("t")
    lay = Layouter(cs, 4, [], floor_planner=planner)
    lay.assign_table("t", lambda tab: tab.assign_column("v", t, [3, 4]))
    usable = cs.usable_rows(4)
    assert lay.finish().ints(t)[:usable] == [3, 4] + [3] * (usable - 2)


def test_v1_constants_fill_free_rows_column_by_column_below_the_last_used_row():
    cs = ConstraintSystem()
    a, f, g = cs.advice_column("a"), cs.fixed_column("f"), cs.fixed_column("g")
    planner = V1FloorPlanner()
    planner.place(RegionShape(frozenset({a, f}), 1))   # area 1: placed second, at row 3
    planner.place(RegionShape(frozenset({a}), 3))      # area 3: placed first, rows 0-2
    assert planner.plan() == [3, 0]
    # rows 0 .. 3 are used; f is free on 0-2, g on 0-3
    assert planner.final_constants([f, g], 5) == [(f, 0), (f, 1), (f, 2), (g, 0), (g, 1)]
    with pytest.raises(InputError, match="has 3 free row"):
        planner.final_constants([f], 4)


@pytest.mark.parametrize("planner", PLANNERS)
def test_library_circuits_lay_out_soundly_under_both_planners(planner):
    import plonk_cases as cases

    for case in cases.CASES:
        asg = synthesize(cases.circuit(case), floor_planner=planner).assignment
        assert MockProver(asg).verify() == [], case
