"""A toy quotient strategy: the worked example of docs/strategies.md.

It evaluates the extended domain one coset part at a time, like ``chunked``, but allocates each
part's column buffer afresh and walks the parts from last to first — different code, the same h.
Load it with ``--strategy docs/examples/toy_strategy.py:ReversedParts``.
"""

import numpy as np

from halo2py.arith.field import Fr
from halo2py.quotient.evaluate import evaluate
from halo2py.quotient.strategy import (
    ELEMENT_BYTES, Allocations, QuotientResult, QuotientShape, QuotientStrategy, split_pieces,
)


class ReversedParts(QuotientStrategy):
    name = "reversed-parts"
    description = "toy: coset parts evaluated from last to first, one fresh buffer per part"

    def compute(self, task):
        dom = task.domain
        n, e = dom.n, dom.e
        mem = Allocations()
        numerator = mem.empty((e * n, 4))
        inverses = self.vanishing_inverses(dom)
        for i in reversed(range(e)):
            columns = mem.empty((len(task.polys), n, 4))
            for slot, poly in enumerate(task.polys):
                dom.coeff_to_part(poly, i, out=columns[slot])
            values = np.empty((n, 4), dtype=np.uint64)
            evaluate(task.program, columns, 1, 0, n, dom.part_shifts[i], dom.omega,
                     task.challenges, task.y, values)
            mem.free(columns)
            del columns
            numerator.reshape(n, e, 4)[:, i, :] = Fr.scale(values, inverses[i])
        coeffs = dom.extended_to_coeff(numerator, out=numerator)
        return QuotientResult(split_pieces(coeffs, n, dom.quotient_poly_degree), peak_bytes=mem.peak)

    def vanishing_inverses(self, dom) -> list:
        """1/(X^n − 1) on each part (a constant per part)."""
        return dom.extended_vanishing_inverses()

    @classmethod
    def model_bytes(cls, shape: QuotientShape) -> int:
        # the e·n numerator, one part of every polynomial, and the part's values
        return ELEMENT_BYTES * shape.n * (shape.e + shape.polys + 1)


class ForgetsVanishing(ReversedParts):
    """Deliberately wrong: never divides by X^n − 1. ``check_strategy`` must reject it."""

    name = "forgets-vanishing"
    description = "broken toy: skips the division by the vanishing polynomial"

    def vanishing_inverses(self, dom) -> list:
        return [1] * dom.e
