"""Stress: a synthetic circuit of a chosen shape that fills every usable row (for benchmarks).

The default shape is PSE halo2's ``plonk_api`` test circuit: advice a, b, c, d, e; fixed
sf, sm, sa, sb, sc, sp and the lookup table sl; instance p; 12 equality columns (a, b, c, sf, e,
d, p, sm, sa, sb, sc, sp); one lookup of a into sl; gates

    combined add-mult:  a·sa + b·sb + a·b·sm − c·sc + sf·d[+1]·e[−1]^(degree−2)   (degree 3 default)
    public input:       sp·(a − p)

so d = 4 and the quotient extension e = 4. As in plonk_api, rows come in pairs — a "multiply"
row (a, a, a²) and an "add" row (a, a², a + a² + …) — joined by two copies (a to a, the square
to b), every a is in the lookup table, and row 0 exposes the public value 2. Unlike plonk_api
the pairs repeat until the usable rows run out, and the add rows switch sf on so the
high-degree term is exercised with real values.

Parameters change the shape: extra advice columns x_j join the gate as sf·Σx_j, extra fixed
columns f_j as Σ f_j·a, extra instance columns carry one public value each, ``equality`` picks
how many columns (in the order above, then the extras) enter the permutation, ``degree`` sets
the gate degree (3 → e = 2 without lookups, 4–5 → e = 4, 6–9 → e = 8), ``lookups`` repeats the
lookup of a into sl. Witness values are pseudo-random from a fixed seed, assigned column-wise with
the Fr kernels so k = 20 synthesises in seconds.
"""

from dataclasses import dataclass

import numpy as np

from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param

PUBLIC_VALUE = 2  # plonk_api's public input (1 + 1)
# Ceilings far above any halo2 circuit's shape (zkEVM circuits have a few hundred columns): a typo
# like advice=100000000 is refused at once instead of building the constraint system until the
# OS kills the process (10^5 columns already take 15 s to plan; 10^8 ran out of 23 GiB).
MAX_COLUMNS, MAX_INSTANCE, MAX_LOOKUPS = 4096, 64, 64


def _small_power(x: np.ndarray, exponent: int) -> np.ndarray:
    """x^exponent for a small exponent by square-and-multiply (Fr.pow walks all 256 bits)."""
    result, base = None, x
    while exponent:
        if exponent & 1:
            result = base if result is None else Fr.mul(result, base)
        exponent >>= 1
        if exponent:
            base = Fr.square(base)
    return result


@dataclass
class StressParams(CircuitParams):
    k: int = param(8, "log2 of the number of rows (n = 2^k)")
    advice: int = param(5, "advice columns (5 .. 4096)")
    fixed: int = param(7, "fixed columns, including the lookup table column (7 .. 4096)")
    instance: int = param(1, "instance columns (1 .. 64)")
    equality: int = param(12, "equality-enabled columns (3 .. advice + fixed − 1 + instance)")
    degree: int = param(3, "degree of the main gate (3 .. 17)")
    lookups: int = param(1, "lookups of a into the table (0 .. 64)")

    def __post_init__(self):
        super().__post_init__()
        for name, low, high in (("advice", 5, MAX_COLUMNS), ("fixed", 7, MAX_COLUMNS), ("instance", 1, MAX_INSTANCE),
                                ("lookups", 0, MAX_LOOKUPS)):
            if getattr(self, name) < low:
                raise InputError(f"{name} must be at least {low}, got {getattr(self, name)}")
            if getattr(self, name) > high:
                raise InputError(f"{name} must be at most {high}, got {getattr(self, name)}")
        if not 3 <= self.degree <= 17:
            raise InputError(f"degree must be between 3 and 17, got {self.degree}")
        most = self.advice + self.fixed - 1 + self.instance
        if not 3 <= self.equality <= most:
            raise InputError(f"equality must be between 3 and {most}, got {self.equality}")


@dataclass
class StressConfig:
    a: object
    b: object
    c: object
    d: object
    e: object
    extra_advice: list
    sf: object
    sm: object
    sa: object
    sb: object
    sc: object
    sp: object
    sl: object
    extra_fixed: list
    instance: list


class Stress(Circuit):
    """Synthetic plonk_api-shaped circuit filling every usable row; shape set by parameters."""

    name = "stress"
    test_cases = ((5, ()), (5, ("degree=3", "lookups=0")), (7, ("degree=7", "lookups=2")))
    regress_cases = ((12, ()), (11, ("degree=5", "lookups=0")))
    Params = StressParams

    def instances(self) -> list:
        rng = np.random.default_rng(1)
        extra = [[int(rng.integers(1 << 62))] for _ in range(self.params.instance - 1)]
        return [[PUBLIC_VALUE]] + extra

    def configure(self, cs):
        p = self.params
        # Allocation order as in plonk_api's configure.
        e = cs.advice_column("e")
        a = cs.advice_column("a")
        b = cs.advice_column("b")
        sf = cs.fixed_column("sf")
        c = cs.advice_column("c")
        d = cs.advice_column("d")
        inst = cs.instance_column("p")
        sm, sa, sb, sc, sp = (cs.fixed_column(n) for n in ("sm", "sa", "sb", "sc", "sp"))
        sl = cs.lookup_table_column("sl")
        xs = [cs.advice_column(f"x{j}") for j in range(p.advice - 5)]
        fs = [cs.fixed_column(f"f{j}") for j in range(p.fixed - 7)]
        extra_inst = [cs.instance_column(f"p{j}") for j in range(1, p.instance)]
        order = [a, b, c, sf, e, d, inst, sm, sa, sb, sc, sp] + xs + fs + extra_inst
        for column in order[:p.equality]:
            cs.enable_equality(column)
        for i in range(p.lookups):
            cs.lookup(f"lookup {i}", lambda meta: [(meta.query_advice(a, 0), sl)])

        def main_gate(meta):
            qa, qb, qc = meta.query_advice(a, 0), meta.query_advice(b, 0), meta.query_advice(c, 0)
            high = meta.query_advice(d, 1) * meta.query_advice(e, -1) ** (p.degree - 2)
            for x in xs:
                high = high + meta.query_advice(x, 0)
            expr = (qa * meta.query_fixed(sa) + qb * meta.query_fixed(sb)
                    + qa * qb * meta.query_fixed(sm) - qc * meta.query_fixed(sc)
                    + meta.query_fixed(sf) * high)
            for f in fs:
                expr = expr + meta.query_fixed(f) * qa
            return [("add-mult", expr)]

        cs.create_gate("combined add-mult", main_gate)
        cs.create_gate("public input", lambda meta: [
            ("a = p", meta.query_fixed(sp) * (meta.query_advice(a, 0) - meta.query_instance(inst, 0))),
        ])
        return StressConfig(a, b, c, d, e, xs, sf, sm, sa, sb, sc, sp, sl, fs,
                            [inst] + extra_inst)

    def synthesis_scratch_columns(self) -> float:
        # v, v², v⁴, v⁸, d_next, high, c_add, one per extra advice and fixed column (n/2 rows
        # each), and the zeros of the fixed pattern
        p = self.params
        return (7 + p.advice - 5 + p.fixed - 7) / 2 + 0.5

    def synthesize(self, config, layouter):
        p = self.params
        usable = layouter.usable
        pairs = (usable - 2) // 2   # row 0 public, then pairs; one spare row keeps d[+1] honest
        if pairs < 1:
            raise InputError(f"k={p.k} leaves no rows for the stress pattern")
        rng = np.random.default_rng(0).bytes
        v = Fr.random(pairs, rng=rng)
        v2 = Fr.square(v)
        v4 = Fr.square(v2)
        v8 = Fr.square(v4)
        d_next = np.zeros_like(v4)          # d on the next (multiply) row, 0 after the last pair
        d_next[:-1] = v4[1:]
        high = Fr.mul(d_next, _small_power(v4, p.degree - 2))
        xs = [Fr.random(pairs, rng=rng) for _ in config.extra_advice]
        fs = [Fr.random(pairs, rng=rng) for _ in config.extra_fixed]
        c_add = Fr.add(Fr.add(v, v2), high)
        for x in xs:
            c_add = Fr.add(c_add, x)
        for f in fs:
            c_add = Fr.add(c_add, Fr.mul(f, v))

        rows = 2 * pairs + 1
        mul_rows = np.arange(1, rows, 2)
        add_rows = mul_rows + 1
        one = np.array(Fr.one_limbs, dtype=np.uint64)

        def interleave(on_mul, on_add, first=None):
            col = np.zeros((rows, 4), dtype=np.uint64)
            if first is not None:
                col[0] = first
            col[1::2] = on_mul
            col[2::2] = on_add
            return col

        def fill(region):
            public = np.array(Fr.to_mont(PUBLIC_VALUE), dtype=np.uint64)
            region.assign_advice_column("a", config.a, interleave(v, v, public))
            region.assign_advice_column("b", config.b, interleave(v, v2))
            region.assign_advice_column("c", config.c, interleave(v2, c_add))
            region.assign_advice_column("d", config.d, interleave(v4, v4))
            region.assign_advice_column("e", config.e, interleave(v4, v8))
            for col, x in zip(config.extra_advice, xs):
                region.assign_advice_column(col.name, col, interleave(x, x))
            zeros = np.zeros_like(v)
            ones = np.broadcast_to(one, v.shape)
            region.assign_fixed_column("sa", config.sa, interleave(zeros, ones))
            region.assign_fixed_column("sb", config.sb, interleave(zeros, ones))
            region.assign_fixed_column("sc", config.sc, interleave(ones, ones))
            region.assign_fixed_column("sm", config.sm, interleave(ones, zeros))
            region.assign_fixed_column("sf", config.sf, interleave(zeros, ones))
            region.assign_fixed_column("sp", config.sp, interleave(zeros, zeros, one))
            for col, f in zip(config.extra_fixed, fs):
                region.assign_fixed_column(col.name, col, interleave(zeros, f))
            region.constrain_equal_rows(config.a, mul_rows, config.a, add_rows)
            region.constrain_equal_rows(config.b, add_rows, config.c, mul_rows)

        layouter.assign_region("stress", fill)
        table = np.concatenate([Fr.from_ints([PUBLIC_VALUE]), v, Fr.from_ints([0])])
        layouter.assign_table("sl", lambda t: t.assign_column("values of a", config.sl, table))
