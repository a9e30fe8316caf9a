"""``chunked``: Scroll's quotient evaluation, one coset part of the extended domain at a time.

The extended coset ζ·⟨ω_ext⟩ of size e·n is the disjoint union of e size-n cosets s_i·⟨ω⟩ with
s_i = ζ·ω_ext^i, and entry r·e + i of the extended evaluation is entry r of part i. On a part,
a rotation ρ is an index shift of ρ mod n and X^n − 1 is the constant s_i^n − 1. So for each part:
transform every queried polynomial with one size-n coset FFT (into one reused buffer), run the
constraint program over the n rows, divide by the constant, and write the n results into their
interleaved slots. Only one part of every column is alive at a time: the width term of the peak
loses its factor e. The FFT work is smaller than legacy's (size-n instead of size-e·n transforms).
"""

from halo2py.arith.field import Fr
from halo2py.quotient.evaluate import evaluate
from halo2py.quotient.strategy import (
    ELEMENT_BYTES, Allocations, QuotientResult, QuotientShape, QuotientStrategy, split_pieces,
)


class ChunkedStrategy(QuotientStrategy):
    name = "chunked"
    description = "Scroll's part-by-part evaluation: one size-n coset of every polynomial at a time"

    def compute(self, task):
        dom = task.domain
        n, e = dom.n, dom.e
        mem = Allocations(task.allocate)
        numerator = mem.empty((e * n, 4))
        interleaved = numerator.reshape(n, e, 4)  # interleaved[r, i] = extended entry r·e + i
        parts = mem.empty((len(task.polys), n, 4))
        part_values = mem.empty((n, 4))
        inverses = dom.extended_vanishing_inverses()
        for i in range(e):
            powers = dom.part_powers(i)
            for slot, poly in enumerate(task.polys):
                dom.coeff_to_part(poly, i, out=parts[slot], powers=powers)
            del powers
            evaluate(task.program, parts, 1, 0, n, dom.part_shifts[i], dom.omega,
                     task.challenges, task.y, part_values)
            Fr.scale(part_values, inverses[i], out=part_values)
            interleaved[:, i, :] = part_values
        mem.free(parts, part_values)
        del parts, part_values
        coeffs = dom.extended_to_coeff(numerator, out=numerator)
        return QuotientResult(split_pieces(coeffs, n, dom.quotient_poly_degree, task.allocate), peak_bytes=mem.peak)

    @classmethod
    def model_bytes(cls, shape: QuotientShape) -> int:
        # the e·n numerator, one part of every polynomial, the part's values and s_i^j
        return ELEMENT_BYTES * shape.n * (shape.e + shape.polys + 2)
