"""The in-process executor: a round's started commitments run together at the first
finish_commits, and each handle gets its own columns' points, in order."""

import numpy as np

from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.commitment.params import ParamsKZG
from halo2py.execution import COEFF, LAGRANGE, InProcessExecutor
from halo2py.randomness import seeded_rng


def test_started_commits_run_together_in_order():
    params = ParamsKZG.setup(4, seeded_rng(3, "setup"))
    rng = seeded_rng(4, "columns")
    rounds = [[(LAGRANGE, Fr.random(16, rng))], [(LAGRANGE, Fr.random(16, rng)), (COEFF, Fr.random(9, rng))],
              [(COEFF, Fr.random(16, rng)), (LAGRANGE, Fr.random(16, rng))]]
    want = [[(kzg.commit_lagrange if basis == LAGRANGE else kzg.commit)(params, values) for basis, values in r]
            for r in rounds]
    executor = InProcessExecutor()
    handles = [executor.start_commits(params, r) for r in rounds]
    for handle, points in zip(handles, want):
        assert [p.tolist() for p in executor.finish_commits(handle)] == [p.tolist() for p in points]
    # a later round starts afresh, and commit() is start + finish
    again = executor.commit(params, rounds[1])
    assert [p.tolist() for p in again] == [p.tolist() for p in want[1]]
    assert np.array_equal(executor.finish_commits(handles[0])[0], want[0][0])  # finished handles keep their points


def test_kernels_compiled_counts_compilations_not_calls():
    """``kernels_compiled`` (the benchmarks' cold-cache flag) grows by one when a kernel compiles
    for a new signature, and not when a compiled one runs again."""
    from numba import njit

    from halo2py.execution.base import kernels_compiled

    @njit
    def twice(x):
        return 2 * x

    before = kernels_compiled()
    assert twice(3) == 6
    assert kernels_compiled() == before + 1
    assert twice(4) == 8
    assert kernels_compiled() == before + 1
    assert twice(1.5) == 3.0  # a new signature: compiled again
    assert kernels_compiled() == before + 2
