"""The AVX-512 IFMA lane kernels against Python-int references, and the run-time switch."""

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numba import njit

from halo2py.arith import ifma
from halo2py.arith.constants import FQ
from halo2py.errors import InputError

P = FQ.p
R_INV = FQ.r_inv
needs_ifma = pytest.mark.skipif(not ifma.cpu_has_ifma(), reason="this CPU has no AVX-512 IFMA")
EDGES = [0, 1, 2, P - 1, P - 2, 1 << 252, (1 << 253) + 12345, P - (1 << 200), (1 << 64) - 1, 1 << 208]


def to_block(values) -> np.ndarray:
    """Canonical ints (a multiple of 8 of them) → a (rows, 4, 8) lane block of 64-bit limbs."""
    out = np.zeros((len(values) // 8, 4, 8), dtype=np.uint64)
    for k, v in enumerate(values):
        for i in range(4):
            out[k // 8, i, k % 8] = (v >> (64 * i)) & ((1 << 64) - 1)
    return out


def from_block(block) -> list:
    return [sum(int(block[r, i, j]) << (64 * i) for i in range(4))
            for r in range(block.shape[0]) for j in range(8)]


@njit(cache=True)
def _run(op, a64, b64, out64, out52):
    rows = a64.shape[0]
    a52 = np.empty((rows, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
    b52 = np.empty_like(a52)
    for r in range(rows):
        ifma.pack(a52, r, a64, r)
        ifma.pack(b52, r, b64, r)
        if op == 0:
            ifma.fq_mul(out52, r, a52, r, b52, r)
        elif op == 1:
            ifma.fq_sub(out52, r, a52, r, b52, r)
        else:  # in place: out aliases an input
            out52[r] = a52[r]
            ifma.fq_mul(out52, r, out52, r, b52, r)
        ifma.unpack(out64, r, out52, r)


def run(op, xs, ys):
    a, b = to_block(xs), to_block(ys)
    out64 = np.zeros_like(a)
    out52 = np.zeros((a.shape[0], ifma.LIMBS, ifma.LANES), dtype=np.uint64)
    _run(op, a, b, out64, out52)
    return from_block(out64), out52


def operands(seed, n=64):
    rnd = random.Random(seed)
    xs = [rnd.randrange(P) for _ in range(n)] + EDGES * len(EDGES)
    ys = [rnd.randrange(P) for _ in range(n)] + [e for e in EDGES for _ in EDGES]
    pad = -len(xs) % 8
    return xs + [0] * pad, ys + [P - 1] * pad


@needs_ifma
@given(st.integers(0, 2**32))
def test_mul_and_sub_match_python_ints(seed):
    xs, ys = operands(seed)
    got, raw = run(0, xs, ys)
    assert got == [x * y * R_INV % P for x, y in zip(xs, ys)]  # Montgomery: x·y / 2^256
    assert (raw < (1 << ifma.BITS)).all()  # outputs stay normalized 52-bit limbs
    assert run(1, xs, ys)[0] == [(x - y) % P for x, y in zip(xs, ys)]
    assert run(2, xs, ys)[0] == [x * y * R_INV % P for x, y in zip(xs, ys)]


@needs_ifma
def test_pack_unpack_round_trip_and_limbs():
    xs, _ = operands(3)
    got, raw = run(1, xs, [0] * len(xs))  # x − 0 = x: pack, sub, unpack
    assert got == xs
    assert [ifma.to_limbs52(x) for x in xs] == [tuple(int(v) for v in raw[k // 8, :, k % 8])
                                               for k in range(len(xs))]


@pytest.mark.parametrize(("env", "expect"), [("0", False), ("", None)])
def test_switch(monkeypatch, env, expect):
    monkeypatch.setenv("HALO2PY_IFMA", env)
    ifma.enabled.cache_clear()
    try:
        assert ifma.enabled() is (ifma.cpu_has_ifma() if expect is None else expect)
    finally:
        ifma.enabled.cache_clear()


def test_switch_rejects_bad_values(monkeypatch):
    monkeypatch.setenv("HALO2PY_IFMA", "yes")
    ifma.enabled.cache_clear()
    try:
        with pytest.raises(InputError, match="HALO2PY_IFMA must be 0 or 1"):
            ifma.enabled()
        monkeypatch.setenv("HALO2PY_IFMA", "1")
        ifma.enabled.cache_clear()
        if ifma.cpu_has_ifma():
            assert ifma.enabled()
        else:
            with pytest.raises(InputError, match="no AVX-512 IFMA"):
                ifma.enabled()
    finally:
        ifma.enabled.cache_clear()
