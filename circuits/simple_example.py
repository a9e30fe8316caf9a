"""halo2's "simple-example": out = c · (a · b)², with the constant c fixed in the circuit and a, b
private (halo2's ``examples/simple-example.rs``; README §4.1 of the halo2 vectors).

One multiplication gate ``s_mul · (a0 · a1 − a0[+1])`` over two advice columns, the constant in
the constants column f0, regions "load private" ×2, "load constant" and three "mul"s, and the
product copied to the public output. A worked example of halo2's cell copies (``copy_advice``),
constants (``assign_advice_from_constant``) and ``constrain_instance``.
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.arith.constants import FR_MODULUS
from halo2py.frontend.circuit import Circuit, CircuitParams, param


@dataclass
class SimpleExampleParams(CircuitParams):
    k: int = param(4, "log2 of the number of rows (n = 2^k)")


class SimpleExample(Circuit):
    """out = constant · (a · b)² (public)."""

    name = "simple-example"
    Params = SimpleExampleParams
    inputs_help = {"a": "private factor (default 2)", "b": "private factor (default 3)",
                   "constant": "the constant built into the circuit (default 7)"}
    test_cases = ((4, ()),)

    def values(self) -> tuple:
        return self.input_int("a", 2), self.input_int("b", 3), self.input_int("constant", 7)

    def instances(self) -> list:
        a, b, c = self.values()
        return [[c * (a * b) ** 2 % FR_MODULUS]]

    def configure(self, cs):
        a0, a1 = cs.advice_column("a0"), cs.advice_column("a1")
        i0 = cs.instance_column("i0")
        f0 = cs.fixed_column("f0")
        cs.enable_equality(i0)
        cs.enable_constant(f0)
        cs.enable_equality(a0)
        cs.enable_equality(a1)
        s_mul = cs.selector("s_mul")
        cs.create_gate("mul", lambda m: [m.query_selector(s_mul) * (
            m.query_advice(a0, 0) * m.query_advice(a1, 0) - m.query_advice(a0, 1))])
        return a0, a1, i0, s_mul

    def synthesize(self, config, layouter):
        a0, a1, i0, s_mul = config
        a_value, b_value, constant = self.values()
        a = layouter.assign_region("load private", lambda r: r.assign_advice("a", a0, 0, lambda: a_value))
        b = layouter.assign_region("load private", lambda r: r.assign_advice("b", a0, 0, lambda: b_value))
        c = layouter.assign_region("load constant",
                                   lambda r: r.assign_advice_from_constant("constant", a0, 0, constant))

        def mul(x, y):
            def fill(region):
                region.enable_selector(s_mul, 0)
                x.copy_advice("lhs", region, a0, 0)
                y.copy_advice("rhs", region, a1, 0)
                return region.assign_advice("lhs * rhs", a0, 1, lambda: x.value * y.value)
            return layouter.assign_region("mul", fill)

        ab = mul(a, b)
        ab2 = mul(ab, ab)
        layouter.constrain_instance(mul(c, ab2), i0, 0)
