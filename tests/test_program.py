"""The constraint-program compiler and its kernel, against direct evaluation of the trees."""

import pickle
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo2py import conformance
from halo2py.arith import ifma
from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.middleware.expression import (
    Challenge, Column, Constant, Negated, Product, Scaled, Selector, Sum, VariableX,
)
from halo2py.quotient import program as P
from halo2py.quotient.evaluate import BLOCK, evaluate
from halo2py.quotient.program import CompileError, compile_program

COLUMNS = [Column("advice", 0, "a"), Column("advice", 1, "b"), Column("fixed", 0, "q"),
           Column("instance", 0, "i"), Column("internal", 0, "z")]
SLOT = {column: i for i, column in enumerate(COLUMNS)}
a, b, q, inst, z = COLUMNS
SPECIAL = [0, 1, 2, R - 1, R - 2]


@pytest.fixture(scope="module", autouse=True, params=[
    False, pytest.param(True, marks=pytest.mark.skipif(not ifma.cpu_has_ifma(), reason="no IFMA"))],
    ids=["scalar", "ifma"])
def kernel(request):
    """Every evaluator test runs on the scalar kernel and on the IFMA one (module scope: the
    hypothesis tests take no function-scoped fixtures)."""
    ifma.set_enabled(request.param)
    yield request.param
    ifma.set_enabled(None)


def slot_of(column):
    return SLOT[column]


def reference(expressions, values, rot_scale, start, end, x0, x_step, challenges, y):
    """Horner fold of the trees over Python ints, one list of rows per node — independent of
    the compiler (no folding, no sharing, no registers)."""
    n = len(values[0])
    rows = range(start, end)

    def vec(f):
        return lambda *args: [f(*vals) % R for vals in zip(*args)]

    acc = [0] * len(rows)
    for expr in expressions:
        col = expr.evaluate(
            constant=lambda v: [v] * len(rows),
            selector=None,
            query=lambda qu: [values[SLOT[qu.column]][(r + qu.rotation * rot_scale) % n]
                              for r in rows],
            challenge=lambda c: [challenges[c.index] % R] * len(rows),
            variable_x=lambda: [x0 * pow(x_step, r, R) % R for r in rows],
            negated=vec(lambda u: -u),
            sum=vec(lambda u, v: u + v),
            product=vec(lambda u, v: u * v),
            scaled=lambda u, f: [w * f % R for w in u],
        )
        acc = [(s * y + c) % R for s, c in zip(acc, col)]
    return acc


def run(expressions, values, rot_scale, start, end, x0, x_step, challenges, y, out=None,
        accumulate=False):
    program = compile_program(expressions, slot_of)
    stack = np.stack([Fr.from_ints(v) for v in values])
    if out is None:
        out = np.empty((end - start, 4), dtype=np.uint64)
    evaluate(program, stack, rot_scale, start, end, x0, x_step, challenges, y, out, accumulate)
    return Fr.to_ints(out)


def random_columns(rng, n):
    return [[rng.choice(SPECIAL) if rng.random() < 0.1 else rng.randrange(R) for _ in range(n)]
            for _ in COLUMNS]


# ---- random expression trees --------------------------------------------------------------------
field = st.one_of(st.sampled_from(SPECIAL), st.integers(0, R - 1))
leaves = st.one_of(
    field.map(Constant),
    st.builds(lambda c, r: c.rot(r), st.sampled_from(COLUMNS), st.integers(-2, 2)),
    st.integers(0, 2).map(lambda i: Challenge(i, f"ch{i}")),
    st.just(VariableX()),
)


def _branches(children):
    return st.one_of(
        children.map(Negated),
        st.builds(Sum, children, children),
        st.builds(Product, children, children),
        st.builds(lambda e, f: e - f, children, children),
        st.builds(Scaled, children, field),
        children.map(lambda e: Product(e, e)),           # squares
        children.map(lambda e: Sum(e, e)),               # doubles
        children.map(lambda e: Sum(e, Negated(e))),      # e − e
        st.builds(lambda e, f: Sum(Product(e, f), Product(f, e)), children, children),
    )


expressions = st.recursive(leaves, _branches, max_leaves=14)


@given(exprs=st.lists(expressions, min_size=1, max_size=4),
       n=st.integers(1, 3 * BLOCK + 5), rot_scale=st.sampled_from([1, 2, 4]),
       seed=st.integers(0, 2**32), data=st.data())
def test_kernel_matches_tree_evaluation(exprs, n, rot_scale, seed, data):
    rng = random.Random(seed)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    values = random_columns(rng, n)
    args = (rot_scale, start, end, rng.randrange(R), rng.choice([1, rng.randrange(R)]),
            [rng.randrange(R) for _ in range(3)], rng.randrange(R))
    assert run(exprs, values, *args) == reference(exprs, values, *args)


def test_every_opcode_agrees_with_the_tree():
    theta = Challenge(0, "theta")
    exprs = [1 - a.cur(), theta - b.cur(), a.cur() - theta, (q.cur() + 3) * theta,
             -(a.cur() * b.cur()), a.cur() * a.cur() + a.cur() * 2, z.cur() * VariableX(),
             theta * theta + 1, inst.next(), b.cur() - q.prev()]
    program = compile_program(exprs, slot_of)
    used = set(opcodes(program))
    assert used == {P.LOAD, P.LOAD_X, P.ADD, P.SUB, P.MUL, P.NEG, P.SQUARE, P.DOUBLE, P.ADD_S,
                    P.SUB_S, P.RSUB_S, P.MUL_S, P.HORNER, P.HORNER_S}
    rng = random.Random(7)
    values = random_columns(rng, 3 * BLOCK)
    args = (2, 5, 3 * BLOCK, rng.randrange(R), rng.randrange(R), [rng.randrange(R)], 31)
    assert run(exprs, values, *args) == reference(exprs, values, *args)


def test_many_blocks_wraparound_and_x():
    """Rows spanning several blocks and parallel tasks; rotations wrap both ends of the set."""
    rng = random.Random(5)
    n = 13 * BLOCK + 7
    values = random_columns(rng, n)
    theta = Challenge(0, "theta")
    exprs = [z.next() * (a.cur() + theta * q.cur() + 5) - z.cur() * (a.cur() + VariableX() * theta),
             a.rot(-2) * b.rot(2) - inst.cur(),
             VariableX() * VariableX() - q.prev()]
    for start, end in [(0, n), (3, n - 1), (BLOCK - 1, 2 * BLOCK + 1)]:
        args = (4, start, end, rng.randrange(R), rng.randrange(R), [rng.randrange(R)], 99)
        assert run(exprs, values, *args) == reference(exprs, values, *args)


def test_accumulate_continues_the_horner_fold():
    rng = random.Random(1)
    n = 2 * BLOCK + 3
    values = random_columns(rng, n)
    first = [a.cur() * b.next() - q.cur(), Constant(7)]
    second = [inst.cur() + z.prev(), a.cur() * Challenge(1, "c")]
    args = (2, 1, n, 3, 5, [11, 13], 17)
    out = np.empty((n - 1, 4), dtype=np.uint64)
    run(first, values, *args, out=out)
    got = run(second, values, *args, out=out, accumulate=True)
    assert got == reference(first + second, values, *args)


def test_one_output_is_the_expression_itself():
    rng = random.Random(2)
    values = random_columns(rng, 40)
    expr = a.cur() * a.cur() * b.cur() + Challenge(0, "theta")
    got = run([expr], values, 1, 0, 40, 0, 1, [123], rng.randrange(R))
    assert got == [(x * x * w + 123) % R for x, w in zip(values[0], values[1])]


def test_challenges_are_read_at_evaluation_time():
    """A program compiles once and is reused across proofs with fresh challenges."""
    rng = random.Random(3)
    values = random_columns(rng, 20)
    stack = np.stack([Fr.from_ints(v) for v in values])
    exprs = [a.cur() * Challenge(0, "beta") + Challenge(1, "gamma") * Challenge(0, "beta") * 3]
    program = compile_program(exprs, slot_of)
    for challenges in ([2, 3], [rng.randrange(R), rng.randrange(R)]):
        out = np.empty((20, 4), dtype=np.uint64)
        evaluate(program, stack, 1, 0, 20, 1, 1, challenges, 5, out)
        assert Fr.to_ints(out) == reference(exprs, values, 1, 0, 20, 1, 1, challenges, 5)


# ---- what the compiler emits --------------------------------------------------------------------
def opcodes(program):
    return program.ops[:, 0].tolist()


def test_repeated_subtrees_and_queries_are_computed_once():
    def t():  # built afresh each call: equal by structure, not by identity
        return (a.cur() + b.cur()) * (q.cur() + inst.next())

    alone = compile_program([t()], slot_of)
    assert opcodes(alone).count(P.LOAD) == 4
    twice = compile_program([t(), t() * t() + t(), a.cur() - t()], slot_of)
    assert opcodes(twice).count(P.LOAD) == 4
    # t and its Horner step, then t², + t, Horner, then a − t, Horner: nothing is recomputed
    assert len(twice.ops) == len(alone.ops) + 3 + 2
    assert opcodes(twice).count(P.SQUARE) == 1


@pytest.mark.parametrize("expr", [
    a.cur() * 1, a.cur() + 0, 0 + a.cur(), Scaled(a.cur(), 1), -(-a.cur()),
    a.cur() * 1 + (b.cur() - b.cur()), (a.cur() * 0 + 1) * a.cur(), a.cur() - 0 * q.cur(),
])
def test_trivial_constants_fold_away(expr):
    assert opcodes(compile_program([expr], slot_of)) == [P.LOAD, P.HORNER]


def test_row_independent_outputs_need_no_registers():
    program = compile_program([Constant(5) * 3 - 15, Challenge(0, "c") * 2 + 1], slot_of)
    assert opcodes(program) == [P.HORNER_S, P.HORNER_S]
    assert program.n_registers == 0 and len(program.queries) == 0
    assert np.array_equal(program.scalar_table([10]), Fr.from_ints([0, 2, 1, 10, 20, 21]))


def test_multiplying_by_minus_one_and_two_avoids_multiplications():
    program = compile_program([Scaled(a.cur(), R - 1), a.cur() * 2], slot_of)
    assert opcodes(program) == [P.LOAD, P.NEG, P.HORNER, P.DOUBLE, P.HORNER]


def test_registers_are_reused():
    """A long sum of distinct products over many queries needs a handful of registers, not one
    per node or per query (queries are re-loaded rather than held)."""
    cols = [a, b, q, inst, z]
    expr = Constant(0)
    for i in range(200):
        expr = expr + cols[i % 5].rot(i % 7 - 3) * cols[(i + 1) % 5].rot(i % 11 - 5)
    program = compile_program([expr, expr * expr], slot_of)
    assert len(program.queries) == len(expr.queries())
    assert program.n_registers <= 8  # without liveness: one per node; without re-loads: 90+
    rng = random.Random(4)
    values = random_columns(rng, 50)
    args = (1, 0, 50, 1, 1, [], 7)
    assert run([expr, expr * expr], values, *args) == reference([expr, expr * expr], values, *args)


def test_program_pickles_and_describes():
    exprs = [a.next() * Challenge(0, "theta") - VariableX(), Constant(3)]
    program = compile_program(exprs, slot_of)
    clone = pickle.loads(pickle.dumps(program))
    for name in ("ops", "queries", "constants", "scalar_ops"):
        assert np.array_equal(getattr(clone, name), getattr(program, name))
    text = program.describe()
    assert "a[+1]" in text and "challenge[0]" in text and "X" in text
    assert text.count("acc = acc * y") == 2


# ---- errors -------------------------------------------------------------------------------------
def test_compile_errors_name_the_problem():
    with pytest.raises(CompileError, match="selector 'q_add'"):
        compile_program([a.cur() * Selector(0, "q_add")], slot_of)
    stranger = Column("advice", 9, "stranger")
    with pytest.raises(CompileError, match="'stranger' has no slot"):
        compile_program([stranger.cur()], slot_of)
    with pytest.raises(CompileError, match="not a non-negative int"):
        compile_program([a.cur()], lambda column: -1)
    with pytest.raises(CompileError, match="constraint 1 is a int"):
        compile_program([a.cur(), 5], slot_of)


def test_evaluate_rejects_bad_arguments():
    program = compile_program([z.cur() * Challenge(1, "c")], slot_of)
    stack = np.zeros((5, 8, 4), dtype=np.uint64)
    out = np.zeros((8, 4), dtype=np.uint64)
    with pytest.raises(ValueError, match="column stack has 4 columns"):
        evaluate(program, stack[:4], 1, 0, 8, 1, 1, [1, 2], 1, out)
    with pytest.raises(ValueError, match="shape \\(C, N, 4\\)"):
        evaluate(program, stack[0], 1, 0, 8, 1, 1, [1, 2], 1, out)
    with pytest.raises(ValueError, match="not within 0..8"):
        evaluate(program, stack, 1, 4, 9, 1, 1, [1, 2], 1, out[:5])
    with pytest.raises(ValueError, match="out must be"):
        evaluate(program, stack, 1, 0, 8, 1, 1, [1, 2], 1, out[:7])
    with pytest.raises(ValueError, match="reads challenge 1"):
        evaluate(program, stack, 1, 0, 8, 1, 1, [1], 1, out)
    with pytest.raises(ValueError, match="rot_scale"):
        evaluate(program, stack, 0, 0, 8, 1, 1, [1, 2], 1, out)


@pytest.mark.skipif(not ifma.cpu_has_ifma(), reason="this CPU has no AVX-512 IFMA")
@pytest.mark.parametrize("case", conformance._variants(conformance.circuit_cases()), ids=str)
def test_ifma_kernel_is_bit_identical_on_every_library_circuit(case, kernel):
    """Every library circuit's quotient program (each dialect and the two-copy fold) on random
    columns, rotations scaled as legacy scales them, rows cut so a block ends part-way: the
    IFMA kernel's bits are the scalar kernel's."""
    circuit, k, params, lookup, copies = case
    task = conformance._task(circuit, k, params, 3, lookup, copies)
    rng = random.Random(str(case)).randbytes
    n = 4 * BLOCK
    stack = np.stack([Fr.random(n, rng) for _ in task.polys])
    start = Fr.random(n - 3, rng)  # accumulate onto earlier values: out's reads are exercised too
    outs = []
    for flag in (False, True):
        ifma.set_enabled(flag)
        out = start.copy()
        evaluate(task.program, stack, 2, 1, n - 2, 5, 7,
                 task.challenges, task.y, out, accumulate=True)
        outs.append(out)
    ifma.set_enabled(kernel)  # the module's other tests keep the kernel they were given
    assert np.array_equal(outs[0], outs[1])
