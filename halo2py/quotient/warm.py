"""Compile the constraint-evaluation kernel with production argument types (``halo2py.warm``):
the scalar kernel always (``HALO2PY_IFMA=0`` runs it), the IFMA one where the CPU has it."""

import numpy as np

from halo2py.arith import ifma
from halo2py.arith.field import Fr
from halo2py.middleware.expression import Challenge, Column, VariableX
from halo2py.quotient.evaluate import evaluate
from halo2py.quotient.program import compile_program


def warm() -> None:
    a, z = Column("advice", 0, "a"), Column("internal", 0, "z")
    theta = Challenge(0, "theta")
    program = compile_program([a.cur() * z.next() - VariableX() * theta, 1 - a.prev()],
                              {a: 0, z: 1}.__getitem__)
    columns = np.stack([Fr.random(8), Fr.random(8)])
    out = np.empty((8, 4), dtype=np.uint64)
    fast = ifma.enabled()
    try:
        for flag in (False, True) if fast else (False,):
            ifma.set_enabled(flag)
            evaluate(program, columns, 2, 0, 8, 3, 5, [7], 11, out)
    finally:
        ifma.set_enabled(None)
