"""ConstraintSystem: allocation, gates and lookups, validation, and the derived protocol shape."""

import pytest

from halo2py.errors import InputError
from halo2py.frontend.constraint_system import ConstraintSystem
from halo2py.middleware.expression import Challenge, Column, Constant, VariableX


def make():
    cs = ConstraintSystem()
    a, b = cs.advice_column("a"), cs.advice_column("b")
    q = cs.fixed_column("q")
    p = cs.instance_column("p")
    s = cs.selector("s")
    return cs, a, b, q, p, s


def test_columns_are_numbered_per_kind_in_declaration_order():
    cs, a, b, q, p, s = make()
    t = cs.lookup_table_column("t")
    assert (a.index, b.index, q.index, t.index, p.index, s.index) == (0, 1, 0, 1, 0, 0)
    assert cs.advice_columns == [a, b] and cs.fixed_columns == [q, t]
    assert cs.table_columns == [t]
    assert cs.advice_column().name == "advice_2"
    with pytest.raises(InputError, match="declared twice"):
        cs.fixed_column("a")


def test_gate_forms_and_names():
    cs, a, b, q, p, s = make()
    g = cs.create_gate("g", lambda meta: [
        ("sum", meta.query_selector(s) * (meta.query_advice(a) + meta.query_advice(b, 1))),
        meta.query_fixed(q) * a.prev(),
    ])
    assert [c.name for c in g.constraints] == ["sum", ""]
    assert [c.index for c in g.constraints] == [0, 1]
    assert g.degree() == 2 and g.selectors() == {s}
    assert g.queries() == [a.cur(), b.next(), q.cur(), a.prev()]
    g2 = cs.create_gate("direct", [s * (a.cur() - 1)])
    assert g2.index == 1 and cs.gates == [g, g2]


def test_degree_is_max_of_permutation_gates_and_lookups():
    cs, a, b, q, p, s = make()
    assert cs.degree() == 3  # the permutation argument alone
    cs.create_gate("deg2", [s * a.cur()])
    assert cs.degree() == 3
    cs.lookup("simple", [(a.cur(), q)])  # 2 + 1 + 1
    assert cs.degree() == 4 and cs.lookups[0].degree() == 4
    c = cs.complex_selector("c")
    cs.lookup("selected", lambda meta: [(meta.query_selector(c) * meta.query_advice(a), q)])
    assert cs.lookups[1].degree() == 5
    with pytest.raises(InputError, match="simple selector 's' may not be used in a lookup"):
        cs.lookup("simple selector", lambda meta: [(meta.query_selector(s) * meta.query_advice(a), q)])
    cs.create_gate("deg6", [s * a.cur() ** 5])
    assert cs.degree() == 6


@pytest.mark.parametrize("degree,extension", [(3, 2), (4, 4), (5, 4), (6, 8), (9, 8), (10, 16)])
def test_quotient_extension(degree, extension):
    cs, a, b, q, p, s = make()
    cs.create_gate("g", [a.cur() ** degree])
    assert cs.degree() == degree and cs.quotient_extension() == extension


def test_blinding_rows_follow_the_most_queried_advice_column():
    cs, a, b, q, p, s = make()
    assert cs.blinding_factors() == 5
    cs.create_gate("rot", [s * (a.cur() + a.next() + a.prev())])
    assert cs.max_advice_queries() == 3 and cs.blinding_factors() == 5
    cs.create_gate("more", [s * a.rot(2) * b.cur()])
    assert cs.max_advice_queries() == 4 and cs.blinding_factors() == 6
    assert cs.minimum_rows() == 9
    assert cs.usable_rows(5) == 32 - 6 - 1


def test_minimum_k():
    cs, a, b, q, p, s = make()
    assert cs.minimum_k(1) == 3           # 8 rows >= minimum_rows 8, 2 usable
    assert cs.minimum_k(26) == 5          # 32 - 6 = 26 usable
    assert cs.minimum_k(27) == 6


def test_queries_per_kind_include_equality_columns():
    cs, a, b, q, p, s = make()
    cs.enable_equality(p)
    cs.create_gate("g", [s * (a.next() - q.cur() * p.cur())])
    cs.enable_equality(b)
    cs.enable_equality(b)
    assert cs.permutation_columns == [p, b]
    assert cs.advice_queries == [a.next(), b.cur()]
    assert cs.fixed_queries == [q.cur()]
    assert cs.instance_queries == [p.cur()]


def test_enable_constant_registers_an_equality_fixed_column():
    cs, a, b, q, p, s = make()
    cs.enable_constant(q)
    assert cs.constants_columns == [q] and q in cs.permutation_columns
    with pytest.raises(InputError, match="fixed"):
        cs.enable_constant(a)


@pytest.mark.parametrize("bad", [
    lambda a, q, s: Column("advice", 7, "ghost").cur(),          # never declared
    lambda a, q, s: Column("advice", 0, "impostor").cur() * s,   # same index, other column
    lambda a, q, s: Column("internal", 0, "z").cur(),            # prover-only column
    lambda a, q, s: Challenge(0, "theta") * a.cur(),
    lambda a, q, s: VariableX() * a.cur(),
])
def test_malformed_gates_are_input_errors(bad):
    cs, a, b, q, p, s = make()
    with pytest.raises(InputError, match="gate 'bad'"):
        cs.create_gate("bad", [bad(a, q, s)])
    assert cs.gates == []


def test_gate_validation_messages():
    cs, a, b, q, p, s = make()
    other = ConstraintSystem()
    foreign = other.selector("s2")
    with pytest.raises(InputError, match="has no constraints"):
        cs.create_gate("empty", lambda meta: [])
    with pytest.raises(InputError, match="selector 's2' was not declared"):
        cs.create_gate("foreign", [foreign * a.cur()])
    with pytest.raises(InputError, match="expected an expression"):
        cs.create_gate("junk", ["a + b"])
    with pytest.raises(InputError, match="query_fixed called on advice"):
        cs.create_gate("kind", lambda meta: [meta.query_fixed(a)])


def test_lookup_validation():
    cs, a, b, q, p, s = make()
    with pytest.raises(InputError, match="only use fixed columns"):
        cs.lookup("advice table", [(a.cur(), b)])
    with pytest.raises(InputError, match="may not use selectors"):
        cs.lookup("selector table", [(a.cur(), s * q.cur())])
    with pytest.raises(InputError, match="pair"):
        cs.lookup("not pairs", [a.cur()])
    with pytest.raises(InputError, match="no \\(input, table\\) pairs"):
        cs.lookup("empty", [])
    lk = cs.lookup("tuple", [(a.cur(), q), (b.cur() * 2, q.cur() + 1)])
    assert lk.inputs == (a.cur(), b.cur() * 2) and lk.tables == (q.cur(), q.cur() + 1)
    assert cs.lookup("const", [(Constant(0), q)]).input_degree() == 1
