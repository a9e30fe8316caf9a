"""Compile the plonk-layer kernels the tiny proof of ``halo2py.pipeline.warm`` does not reach:
halo2's merge-and-swap cycle store (keygen for halo2-identical σ), the pk file's checksum, the
lookup's permuted columns (the tiny proof has no lookup)."""

import numpy as np

from halo2py.arith.field import Fr
from halo2py.plonk.lookup import permute_expression_pair
from halo2py.plonk.permutation import build_sigmas, halo2_cycle_store
from halo2py.plonk.pkfile import _checksum
from halo2py.poly.domain import EvaluationDomain


def warm() -> None:
    halo2_cycle_store([((0, 0), (1, 1)), ((1, 1), (0, 2))], columns=2, n=4)  # int64 cells
    build_sigmas(np.array([[0, 0, 1, 1]], dtype=np.int64), 2, 4, 4, EvaluationDomain(2, 3).omega)  # int32
    _checksum([np.zeros((1, 4), dtype=np.uint64)])
    permute_expression_pair(Fr.from_ints([1, 1, 2]), Fr.from_ints([2, 1, 3]), "warm")  # ties: the merge sort too
