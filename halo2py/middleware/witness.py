"""A synthesised table as plain data, split the way halo2 splits it.

``Preprocessed`` is what keygen reads — fixed columns, selector activations and copy constraints
— and is known without any witness (halo2's keygen synthesises with every advice value unknown).
``Witness`` is what the prover adds: advice and instance columns. Both hold Fr vectors in the
Montgomery layout of ``halo2py.arith.field`` (n rows, (n, 4) uint64), shared with the synthesis
that made them, never copied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Preprocessed:
    """``fixed``: one vector per fixed column; ``selectors``: one bool row mask per selector;
    ``copies``: (m, 4) int64 rows (left permutation-column index, left row, right index, right
    row), indices into the circuit's ``permutation_columns``, in emission order."""

    k: int
    fixed: list
    selectors: list
    copies: np.ndarray

    @property
    def n(self) -> int:
        return 1 << self.k


@dataclass
class Witness:
    """``advice`` and ``instance``: one vector per column (the prover blinds and transforms the
    advice vectors in place); ``instance_values``: the public inputs as supplied, whose lengths
    say which instance rows are assigned."""

    k: int
    advice: list
    instance: list
    instance_values: list

    @property
    def n(self) -> int:
        return 1 << self.k
