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
