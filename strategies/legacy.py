"""``legacy``: halo2's own quotient evaluation over the whole extended coset.

Every queried polynomial is transformed once to ζ·⟨ω_ext⟩ (one size e·n coset FFT each) and all of
them are alive together while the constraint program runs over the e·n points — the peak heap
halo2 is known for: (polys + 1)·e·n elements. Then divide by X^n − 1, inverse-transform and split.
"""

from halo2py.arith.field import Fr
from halo2py.quotient.divide import divide_cyclic
from halo2py.quotient.evaluate import evaluate
from halo2py.quotient.strategy import (
    ELEMENT_BYTES, Allocations, QuotientResult, QuotientShape, QuotientStrategy, split_pieces,
)


class LegacyStrategy(QuotientStrategy):
    name = "legacy"
    description = "halo2's evaluate_h: every polynomial on the full extended coset at once"

    def compute(self, task):
        dom = task.domain
        n, e = dom.n, dom.e
        big = e * n
        mem = Allocations(task.allocate)
        cosets = mem.empty((len(task.polys), big, 4))
        for slot, poly in enumerate(task.polys):
            dom.coeff_to_extended(poly, out=cosets[slot])
        numerator = mem.empty((big, 4))
        evaluate(task.program, cosets, e, 0, big, dom.zeta, dom.extended_omega,
                 task.challenges, task.y, numerator)
        mem.free(cosets)
        del cosets
        divide_cyclic(numerator, Fr.from_ints(dom.extended_vanishing_inverses()))
        coeffs = dom.extended_to_coeff(numerator, out=numerator)
        return QuotientResult(split_pieces(coeffs, n, dom.quotient_poly_degree, task.allocate), peak_bytes=mem.peak)

    @classmethod
    def model_bytes(cls, shape: QuotientShape) -> int:
        # every polynomial's extended coset and the numerator; the size-e·n transforms' twiddles
        return ELEMENT_BYTES * shape.e * shape.n * (shape.polys + 1) + ELEMENT_BYTES * shape.e * shape.n // 2
