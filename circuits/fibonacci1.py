"""Fibonacci with one region per step (icemelon's halo2-examples "fibonacci example 1"; README
§4.6 of the halo2 vectors): three advice columns a0, a1, a2, the gate ``s · (a0 + a1 − a2)``,
each row copying the previous row's last two cells; f(0), f(1) and f(9) are public.

Under halo2's V1 floor planner the eight equal regions are placed in reverse order — a worked
example of how the floor planner changes σ and the proof but not the circuit.
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.arith.constants import FR_MODULUS
from halo2py.frontend.circuit import Circuit, CircuitParams, param

STEPS = 8  # rows; f(9) is the last value


@dataclass
class Fibonacci1Params(CircuitParams):
    k: int = param(4, "log2 of the number of rows (n = 2^k)")


def fibonacci(a: int, b: int, count: int) -> list:
    out = [a % FR_MODULUS, b % FR_MODULUS]
    while len(out) < count:
        out.append((out[-1] + out[-2]) % FR_MODULUS)
    return out


class Fibonacci1(Circuit):
    """f(0), f(1) public; f(i+2) = f(i) + f(i+1) one region per step; f(9) public."""

    name = "fibonacci1"
    Params = Fibonacci1Params
    inputs_help = {"a": "f(0) (default 1)", "b": "f(1) (default 1)"}
    test_cases = ((4, ()),)

    def sequence(self) -> list:
        return fibonacci(self.input_int("a", 1), self.input_int("b", 1), STEPS + 2)

    def instances(self) -> list:
        f = self.sequence()
        return [[f[0], f[1], f[-1]]]

    def configure(self, cs):
        advice = [cs.advice_column(f"a{i}") for i in range(3)]
        s = cs.selector("s")
        i0 = cs.instance_column("i0")
        for column in advice + [i0]:
            cs.enable_equality(column)
        cs.create_gate("add", lambda m: [m.query_selector(s) * (
            m.query_advice(advice[0], 0) + m.query_advice(advice[1], 0) - m.query_advice(advice[2], 0))])
        return advice, s, i0

    def synthesize(self, config, layouter):
        (a0, a1, a2), s, i0 = config

        def first_row(region):
            region.enable_selector(s, 0)
            a = region.assign_advice_from_instance("f(0)", i0, 0, a0, 0)
            b = region.assign_advice_from_instance("f(1)", i0, 1, a1, 0)
            return b, region.assign_advice("f(2)", a2, 0, lambda: a.value + b.value)

        def next_row(prev_b, prev_c):
            def fill(region):
                region.enable_selector(s, 0)
                b = prev_b.copy_advice("a", region, a0, 0)
                c = prev_c.copy_advice("b", region, a1, 0)
                return region.assign_advice("c", a2, 0, lambda: b.value + c.value)
            return fill

        prev_b, prev_c = layouter.assign_region("first row", first_row)
        for _ in range(STEPS - 1):
            prev_b, prev_c = prev_c, layouter.assign_region("next row", next_row(prev_b, prev_c))
        layouter.constrain_instance(prev_c, i0, 2)
