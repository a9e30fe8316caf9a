"""Layouter: region placement, per-cell and bulk assignment, copies, tables, constants, bounds."""

import numpy as np
import pytest

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.frontend.constraint_system import ConstraintSystem
from halo2py.frontend.layouter import Layouter


def setup(k=5, instances=([],)):
    cs = ConstraintSystem()
    a, b = cs.advice_column("a"), cs.advice_column("b")
    q = cs.fixed_column("q")
    p = cs.instance_column("p")
    s = cs.selector("s")
    cs.enable_equality(a)
    cs.enable_equality(p)
    return cs, Layouter(cs, k, list(instances)), a, b, q, p, s


def test_regions_on_disjoint_columns_share_rows_like_simple_floor_planner():
    cs, lay, a, b, q, p, s = setup()
    lay.assign_region("r0", lambda r: [r.assign_advice("x", a, i, i + 1) for i in range(3)])
    lay.assign_region("r1", lambda r: r.assign_advice("y", b, 1, 7))          # b is free at row 0
    lay.assign_region("r2", lambda r: (r.assign_advice("z", a, 0, 9), r.assign_advice("w", b, 0, 8)))
    asg = lay.finish()
    assert [(r.name, r.start, r.rows) for r in asg.regions] == [("r0", 0, 3), ("r1", 0, 2),
                                                                 ("r2", 3, 1)]
    assert asg.ints(a)[:5] == [1, 2, 3, 9, None]
    assert asg.ints(b)[:5] == [None, 7, None, 8, None]
    assert asg.advice_owner[0][:5].tolist() == [0, 0, 0, 2, -1]


def test_values_are_reduced_mod_r_and_stored_in_montgomery_form():
    cs, lay, a, b, q, p, s = setup()
    cells = lay.assign_region("r", lambda r: [r.assign_advice("neg", a, 0, -1),
                                              r.assign_fixed("big", q, 0, R + 3)])
    asg = lay.finish()
    assert cells[0].value == R - 1 and asg.value(a, 0) == R - 1 and asg.value(q, 0) == 3
    assert np.array_equal(asg.values(a)[0], np.array(Fr.to_mont(R - 1), dtype=np.uint64))
    with pytest.raises(InputError, match="integers"):
        Layouter(cs, 5, [[]]).assign_region("r", lambda r: r.assign_advice("f", a, 0, 0.5))


def test_bulk_assignment_accepts_ints_and_fr_vectors():
    cs, lay, a, b, q, p, s = setup()

    def fill(r):
        r.assign_advice_column("a", a, [5, 6, 7], offset=1)
        r.assign_fixed_column("q", q, Fr.from_ints([1, 2]))
        r.enable_selector_range(s, 0, 3)
    lay.assign_region("bulk", fill)
    asg = lay.finish()
    assert asg.ints(a)[:5] == [None, 5, 6, 7, None]
    assert asg.ints(q)[:3] == [1, 2, None]
    assert asg.selectors[0][:4].tolist() == [True, True, True, False]
    assert asg.regions[0].rows == 4


def test_copies_resolve_to_absolute_rows_in_permutation_column_order():
    cs, lay, a, b, q, p, s = setup(instances=([11, 12],))
    lay.assign_region("pad", lambda r: r.assign_advice("x", a, 1, 0))
    cell = lay.assign_region("r", lambda r: r.assign_advice_from_instance("x", p, 1, a, 0))
    lay.constrain_instance(cell, p, 0)

    def bulk(r):
        r.assign_advice_column("a", a, [1, 2, 3, 4])
        r.constrain_equal_rows(a, [0, 1], a, [2, 3])
    lay.assign_region("bulk", bulk)
    asg = lay.finish()
    assert cell.value == 12 and asg.value(a, 2) == 12
    # halo2's directions: copy(advice, instance) for both assign_advice_from_instance and
    # constrain_instance
    assert asg.copies.tolist() == [[0, 2, 1, 1], [0, 2, 1, 0], [0, 3, 0, 5], [0, 4, 0, 6]]
    assert asg.copy_pairs()[0] == ((a, 2), (p, 1))


def test_copy_on_a_column_without_equality_is_an_input_error():
    cs, lay, a, b, q, p, s = setup()
    with pytest.raises(InputError, match="enable_equality\\(b\\)"):
        lay.assign_region("r", lambda r: r.constrain_equal(r.assign_advice("x", b, 0, 1),
                                                           r.assign_advice("y", a, 0, 1)))


def test_cell_copy_advice():
    cs, lay, a, b, q, p, s = setup()
    cs.enable_equality(b)
    first = lay.assign_region("r0", lambda r: r.assign_advice("x", a, 0, 42))
    second = lay.assign_region("r1", lambda r: first.copy_advice("x'", r, b, 0))
    asg = lay.finish()
    assert second.value == 42 and asg.value(b, second.offset) == 42
    assert asg.copy_pairs() == [((b, 0), (a, 0))]   # halo2: copy(new cell, source cell)


def test_tables_pad_with_their_first_value():
    cs = ConstraintSystem()
    t = cs.lookup_table_column("t")
    lay = Layouter(cs, 4, [])
    lay.assign_table("t", lambda tab: tab.assign_column("v", t, [3, 4, 5]))
    asg = lay.finish()
    usable = cs.usable_rows(4)
    assert asg.ints(t)[:usable] == [3, 4, 5] + [3] * (usable - 3)
    assert asg.ints(t)[usable:] == [None] * (16 - usable)


def test_table_errors():
    cs = ConstraintSystem()
    t = cs.lookup_table_column("t")
    f = cs.fixed_column("f")
    lay = Layouter(cs, 4, [])
    with pytest.raises(InputError, match="not a lookup_table_column"):
        lay.assign_table("x", lambda tab: tab.assign_cell("v", f, 0, 1))
    with pytest.raises(InputError, match="contiguously"):
        Layouter(cs, 4, []).assign_table("gap", lambda tab: tab.assign_cell("v", t, 2, 1))
    with pytest.raises(InputError, match="assign_table"):
        lay.assign_region("r", lambda r: r.assign_fixed("v", t, 0, 1))
    lay.assign_table("once", lambda tab: tab.assign_cell("v", t, 0, 1))
    with pytest.raises(InputError, match="two tables"):
        lay.assign_table("twice", lambda tab: tab.assign_cell("v", t, 0, 1))


def test_constants_get_one_cell_each_like_halo2():
    # halo2 gives every constrain_constant call its own constants cell (no sharing by value)
    # and emits copy(constants cell, advice cell)
    cs, lay, a, b, q, p, s = setup()
    cs.enable_constant(q)
    lay.assign_region("r", lambda r: [r.assign_advice_from_constant("c", a, i, v)
                                      for i, v in enumerate([7, 8, 7])])
    asg = lay.finish()
    assert asg.regions[-1].name == "constants"
    assert asg.ints(q)[:4] == [7, 8, 7, None]
    assert asg.copy_pairs() == [((q, 0), (a, 0)), ((q, 1), (a, 1)), ((q, 2), (a, 2))]


def test_constrain_constant_needs_a_constants_column():
    cs, lay, a, b, q, p, s = setup()
    with pytest.raises(InputError, match="enable_constant"):
        lay.assign_region("r", lambda r: r.assign_advice_from_constant("c", a, 0, 1))


def test_overflow_reports_the_k_that_fits():
    cs, lay, a, b, q, p, s = setup(k=4)          # 16 rows, 10 usable
    lay.assign_region("big", lambda r: r.assign_advice_column("a", a, range(30)))
    with pytest.raises(InputError, match="needs 30 rows but k=4 has only 10 usable rows; use k >= 6"):
        lay.finish()


def test_instance_shape_is_checked():
    cs = ConstraintSystem()
    cs.instance_column("p")
    with pytest.raises(InputError, match="1 instance column"):
        Layouter(cs, 4, [])
    with pytest.raises(InputError, match="usable rows"):
        Layouter(cs, 4, [list(range(11))])


def test_bad_offsets_and_columns():
    cs, lay, a, b, q, p, s = setup()
    with pytest.raises(InputError, match="negative offset"):
        lay.assign_region("r", lambda r: r.assign_advice("x", a, -1, 0))
    with pytest.raises(InputError, match="not a declared advice column"):
        lay.assign_region("r", lambda r: r.assign_advice("x", q, 0, 0))
    with pytest.raises(InputError, match="not a declared selector"):
        lay.assign_region("r", lambda r: r.enable_selector(ConstraintSystem().selector("z"), 0))
