"""Fibonacci in one region (icemelon's halo2-examples "fibonacci example 2"; README §4.6 of the
halo2 vectors): a single advice column and the gate ``s · (a0 + a0[+1] − a0[+2])`` — rotations
instead of copies; f(0), f(1) and f(9) are public. Inputs and public values as fibonacci1's.
"""

from __future__ import annotations

from halo2py.circuits.fibonacci1 import STEPS, Fibonacci1


class Fibonacci2(Fibonacci1):
    """f(0), f(1) public; a0[i+2] = a0[i] + a0[i+1] on rows 0..7; f(9) public."""

    name = "fibonacci2"

    def configure(self, cs):
        a0 = cs.advice_column("a0")
        i0 = cs.instance_column("i0")
        s = cs.selector("s")
        cs.enable_equality(a0)
        cs.enable_equality(i0)
        cs.create_gate("add", lambda m: [m.query_selector(s) * (
            m.query_advice(a0, 0) + m.query_advice(a0, 1) - m.query_advice(a0, 2))])
        return a0, i0, s

    def synthesize(self, config, layouter):
        a0, i0, s = config

        def fill(region):
            cells = [region.assign_advice_from_instance("f(0)", i0, 0, a0, 0),
                     region.assign_advice_from_instance("f(1)", i0, 1, a0, 1)]
            for row in range(2, STEPS + 2):
                region.enable_selector(s, row - 2)
                x, y = cells[-2], cells[-1]
                cells.append(region.assign_advice("f", a0, row, lambda x=x, y=y: x.value + y.value))
            return cells[-1]

        layouter.constrain_instance(layouter.assign_region("entire circuit", fill), i0, 2)
