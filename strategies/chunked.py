"""``chunked``: Scroll's quotient evaluation, one coset part of the extended domain at a time.

The extended coset ζ·⟨ω_ext⟩ of size e·n is the disjoint union of e size-n cosets s_i·⟨ω⟩ with
s_i = ζ·ω_ext^i, and entry r·e + i of the extended evaluation is entry r of part i. On a part,
a rotation ρ is an index shift of ρ mod n and X^n − 1 is the constant s_i^n − 1. So for each part:
transform every queried polynomial with one size-n coset FFT (into one reused buffer), run the
constraint program over the n rows, divide by the constant, and write the n results into their
interleaved slots. Only one part of every column is alive at a time: the width term of the peak
loses its factor e. The FFT work is smaller than legacy's (size-n instead of size-e·n transforms).

The e parts are independent, and declared as such (``parts``): a distributed executor evaluates
each on a worker (``compute_part``), which also interpolates its n values on its own coset
(``part_to_folded``: one size-n transform), and the coordinator unfolds the e results into the
pieces (``combine``: ``unfold_parts``, e scaled additions per piece) — the coefficients one
size-e·n interpolation of the interleaved values gives, so the same pieces, with the transform
on the workers instead of between the parts and the pieces' commitments.
"""

import numpy as np

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
            interleaved[:, i, :] = _part(task, i, inverses[i], parts, part_values)
        mem.free(parts, part_values)
        del parts, part_values
        return _pieces(task, numerator, mem.peak)

    def parts(self, task):
        return task.domain.e

    def compute_part(self, task, index):
        """Part ``index``'s n values of numerator / (X^n − 1), interpolated on the part's coset
        (folded coefficients, see ``combine``): the part's transforms go to a buffer from
        ``task.allocate`` (``part_buffers``), its values to an array of their own."""
        dom = task.domain
        inverse = pow(dom.part_vanishing(index), -1, Fr.modulus)
        values = _part(task, index, inverse, task.allocate((len(task.polys), dom.n, 4)),
                       np.empty((dom.n, 4), dtype=np.uint64))
        return dom.part_to_folded(values, index, out=values)

    def part_buffers(self, shape):
        return [(shape.polys, shape.n, 4)]

    def combine(self, task, results):
        dom = task.domain
        pieces = dom.unfold_parts(results, dom.quotient_poly_degree, task.allocate)
        # the coordinator holds the gathered parts (e·n) beside the pieces they make ((d − 1)·n)
        return QuotientResult(pieces, peak_bytes=sum(values.nbytes for values in results)
                              + sum(piece.nbytes for piece in pieces))

    @classmethod
    def model_bytes(cls, shape: QuotientShape) -> int:
        # the e·n numerator, one part of every polynomial, the part's values and s_i^j
        return ELEMENT_BYTES * shape.n * (shape.e + shape.polys + 2)


def _part(task, i: int, inverse: int, parts: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Part i of numerator / (X^n − 1) into ``out``: every polynomial onto s_i·⟨ω⟩ (into
    ``parts``), the constraint program over its n rows, times the constant 1/(s_i^n − 1)."""
    dom = task.domain
    powers = dom.part_powers(i)
    for slot, poly in enumerate(task.polys):
        dom.coeff_to_part(poly, i, out=parts[slot], powers=powers)
    del powers
    evaluate(task.program, parts, 1, 0, dom.n, dom.part_shifts[i], dom.omega, task.challenges, task.y, out)
    return Fr.scale(out, inverse, out=out)


def _pieces(task, numerator: np.ndarray, peak_bytes: int) -> QuotientResult:
    """The interleaved extended numerator, interpolated in place and split into d − 1 pieces."""
    dom = task.domain
    coeffs = dom.extended_to_coeff(numerator, out=numerator)
    return QuotientResult(split_pieces(coeffs, dom.n, dom.quotient_poly_degree, task.allocate),
                          peak_bytes=peak_bytes)
