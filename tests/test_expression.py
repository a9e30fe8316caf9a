"""Expression trees: construction, coercion, degree, printing, equality, and direct evaluation.

Evaluation is checked against a small recursive reference written here over Python ints, on
random trees drawn by hypothesis.
"""

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.middleware.expression import (
    Challenge,
    Column,
    Constant,
    Negated,
    Product,
    Query,
    Scaled,
    Selector,
    Sum,
    VariableX,
)

A = Column("advice", 0, "a")
B = Column("advice", 1, "b")
F = Column("fixed", 0, "q")
P = Column("instance", 0, "p")
S = Selector(0, "s")


def test_operators_build_halo2_nodes():
    a, b = A.cur(), B.next()
    assert a + b == Sum(a, b)
    assert a - b == Sum(a, Negated(b))
    assert a * b == Product(a, b)
    assert -a == Negated(a)
    assert a * 3 == Scaled(a, 3) and 3 * a == Scaled(a, 3)
    assert 1 - a == Sum(Constant(1), Negated(a))
    assert a + 5 == Sum(a, Constant(5))
    assert A.prev() == Query(A, -1) and A.rot(7) == Query(A, 7)


def test_ints_are_canonical_mod_r():
    assert Constant(-1).value == R - 1
    assert Constant(R + 5) == Constant(5)
    assert (A.cur() * -2).factor == R - 2
    with pytest.raises(TypeError):
        A.cur() + 1.5
    with pytest.raises(TypeError):
        Constant(True)


def test_column_kind_is_checked():
    with pytest.raises(ValueError):
        Column("witness", 0, "w")


def test_degree():
    a, b, q = A.cur(), B.cur(), F.cur()
    assert Constant(3).degree() == 0
    assert Challenge(0, "theta").degree() == 0
    assert a.degree() == 1 and S.degree() == 1 and VariableX().degree() == 1
    assert (S * (a * b - q)).degree() == 3
    assert (a * 7 + 1).degree() == 1
    assert (-(a * b * q * S)).degree() == 4
    assert (a ** 5).degree() == 5
    assert (S * (a ** 5 - b)).degree() == 6


def test_power_is_a_product_chain():
    a = A.cur()
    assert a ** 1 == a
    assert a ** 2 == Product(a, a)
    value = (a ** 7).evaluate_int(selector=lambda s: 0, query=lambda q: 3)
    assert value == 3 ** 7
    with pytest.raises(ValueError):
        a ** 0


def test_pretty_printing():
    a, b = A.cur(), A.next()
    assert str(S * (a + b - A.rot(2))) == "s * (a[0] + a[+1] - a[+2])"
    assert str(a * B.prev() * 3) == "a[0] * b[-1] * 3"
    assert str(-(a + 1)) == "-(a[0] + 1)"
    assert str(a - (b - 1)) == "a[0] - (a[+1] - 1)"
    assert str(a - a * b) == "a[0] - a[0] * a[+1]"
    assert str(Constant(-1)) == "-1"
    assert str(Constant(1 << 100)) == hex(1 << 100)
    assert str(P.cur() + Challenge(0, "theta") * VariableX()) == "p[0] + theta * X"
    assert repr(a + 1) == "Sum(a[0] + 1)"


def test_structural_equality_and_hash():
    e1 = S * (A.cur() + B.next())
    e2 = S * (A.cur() + B.next())
    assert e1 == e2 and hash(e1) == hash(e2) and e1 is not e2
    assert e1 != S * (A.cur() + B.cur())
    assert Constant(1) != Scaled(Constant(1), 1)
    assert len({e1, e2, A.cur()}) == 2


def test_nodes_deduplicates_shared_subtrees():
    shared = A.cur() * B.cur()
    expr = shared + (shared + shared)
    kinds = [type(n).__name__ for n in expr.nodes()]
    assert kinds.count("Product") == 1 and kinds.count("Query") == 2
    assert expr.nodes()[-1] == expr  # post-order: root last


def test_pickle_round_trip_recomputes_hash():
    expr = S * (A.cur() * 5 - Constant(-3)) + Challenge(1, "beta") * VariableX()
    back = pickle.loads(pickle.dumps(expr))
    assert back == expr and hash(back) == hash(expr)


def test_long_sums_do_not_recurse():
    big = sum((A.rot(i) for i in range(3000)), Constant(0))
    assert big.degree() == 1
    assert big.evaluate_int(selector=lambda s: 0, query=lambda q: q.rotation) == sum(range(3000))
    assert len(big.queries()) == 3000


def test_queries_selectors_challenges():
    expr = S * (A.cur() + A.next()) + Challenge(0, "theta") * F.cur()
    assert expr.queries() == {A.cur(), A.next(), F.cur()}
    assert expr.selectors() == {S}
    assert expr.challenges() == {Challenge(0, "theta")}


def test_evaluate_requires_challenge_and_x_values():
    with pytest.raises(ValueError):
        (Challenge(0, "y") + 1).evaluate_int(selector=lambda s: 0, query=lambda q: 0)
    with pytest.raises(ValueError):
        (VariableX() + 1).evaluate_int(selector=lambda s: 0, query=lambda q: 0)
    assert (VariableX() * 2).evaluate_int(selector=lambda s: 0, query=lambda q: 0, x=R + 4) == 8


# --- evaluation against a reference on random trees -------------------------------------------
LEAVES = [A.cur(), A.next(), B.prev(), F.cur(), P.cur(), S, Challenge(0, "theta"), VariableX()]
field = st.integers(min_value=0, max_value=R - 1)


def trees():
    leaf = st.one_of(st.sampled_from(LEAVES), st.integers(-(1 << 70), 1 << 70).map(Constant))
    return st.recursive(leaf, lambda sub: st.one_of(
        sub.map(Negated),
        st.tuples(sub, sub).map(lambda t: Sum(*t)),
        st.tuples(sub, sub).map(lambda t: Product(*t)),
        st.tuples(sub, st.integers(-(1 << 80), 1 << 80)).map(lambda t: Scaled(*t)),
    ), max_leaves=24)


def reference(expr, env):
    """Plain recursion over the node kinds, independent of Expression.fold."""
    if isinstance(expr, Constant):
        return expr.value
    if isinstance(expr, (Query, Selector, Challenge)):
        return env[expr]
    if isinstance(expr, VariableX):
        return env["x"]
    if isinstance(expr, Negated):
        return -reference(expr.inner, env) % R
    if isinstance(expr, Sum):
        return (reference(expr.left, env) + reference(expr.right, env)) % R
    if isinstance(expr, Product):
        return reference(expr.left, env) * reference(expr.right, env) % R
    return reference(expr.inner, env) * expr.factor % R


@given(trees(), st.lists(field, min_size=len(LEAVES), max_size=len(LEAVES)))
def test_evaluate_int_matches_reference(expr, values):
    env = dict(zip(LEAVES, values))
    env["x"] = env[VariableX()]
    got = expr.evaluate_int(selector=lambda s: env[s], query=lambda q: env[q],
                            challenge=lambda c: env[c], x=env["x"])
    assert got == reference(expr, env)


@given(trees())
def test_degree_matches_reference(expr):
    def deg(e):
        if isinstance(e, (Constant, Challenge)):
            return 0
        if isinstance(e, (Query, Selector, VariableX)):
            return 1
        if isinstance(e, Product):
            return deg(e.left) + deg(e.right)
        if isinstance(e, Sum):
            return max(deg(e.left), deg(e.right))
        return deg(e.inner)

    assert expr.degree() == deg(expr)
